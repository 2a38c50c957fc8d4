"""The schema of the parties to an FTA: legislatures, ratification routes, clocks, shocks.

Every party that must ratify an agreement is described once, by observable
facts: its legislature (chambers, seats, the government's seats and how
elections change them, session calendars), the route its ratification takes
(legislative votes, cabinet or decree approval, a constitutional-court review,
a referendum, implementing measures), a fast-track authority with its statutory
clock, presidential elections and dated shocks. What a party *does* with these
(when it submits, whether a vote passes) is decided by the processes.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from timeline_sim.cases.schema import DatedFact, Fact, Strict, check_date
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


class AnnualSession(Strict):
    """A session a statute convenes every year: it opens on ``month``/``day`` and lasts ``days``.

    For a legislature whose sessions are set by rule (Japan's ordinary Diet session is
    convened in January for 150 days) where the exact dates of each year are not listed;
    the convening day is then approximate, and the case says so in ``note``.
    """

    name: str
    month: int = Field(ge=1, le=12)
    day: int = Field(ge=1, le=28)
    days: int = Field(ge=1, le=366)
    source: str = Field(min_length=3)
    note: str = ""


class Election(DatedFact):
    """A dated election of a chamber; ``government_seats`` is what the government holds after it."""

    government_seats: float | None = Field(default=None, ge=0)


class Chamber(Strict):
    """One chamber of a legislature: its size, the government's seats, its calendar."""

    name: str
    seats: Fact | None = None  # needed for the government's share (and to count votes in text)
    government_seats: Fact | None = None  # seats of the executive's party or coalition at the start
    sessions: list[Session] = Field(default_factory=list)  # none listed: it can always sit
    elections: list[Election] = Field(default_factory=list)

    @model_validator(mode="after")
    def _seats(self) -> Chamber:
        has_government = self.government_seats is not None or any(
            e.government_seats is not None for e in self.elections
        )
        if self.seats is None:
            if has_government:
                raise ValueError("government seats need the chamber's seats")
            return self
        if self.seats.value < 1:
            raise ValueError("seats.value must be at least 1")
        seats = self.seats.value
        if self.government_seats is not None and not 0 <= self.government_seats.value <= seats:
            raise ValueError("government_seats.value must lie between 0 and seats.value")
        for i, election in enumerate(self.elections):
            if election.government_seats is not None and election.government_seats > seats:
                raise ValueError(f"elections[{i}].government_seats exceeds seats.value")
        return self


class Legislature(Strict):
    """The body that votes on agreements: one or more chambers, voting in the order listed.

    ``sessions`` and ``annual_sessions`` (a statute's yearly sessions) apply to every
    chamber that lists no sessions of its own; votes can be held in any of them.
    """

    name: str
    chambers: list[Chamber] = Field(min_length=1, max_length=3)
    sessions: list[Session] = Field(default_factory=list)
    annual_sessions: list[AnnualSession] = Field(default_factory=list)

    @model_validator(mode="after")
    def _distinct(self) -> Legislature:
        names = [c.name for c in self.chambers]
        if len(set(names)) != len(names):
            raise ValueError("chambers must have distinct names")
        return self


class AuthorityWindow(Strict):
    """A period in which a fast-track authority is in force (``expires`` absent: open-ended)."""

    granted: str
    expires: str | None = None
    source: str = Field(min_length=3)

    @field_validator("granted", "expires")
    @classmethod
    def _parse_date(cls, value: str | None) -> str | None:
        return None if value is None else check_date(value)

    @model_validator(mode="after")
    def _ordered(self) -> AuthorityWindow:
        if self.expires is not None and (
            HistoricalDate.parse(self.expires).date < HistoricalDate.parse(self.granted).date
        ):
            raise ValueError("expires before it is granted")
        return self


class FastTrack(Strict):
    """A statutory fast-track procedure: an up-or-down vote, no amendment, within a clock.

    ``applies_to``: an agreement qualifies if it was signed while an authority was in
    force (the US rule of 2002) or only if it is submitted while one is.
    """

    name: str = "fast-track authority"
    chambers: list[str] = Field(min_length=1)  # the chambers whose vote the clock governs
    windows: list[AuthorityWindow] = Field(min_length=1)
    vote_days: Fact  # statutory days from submission to the last vote
    applies_to: Literal["signed_before_expiry", "submitted_before_expiry"] = "signed_before_expiry"
    source: str = Field(min_length=3)


