"""timeline_sim: a discrete-event simulator of international negotiation histories.

The public API (see README, "From Python"):

- :func:`load_case` reads and validates a case file (``list_cases`` lists the shipped ones);
- :func:`run_one` runs one seeded replication of a case and returns a :class:`RunResult`;
- :class:`Params` holds the one set of behavioural parameters;
- :func:`run_many`, :func:`compare` and :func:`sweep` run studies of a :class:`StudySpec`
  with :class:`ExecutionOptions` (workers, a Dask scheduler, chunk size, progress);
  :func:`summarise` reduces a runs table.

The layers, from the bottom: ``engine`` (time, events, streams, running one
replication), ``cases`` (schema, loading, validation), ``models`` (the FTA and
dispute families and their parameters), ``studies``, ``output``, ``figures``,
``cli``. See docs/architecture.md.
"""

from timeline_sim import models as _models  # noqa: E402, F401  (registers every model family)
from timeline_sim.cases import CaseError, LoadedCase, list_cases, load_case  # noqa: E402
from timeline_sim.engine.runner import RunResult, run_one  # noqa: E402
from timeline_sim.models.params import Params  # noqa: E402
from timeline_sim.studies import (  # noqa: E402
    ExecutionOptions,
    StudyError,
    StudySpec,
    compare,
    run_many,
    summarise,
    sweep,
)
from timeline_sim.version import __version__  # noqa: E402

__all__ = [
    "CaseError",
    "ExecutionOptions",
    "LoadedCase",
    "Params",
    "RunResult",
    "StudyError",
    "StudySpec",
    "__version__",
    "compare",
    "list_cases",
    "load_case",
    "run_many",
    "run_one",
    "summarise",
    "sweep",
]
