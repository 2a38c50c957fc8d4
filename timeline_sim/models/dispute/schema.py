"""The schema of dispute cases: an initiator, a target, episodes with deadlines and shocks."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field, field_validator

from timeline_sim.cases.schema import CaseBase, DatedFact, Fact, Strict, register_case_kind

DISPUTE_MILESTONES = (
    "talks_launched",
    "section_301",
    "wto_referral",
    "sanctions_list",
    "wto_complaint",
    "counter_sanctions",
    "agreement",
)


class SideFacts(Strict):
    """Observable reference facts of one side of a dispute."""

    name: str
    exports: Fact  # vehicles a year this side ships to the other (its stake in the other's market)
    market_share: Fact | None = None  # this side's share of the other side's market
    trade_asymmetry: Fact | None = None  # vehicles a year by which the other side out-sells it
    trend: Fact | None = None  # yearly worsening of its position (share per year; 0 = flat)
    promises_broken: Fact | None = None  # earlier promises of the other side not kept (count)

    @field_validator("market_share")
    @classmethod
    def _share(cls, fact: Fact | None) -> Fact | None:
        if fact is not None and not 0 <= fact.value <= 1:
            raise ValueError("value must be a share between 0 and 1")
        return fact

    @field_validator("exports", "trade_asymmetry", "promises_broken")
    @classmethod
    def _nonnegative(cls, fact: Fact | None) -> Fact | None:
        if fact is not None and fact.value < 0:
            raise ValueError("value must not be negative")
        return fact


class Deadline(DatedFact):
    """A dated deadline on the calendar (an input): a summit, a Super 301 date, a benchmark."""

    kind: Literal["summit", "super301", "benchmark"]


class Shock(DatedFact):
    """A dated exogenous shock; it only changes a parameter of one side."""

    side: Literal["initiator", "target"]
    kind: Literal["government_change", "currency", "financial_crisis"]
    size: float = Field(default=1.0, ge=0, le=10)


class DisputeTrack(Strict):
    """One episode of a dispute between the initiator and the target."""

    description: str = ""
    enabled: bool = True
    talks_start: DatedFact
    initiator: SideFacts
    target: SideFacts
    deadlines: list[Deadline] = Field(default_factory=list)
    section_301_initiated: DatedFact | None = None  # a statutory 301 clock that starts the episode
    shocks: list[Shock] = Field(default_factory=list)

    @property
    def partner(self) -> str:
        """The target, named as an FTA track names its partner (for listings)."""
        return self.target.name


class DisputeCase(CaseBase):
    """A market-access dispute: one initiator, one target, one or more episodes (tracks)."""

    MILESTONES: ClassVar[tuple[str, ...]] = DISPUTE_MILESTONES

    kind: Literal["dispute"]
    tracks: dict[str, DisputeTrack] = Field(min_length=1)


register_case_kind("dispute", DisputeCase)
