"""The schema every case file shares, whatever its kind.

A case file is TOML, data only: observable facts (:class:`Fact`), each with its
source, the dated **inputs** of the case (:class:`DatedFact`) and the
**targets** (historical dates of endogenous milestones) that a run is only ever
compared against. Each model family adds its own kind of case, a subclass of
:class:`CaseBase`, and registers it with :func:`register_case_kind`.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from timeline_sim.cases.checks import MAX_ABS_VALUE
from timeline_sim.engine.calendar import HistoricalDate

#: Earliest and latest years a date may carry.
YEAR_RANGE = (1900, 2100)

#: Case models by their ``kind`` field; each model family registers its own.
CASE_KINDS: dict[str, type[BaseModel]] = {}


def register_case_kind(kind: str, model: type[BaseModel]) -> None:
    """Make ``load_case`` read files whose ``kind`` is ``kind`` with ``model``."""
    CASE_KINDS[kind] = model


class Strict(BaseModel):
    """Base of every case-file table: unknown keys are errors, values are not coerced."""

    # strict: TOML has native numbers, booleans and strings, so a string where a number
    # belongs ("273") is a mistake to report, not a value to coerce
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


def finite(value: float) -> float:
    if not math.isfinite(value):
        raise ValueError("must be a finite number")
    if abs(value) > MAX_ABS_VALUE:
        raise ValueError(f"{value:g} is implausibly large (at most {MAX_ABS_VALUE:g} in magnitude)")
    return value


def check_date(value: str) -> str:
    """A date of the form YYYY-MM-DD or YYYY-MM within :data:`YEAR_RANGE`."""
    year = HistoricalDate.parse(value).date.year
    if not YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
        raise ValueError(f"{value!r} is outside the years {YEAR_RANGE[0]}-{YEAR_RANGE[1]}")
    return value


class Fact(Strict):
    """An observable number with its unit and source."""

    value: float
    unit: str = ""
    source: str = Field(min_length=3)
    note: str = ""

    _check_value = field_validator("value")(finite)


class DatedFact(Strict):
    """A dated input with its source."""

    date: str
    name: str = ""
    source: str = Field(min_length=3)
    note: str = ""

    @field_validator("date")
    @classmethod
    def _parse_date(cls, value: str) -> str:
        return check_date(value)

    @property
    def day(self) -> dt.date:
        """The date (mid-month if known only to the month)."""
        return HistoricalDate.parse(self.date).date


class Target(Strict):
    """A historical date of an endogenous milestone; only compared against.

    ``party`` and ``chamber`` say whose milestone it is where a kind has several
    parties (an FTA: the home party's unless named).
    """

    track: str
    milestone: str
    party: str | None = None
    chamber: str | None = None
    date: str
    source: str = Field(min_length=3)
    note: str = ""

    @field_validator("date")
    @classmethod
    def _parse_date(cls, value: str) -> str:
        return check_date(value)


class OutcomeTarget(Strict):
    """A historical value of an outcome (a term of the deal, a count); only compared against."""

    track: str
    outcome: str
    value: float
    source: str = Field(min_length=3)
    note: str = ""

    _check_value = field_validator("value")(finite)


class Uncertain(Strict):
    """An uncertain input value: each run of a study draws it around the file's value.

    ``lognormal``: value x exp(N(0, sigma)); ``uniform``: value x U(low, high).
    """

    distribution: Literal["lognormal", "uniform"]
    sigma: float = Field(default=0.0, ge=0, le=3)
    low: float = Field(default=1.0, ge=0, le=100)
    high: float = Field(default=1.0, ge=0, le=100)
    note: str = ""

    @model_validator(mode="after")
    def _ordered(self) -> Uncertain:
        if self.low > self.high:
            raise ValueError("low must not exceed high")
        return self


class Variant(Strict):
    """A named counterfactual: changes to inputs, written as dotted paths into the file."""

    description: str
    changes: dict[str, Any]


class CaseBase(Strict):
    """What every case has, whatever its kind: identity, start, targets, variants, knobs.

    Subclasses add ``kind``, ``tracks`` and their own inputs, and name the milestones
    their targets may use in ``MILESTONES``.
    """

    MILESTONES: ClassVar[tuple[str, ...]] = ()

    name: str
    title: str
    description: str = ""
    start_date: DatedFact
    targets: list[Target] = Field(default_factory=list)
    outcome_targets: list[OutcomeTarget] = Field(default_factory=list)
    variants: dict[str, Variant] = Field(default_factory=dict)
    tuning: dict[str, float] = Field(default_factory=dict)
    uncertainty: dict[str, Uncertain] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _consistent(self) -> CaseBase:
        tracks = getattr(self, "tracks", {})
        problems = []
        for i, target in enumerate(self.targets):
            if target.track not in tracks:
                problems.append(f"targets[{i}].track: no track named {target.track!r}")
            if target.milestone not in self.MILESTONES:
                problems.append(
                    f"targets[{i}].milestone: {target.milestone!r} is not one of "
                    f"{', '.join(self.MILESTONES)}"
                )
        for i, target in enumerate(self.outcome_targets):
            if target.track not in tracks:
                problems.append(f"outcome_targets[{i}].track: no track named {target.track!r}")
        start = self.start_date.day
        for name, track in tracks.items():
            if track.talks_start.day < start:
                problems.append(f"tracks.{name}.talks_start: before the case's start_date")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    @property
    def tuning_knobs(self) -> int:
        """Number of per-case tuning knobs declared (the aim is none)."""
        return len(self.tuning)
