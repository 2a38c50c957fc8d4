"""The schema of FTA cases: a country, its legislature, its negotiation tracks."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field, field_validator, model_validator

from timeline_sim.cases.schema import (
    CaseBase,
    DatedFact,
    Fact,
    Strict,
    check_date,
    finite,
    register_case_kind,
)
from timeline_sim.engine.calendar import HistoricalDate


class Session(Strict):
    """A legislative session: votes can be held only between ``opens`` and ``closes``."""

    name: str
    opens: str
    closes: str
    source: str = Field(min_length=3)

    @model_validator(mode="after")
    def _ordered(self) -> Session:
        if HistoricalDate.parse(self.closes).date < HistoricalDate.parse(self.opens).date:
            raise ValueError("closes before it opens")
        return self

    @field_validator("opens", "closes")
    @classmethod
    def _parse_date(cls, value: str) -> str:
        return check_date(value)


class Legislature(Strict):
    """The body that ratifies: its size, its rural members, its calendar."""

    name: str
    members: Fact
    rural_members: Fact
    chambers: Literal[1, 2] = 1
    sessions: list[Session] = Field(default_factory=list)
    elections: list[DatedFact] = Field(default_factory=list)

    @model_validator(mode="after")
    def _rural_within(self) -> Legislature:
        if self.members.value < 1:
            raise ValueError("members.value must be at least 1")
        if not 0 <= self.rural_members.value <= self.members.value:
            raise ValueError("rural_members.value must lie between 0 and members.value")
        return self


class Product(Strict):
    """A sensitive product of the issue, weighted by its share of the partner's stake."""

    name: str
    weight: float = Field(gt=0)
    source: str = Field(min_length=3)

    _check_weight = field_validator("weight")(finite)


class Issue(Strict):
    """The sensitive issue on which the negotiation turns, in its natural unit."""

    name: str
    unit: str
    home_opening: float
    partner_ask: float
    source: str = Field(min_length=3)
    products: list[Product] = Field(default_factory=list)

    _check_numbers = field_validator("home_opening", "partner_ask")(finite)

    @model_validator(mode="after")
    def _distinct(self) -> Issue:
        if self.home_opening == self.partner_ask:
            raise ValueError("home_opening and partner_ask must differ")
        return self


class Initiative(Strict):
    """Which side proposed the talks: the side that asks is the more eager one."""

    side: Literal["home", "partner"]
    source: str = Field(min_length=3)


class Track(Strict):
    """One bilateral negotiation of the country."""

    partner: str
    description: str = ""
    enabled: bool = True
    talks_start: DatedFact
    initiated_by: Initiative
    farm_trade_share: Fact  # share of farm goods in bilateral trade
    tariff_height: Fact  # home tariff on the farm goods the partner exports (1 = 100%)
    seasonal_overlap: Fact | None = None  # share of the year the partner's produce competes
    issue: Issue
    summits: list[DatedFact] = Field(default_factory=list)

    @field_validator("farm_trade_share", "seasonal_overlap")
    @classmethod
    def _share(cls, fact: Fact | None) -> Fact | None:
        if fact is not None and not 0 <= fact.value <= 1:
            raise ValueError("value must be a share between 0 and 1")
        return fact

    @field_validator("tariff_height")
    @classmethod
    def _tariff(cls, fact: Fact) -> Fact:
        if not 0 <= fact.value <= 10:
            raise ValueError("value must be an ad valorem rate between 0 and 10 (1 = 100%)")
        return fact

    @property
    def exposure(self) -> float:
        """Farm exposure: farm share of bilateral trade x tariff height x seasonal overlap."""
        overlap = 1.0 if self.seasonal_overlap is None else self.seasonal_overlap.value
        return self.farm_trade_share.value * self.tariff_height.value * overlap


FTA_MILESTONES = (
    "concluded",
    "signed",
    "submitted",
    "committee_passed",
    "vote_failed",
    "ratified_lower",
    "ratified",
    "breakdown",
)


class FtaCase(CaseBase):
    """A country negotiating several FTAs with one shared domestic state."""

    MILESTONES: ClassVar[tuple[str, ...]] = FTA_MILESTONES

    kind: Literal["fta"]
    country: str
    legislature: Legislature
    tracks: dict[str, Track] = Field(min_length=1)


register_case_kind("fta", FtaCase)
