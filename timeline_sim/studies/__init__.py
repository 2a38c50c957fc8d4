"""Studies: many runs of a case, paired counterfactuals, sweeps, uncertainty, calibration.

Studies sit on top of the engine and the models: they run cases, never change
what a run does. Their results are tables, on disk or in memory, that the
figures read.
"""

from timeline_sim.studies.compare import compare
from timeline_sim.studies.montecarlo import iterate_chunks, run_many, summarise_study
from timeline_sim.studies.spec import DEFAULT_CHUNK, ExecutionOptions, StudyError, StudySpec
from timeline_sim.studies.store import read_runs
from timeline_sim.studies.summary import summarise, summary_json
from timeline_sim.studies.sweep import sweep

__all__ = [
    "DEFAULT_CHUNK",
    "ExecutionOptions",
    "StudyError",
    "StudySpec",
    "compare",
    "iterate_chunks",
    "read_runs",
    "run_many",
    "summarise",
    "summarise_study",
    "summary_json",
    "sweep",
]
