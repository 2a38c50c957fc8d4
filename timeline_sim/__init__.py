"""timeline_sim: a discrete-event simulator of international negotiation histories.

The public API is small:

- :func:`timeline_sim.case.load_case` reads and validates a case file;
- :func:`timeline_sim.runner.run_one` runs one seeded replication of a case;
- :class:`timeline_sim.params.Params` holds the one set of behavioural parameters.
"""

__version__ = "0.1.0"

from timeline_sim.case import CaseError, LoadedCase, load_case  # noqa: E402
from timeline_sim.params import Params  # noqa: E402
from timeline_sim.runner import RunResult, run_one  # noqa: E402

__all__ = ["CaseError", "LoadedCase", "Params", "RunResult", "__version__", "load_case", "run_one"]
