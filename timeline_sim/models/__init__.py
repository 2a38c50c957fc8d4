"""The model families and their one shared set of behavioural parameters.

Importing this package registers every family (its case kind, event kinds and
simulator) with the engine and the case loader.
"""

from timeline_sim.models import dispute, fta  # noqa: F401  (registers both families)
from timeline_sim.models.params import Params

__all__ = ["Params"]
