"""The schema of FTA cases: a country, the parties that ratify, the negotiation tracks.

A case is one country (the ``home`` party, whose business pressure every track
shares) negotiating one or more agreements (tracks). Each track names its
parties (the home party first), the sectors that oppose or support it on each
side with their observable sizes, the sensitive issue of the talks, the summits
that act as deadlines, and the treaty's entry-into-force rule. How each party
ratifies is described once, in :mod:`~timeline_sim.models.fta.schema_parties`.
"""

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
from timeline_sim.models.fta.schema_parties import Party


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
    note: str = ""


class Sector(Strict):
    """A sector of one party that opposes or supports an agreement, with its observable size.

    ``trade_share``: for an opposed sector, the share of the party's imports from the
    partner in the sector's goods; for a supporting one, the share of its exports to
    the partner. ``tariff``: the protection at stake, the party's own tariff (opposed)
    or the partner's tariff its exports face (supporting), ad valorem (1 = 100%).
    ``aligned_share``: the share of the party's legislators who speak for the sector
    (rural members for farmers, members from auto districts for car workers).
    """

    party: str
    name: str
    kind: Literal["farm", "fishery", "industry", "labour", "services", "other"]
    stance: Literal["opposed", "supporting"]
    trade_share: Fact
    tariff: Fact
    seasonal_overlap: Fact | None = None  # share of the year the partner's goods compete
    aligned_share: Fact | None = None
    note: str = ""

    @field_validator("trade_share", "seasonal_overlap", "aligned_share")
    @classmethod
    def _share(cls, fact: Fact | None) -> Fact | None:
        if fact is not None and not 0 <= fact.value <= 1:
            raise ValueError("value must be a share between 0 and 1")
        return fact

    @field_validator("tariff")
    @classmethod
    def _tariff(cls, fact: Fact) -> Fact:
        if not 0 <= fact.value <= 10:
            raise ValueError("value must be an ad valorem rate between 0 and 10 (1 = 100%)")
        return fact

    @property
    def exposure(self) -> float:
        """Trade share x tariff x seasonal overlap: how much the agreement touches the sector."""
        overlap = 1.0 if self.seasonal_overlap is None else self.seasonal_overlap.value
        return self.trade_share.value * self.tariff.value * overlap

    @property
    def protection(self) -> float:
        """Tariff x seasonal overlap: the protection a full concession removes."""
        overlap = 1.0 if self.seasonal_overlap is None else self.seasonal_overlap.value
        return self.tariff.value * overlap


class EntryIntoForce(Strict):
    """The treaty's entry-into-force clause, applied to the date of the last notification.

    ``days_after_notification``: ``days`` after it (``days = 0``: that day);
    ``first_day_of_month_after``: the first day of the ``months``-th month after its month;
    ``on_date``: on ``date``, or on the last notification if that comes later.
    """

    rule: Literal["days_after_notification", "first_day_of_month_after", "on_date"]
    days: int = Field(default=0, ge=0, le=3650)
    months: int = Field(default=0, ge=0, le=24)
    date: str | None = None
    source: str = Field(min_length=3)

    @field_validator("date")
    @classmethod
    def _parse_date(cls, value: str | None) -> str | None:
        return None if value is None else check_date(value)

    @model_validator(mode="after")
    def _fields(self) -> EntryIntoForce:
        if self.rule == "on_date" and self.date is None:
            raise ValueError("rule 'on_date' needs a date")
        if self.rule == "first_day_of_month_after" and self.months < 1:
            raise ValueError("rule 'first_day_of_month_after' needs months >= 1")
        return self


