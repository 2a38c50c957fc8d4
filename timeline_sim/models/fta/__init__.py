"""The FTA two-level game (paper 000): a country's negotiations, farm lobby and ratification.

Importing it registers the ``fta`` case kind, its event kinds and its simulator.
"""

from timeline_sim.engine.runner import register_model
from timeline_sim.models.fta import events as _events  # noqa: F401  (declares the event kinds)
from timeline_sim.models.fta.schema import FtaCase
from timeline_sim.models.fta.world import FtaWorld, simulate
from timeline_sim.models.posterior import default_params, single_case_parameters

register_model(
    "fta",
    simulate,
    lambda: default_params("fta"),
    lambda case: single_case_parameters("fta", case),
)

__all__ = ["FtaCase", "FtaWorld", "simulate"]
