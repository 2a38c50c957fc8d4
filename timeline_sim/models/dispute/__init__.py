"""Market-access disputes (paper 001): prospect theory, value claiming and creating, deadlines.

Importing it registers the ``dispute`` case kind, its event kinds and its simulator.
"""

from timeline_sim.engine.runner import register_model
from timeline_sim.models.dispute import events as _events  # noqa: F401  (declares the event kinds)
from timeline_sim.models.dispute.schema import DisputeCase
from timeline_sim.models.dispute.world import DisputeWorld, simulate
from timeline_sim.models.posterior import default_params, single_case_parameters

register_model(
    "dispute",
    simulate,
    lambda: default_params("dispute"),
    lambda case: single_case_parameters("dispute", case),
)

__all__ = ["DisputeCase", "DisputeWorld", "simulate"]