class Track(Strict):
    """One agreement the country negotiates, with the parties that must ratify it."""

    partner: str  # the partner's name as history knows it (several parties: e.g. "EFTA")
    parties: list[str] = Field(min_length=2)  # party codes, the home party first
    description: str = ""
    enabled: bool = True
    talks_start: DatedFact
    initiated_by: Initiative
    issue: Issue
    sectors: list[Sector] = Field(default_factory=list)
    summits: list[DatedFact] = Field(default_factory=list)
    entry_into_force: EntryIntoForce | None = None

    def home_sectors(self, home: str, stance: str = "opposed") -> list[Sector]:
        """The home party's sectors of one stance."""
        return [s for s in self.sectors if s.party == home and s.stance == stance]

    def exposure(self, home: str) -> float:
        """Home exposure on the sensitive issue: the sum over its opposed sectors."""
        return sum(s.exposure for s in self.home_sectors(home))

    def partner_stake(self, home: str) -> float:
        """The partner's stake in the home side's concession: the trade its opposition shields."""
        return sum(s.trade_share.value for s in self.home_sectors(home))


#: Milestones of the agreement as a whole.
AGREEMENT_MILESTONES = (
    "concluded",
    "signed",
    "breakdown",
    "renegotiation_opened",
    "renegotiated",
    "notes_exchanged",
    "entry_into_force",
)
#: Milestones of one party's ratification (the home party's unless a target names another).
PARTY_MILESTONES = (
    "submitted",
    "committee_passed",
    "chamber_passed",
    "vote_failed",
    "court_approved",
    "referendum_held",
    "ratified",
)
FTA_MILESTONES = AGREEMENT_MILESTONES + PARTY_MILESTONES


class FtaCase(CaseBase):
    """A country negotiating one or more FTAs with one shared domestic state."""

    MILESTONES: ClassVar[tuple[str, ...]] = FTA_MILESTONES

    kind: Literal["fta"]
    country: str
    home: str  # the code of the country's own party in ``parties``
    parties: dict[str, Party] = Field(min_length=2)
    tracks: dict[str, Track] = Field(min_length=1)
    horizon: DatedFact | None = None  # runs end here (default: 12 years after start_date)

    @model_validator(mode="after")
    def _references(self) -> FtaCase:
        problems = []
        if self.home not in self.parties:
            problems.append(f"home: no party named {self.home!r} in parties")
        for name, track in self.tracks.items():
            base = f"tracks.{name}"
            for i, code in enumerate(track.parties):
                if code not in self.parties:
                    problems.append(
                        f"{base}.parties[{i}]: no party named {code!r} "
                        f"(parties: {', '.join(self.parties)})"
                    )
            if len(set(track.parties)) != len(track.parties):
                problems.append(f"{base}.parties: a party is listed twice")
            if track.parties and track.parties[0] != self.home:
                problems.append(f"{base}.parties: the home party {self.home!r} must come first")
            for i, sector in enumerate(track.sectors):
                if sector.party not in track.parties:
                    problems.append(
                        f"{base}.sectors[{i}].party: {sector.party!r} is not a party to this "
                        f"track ({', '.join(track.parties)})"
                    )
        for i, target in enumerate(self.targets):
            track = self.tracks.get(target.track)
            if track is None:
                continue
            where = f"targets[{i}]"
            if target.party is not None:
                if target.milestone in AGREEMENT_MILESTONES:
                    problems.append(
                        f"{where}.party: {target.milestone!r} is a milestone of the whole "
                        "agreement; leave party out"
                    )
                elif target.party not in track.parties:
                    problems.append(
                        f"{where}.party: {target.party!r} is not a party to track "
                        f"{target.track!r} ({', '.join(track.parties)})"
                    )
            party = self.parties.get(target.party or self.home)
            if target.milestone == "chamber_passed":
                chambers = (
                    []
                    if party is None or party.legislature is None
                    else [c.name for c in party.legislature.chambers]
                )
                if target.chamber not in chambers:
                    problems.append(
                        f"{where}.chamber: a chamber_passed target names one of "
                        f"{', '.join(chambers) or 'no chambers'}, got {target.chamber!r}"
                    )
            elif target.chamber is not None:
                problems.append(f"{where}.chamber: only chamber_passed targets name a chamber")
        if self.horizon is not None and self.horizon.day <= self.start_date.day:
            problems.append("horizon: must come after the start_date")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def party_of(self, code: str) -> Party:
        """The party with this code."""
        return self.parties[code]


register_case_kind("fta", FtaCase)
