"""The FTA two-level game (paper 000): a country's negotiations, farm lobby and ratification.

Importing it registers the ``fta`` case kind, its event kinds and its simulator.
"""

from timeline_sim.engine.runner import register_model
from timeline_sim.models.fta import events as _events  # noqa: F401  (declares the event kinds)
from timeline_sim.models.fta.schema import FtaCase
from timeline_sim.models.fta.world import FtaWorld, simulate
from timeline_sim.models.params import Params

register_model("fta", simulate, Params)

__all__ = ["FtaCase", "FtaWorld", "simulate"]
