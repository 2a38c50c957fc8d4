"""Market-access disputes (paper 001): prospect theory, value claiming and creating, deadlines.

Importing it registers the ``dispute`` case kind, its event kinds and its simulator.
"""

from timeline_sim.engine.runner import register_model
from timeline_sim.models.dispute import events as _events  # noqa: F401  (declares the event kinds)
from timeline_sim.models.dispute.schema import DisputeCase
from timeline_sim.models.dispute.world import DisputeWorld, simulate
from timeline_sim.models.params import Params

register_model("dispute", simulate, Params)

__all__ = ["DisputeCase", "DisputeWorld", "simulate"]