RouteKind = Literal["legislature", "cabinet", "court_review", "referendum", "implementation"]


class RouteStep(Strict):
    """One step of a party's ratification, in the order the party takes them.

    - ``legislature``: submission (the executive decides when), committee and votes in
      ``chambers`` (default: every chamber, in order);
    - ``cabinet``: approval by the cabinet, a decree or the head of state;
    - ``court_review``: a constitutional-court review of the agreement or its law;
    - ``referendum``: ``optional`` (a waiting period of ``days`` in which opponents may
      force a vote) or ``mandatory`` (a vote is always held);
    - ``implementation``: implementing measures certified before the party notifies.
    """

    step: RouteKind
    name: str = ""
    chambers: list[str] = Field(default_factory=list)
    referendum: Literal["optional", "mandatory"] | None = None
    days: Fact | None = None  # statutory waiting period of an optional referendum
    source: str = Field(min_length=3)
    note: str = ""

    @model_validator(mode="after")
    def _fields(self) -> RouteStep:
        if self.step == "referendum" and self.referendum is None:
            raise ValueError("a referendum step needs referendum = 'optional' or 'mandatory'")
        if self.step != "referendum" and self.referendum is not None:
            raise ValueError("referendum applies to a referendum step only")
        if self.referendum == "optional" and self.days is None:
            raise ValueError("an optional referendum needs its statutory waiting period (days)")
        if self.chambers and self.step != "legislature":
            raise ValueError("chambers apply to a legislature step only")
        return self


ShockKind = Literal["coup", "restoration", "government_change", "financial_crisis", "disaster"]


class PartyShock(DatedFact):
    """A dated exogenous shock to one party (an input): it changes what the party can do.

    A ``coup`` suspends the legislature until a ``restoration`` (or for a shared
    time); a ``government_change`` makes the new executive review pending
    agreements; a ``financial_crisis`` or a ``disaster`` takes the legislative agenda
    for a while.
    """

    kind: ShockKind
    size: float = Field(default=1.0, ge=0, le=10)


class Party(Strict):
    """A party to one or more of the case's agreements, and how it ratifies them."""

    name: str
    legislature: Legislature | None = None
    route: list[RouteStep] = Field(min_length=1)
    fast_track: FastTrack | None = None
    presidential_elections: list[DatedFact] = Field(default_factory=list)
    shocks: list[PartyShock] = Field(default_factory=list)
    ftas_in_force: Fact | None = None  # context: agreements already in force at the start

    @model_validator(mode="after")
    def _route(self) -> Party:
        chambers = [] if self.legislature is None else [c.name for c in self.legislature.chambers]
        votes = [s for s in self.route if s.step == "legislature"]
        if votes and self.legislature is None:
            raise ValueError("route has a legislature step but the party has no legislature")
        for i, step in enumerate(self.route):
            for name in step.chambers:
                if name not in chambers:
                    raise ValueError(
                        f"route[{i}].chambers: no chamber named {name!r} "
                        f"(chambers: {', '.join(chambers) or 'none'})"
                    )
        if self.fast_track is not None:
            if self.legislature is None:
                raise ValueError("fast_track: a fast-track clock needs a legislature")
            for name in self.fast_track.chambers:
                if name not in chambers:
                    raise ValueError(
                        f"fast_track.chambers: no chamber named {name!r} "
                        f"(chambers: {', '.join(chambers)})"
                    )
        if self.ftas_in_force is not None and self.ftas_in_force.value < 0:
            raise ValueError("ftas_in_force.value must not be negative")
        return self

    def chamber_names(self, step: RouteStep) -> list[str]:
        """The chambers a legislature step votes in, in order."""
        if step.chambers:
            return list(step.chambers)
        return [] if self.legislature is None else [c.name for c in self.legislature.chambers]
