"""What a study is (its specification) and how it is run (its execution options).

A study is a function of its specification alone: case, variant, parameter
changes, seed and number of runs. How it is executed (worker processes or a
Dask cluster, chunk size, progress) never changes its results.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from timeline_sim.cases.loading import LoadedCase, load_case
from timeline_sim.models.params import Params
from timeline_sim.models.posterior import default_params

DEFAULT_CHUNK = 250


class StudyError(Exception):
    """A study cannot be run or resumed as asked."""


@dataclass(frozen=True)
class StudySpec:
    """Everything that determines a study's results."""

    case: str
    runs: int
    seed: int = 0
    variant: str | None = None
    param_changes: dict[str, Any] = field(default_factory=dict)
    uncertain: bool = True
    keep_events: int = 0

    def load(self) -> LoadedCase:
        """The case, with the spec's variant applied."""
        return load_case(self.case, variant=self.variant)

    def params(self) -> Params:
        """The family's shared parameters (the posterior mean) with the spec's changes."""
        return default_params(self.load().kind).replace(**self.param_changes)

    def with_variant(self, variant: str | None) -> StudySpec:
        """The same study of another variant (``None``: the baseline)."""
        return replace(self, variant=variant)


@dataclass(frozen=True)
class ExecutionOptions:
    """How a study is run: none of these changes its results.

    ``workers`` local processes (1: in this process), or a Dask ``scheduler``
    address instead; ``chunk_size`` runs per unit of work (and per file on disk);
    ``progress`` shows a progress bar on a terminal.
    """

    workers: int = 1
    scheduler: str | None = None
    chunk_size: int = DEFAULT_CHUNK
    progress: bool = False

    def __post_init__(self) -> None:
        if self.workers < 1:
            raise StudyError(f"workers must be at least 1, got {self.workers}")
        if self.chunk_size < 1:
            raise StudyError(f"chunk_size must be at least 1, got {self.chunk_size}")
