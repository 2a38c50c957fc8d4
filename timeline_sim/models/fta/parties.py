"""A party's institutions during a run: chambers, sittings, fast-track windows, shocks.

Everything here is computed from dated inputs of the case file (sessions,
elections and the seats they leave the government, authority windows,
presidential elections) and from the shocks that have happened so far in the
run; nothing is scheduled from a historical outcome.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
from dataclasses import dataclass, field

from timeline_sim.engine.cache import per_case
from timeline_sim.engine.calendar import Calendar, HistoricalDate
from timeline_sim.models.fta.schema_parties import Chamber, FastTrack, Party


def _day(calendar: Calendar, text: str) -> float:
    return calendar.day(HistoricalDate.parse(text).date)


def _annual(rules: list, calendar: Calendar, years: tuple[int, int]) -> list[tuple[float, float]]:
    """The windows of yearly statutory sessions over the years of a run."""
    out = []
    for rule in rules:
        for year in range(years[0], years[1] + 1):
            opens = calendar.day(dt.date(year, rule.month, rule.day))
            out.append((opens, opens + rule.days))
    return out


def _merge(windows: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Sorted windows with overlapping ones joined."""
    merged: list[tuple[float, float]] = []
    for start, end in sorted(windows):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


@dataclass
class ChamberRuntime:
    """One chamber: when it sits, when it is elected, what share the government holds."""

    name: str
    seats: int | None
    sessions: list[tuple[float, float]]  # [opens, closes + 1 day)
    elections: list[float]
    seat_changes: list[tuple[float, float]]  # (time, government share from then on)
    initial_share: float | None

    @classmethod
    def build(
        cls,
        chamber: Chamber,
        calendar: Calendar,
        shared: list | None = None,
        annual: list | None = None,
        years: tuple[int, int] = (0, 0),
    ) -> ChamberRuntime:
        seats = None if chamber.seats is None else chamber.seats.value
        changes = [
            (calendar.day(e.day), e.government_seats / seats)
            for e in chamber.elections
            if e.government_seats is not None and seats
        ]
        initial = None if chamber.government_seats is None else chamber.government_seats.value
        return cls(
            name=chamber.name,
            seats=None if seats is None else int(seats),
            sessions=_merge(
                [
                    (_day(calendar, s.opens), _day(calendar, s.closes) + 1.0)
                    for s in (chamber.sessions or shared or [])
                ]
                + ([] if chamber.sessions else _annual(annual or [], calendar, years))
            ),
            elections=sorted(calendar.day(e.day) for e in chamber.elections),
            seat_changes=sorted(changes),
            initial_share=None if initial is None or not seats else initial / seats,
        )

    def government_share(self, t: float) -> float | None:
        """The government's seat share at ``t`` (None where the case gives no seats)."""
        share = self.initial_share
        for when, value in self.seat_changes:
            if when > t:
                break
            share = value
        return share

    def next_session_sitting(self, t: float) -> float:
        """Earliest time at or after ``t`` within a session (inf if none is left)."""
        if not self.sessions:
            return t
        for opens, closes in self.sessions:
            if opens <= t < closes:
                return t
            if opens > t:
                return opens
        return math.inf

    def election_proximity(self, t: float, window: float) -> float:
        """1 on the eve of an election, falling to 0 a window's length before it."""
        ahead = [e - t for e in self.elections if 0 <= e - t <= window]
        return 0.0 if not ahead else 1.0 - min(ahead) / window


@per_case
def institutions(
    party: Party, calendar: Calendar, years: tuple[int, int]
) -> tuple[dict[str, ChamberRuntime], list[tuple[float, float]], list[float]]:
    """A party's chambers, authority windows and presidential elections, in simulation days.

    They follow from the case file alone, so they are built once per loaded party
    and shared by every run (nothing in a run changes them; what shocks do is
    kept on the :class:`PartyRuntime`).
    """
    legislature = party.legislature
    chambers = (
        {}
        if legislature is None
        else {
            c.name: ChamberRuntime.build(
                c, calendar, legislature.sessions, legislature.annual_sessions, years
            )
            for c in legislature.chambers
        }
    )
    windows = []
    if party.fast_track is not None:
        for w in party.fast_track.windows:
            expires = math.inf if w.expires is None else _day(calendar, w.expires) + 1.0
            windows.append((_day(calendar, w.granted), expires))
    presidential = sorted(calendar.day(e.day) for e in party.presidential_elections)
    return chambers, sorted(windows), presidential


@dataclass
class PartyRuntime:
    """One party: its chambers, its clocks, and what shocks have done to it so far.

    ``chambers``, ``windows`` and ``presidential_elections`` are shared by every run
    of the case (see :func:`institutions`): read them, never change them.
    """

    code: str
    name: str
    spec: Party
    chambers: dict[str, ChamberRuntime]
    windows: list[tuple[float, float]]  # fast-track authority [granted, expires)
    presidential_elections: list[float]
    suspended: list[tuple[float, float]] = field(default_factory=list)  # legislature suspended
    agenda_blocked_until: float = -math.inf  # no submission before this

    @classmethod
    def build(
        cls, code: str, party: Party, calendar: Calendar, years: tuple[int, int] = (0, 0)
    ) -> PartyRuntime:
        chambers, windows, presidential = institutions(party, calendar, years)
        return cls(
            code=code,
            name=party.name,
            spec=party,
            chambers=chambers,
            windows=windows,
            presidential_elections=presidential,
        )

    @property
    def legislature_name(self) -> str:
        return "" if self.spec.legislature is None else self.spec.legislature.name

    @property
    def fast_track(self) -> FastTrack | None:
        return self.spec.fast_track

    def authority_in_force(self, t: float) -> bool:
        """A fast-track authority is in force at ``t``."""
        return any(start <= t < end for start, end in self.windows)

    def next_authority(self, t: float) -> float:
        """When an authority is next in force at or after ``t`` (inf if never)."""
        for start, end in self.windows:
            if t < end:
                return max(start, t)
        return math.inf

    def fast_track_applies(self, signed_at: float, t: float) -> bool:
        """An agreement signed at ``signed_at`` and submitted at ``t`` goes on the fast track."""
        if self.fast_track is None:
            return False
        if self.fast_track.applies_to == "signed_before_expiry":
            return self.authority_in_force(signed_at)
        return self.authority_in_force(t)

    def suspend(self, start: float, end: float) -> None:
        """The legislature cannot sit in ``[start, end)`` (a coup)."""
        self.suspended.append((start, end))

    def restore(self, t: float) -> None:
        """A restoration ends every suspension at ``t``."""
        self.suspended = [(a, min(b, t)) for a, b in self.suspended]

    def next_sitting(self, chamber: str, t: float) -> float:
        """Earliest time at or after ``t`` when ``chamber`` sits and is not suspended."""
        runtime = self.chambers[chamber]
        for _ in range(64):  # a handful of sessions and suspensions at most
            sitting = runtime.next_session_sitting(t)
            blocked = [b for a, b in self.suspended if a <= sitting < b]
            if not blocked:
                return sitting
            t = max(blocked)
        return math.inf

    def lame_duck_until(self, t: float, window: float) -> float:
        """If a presidential election falls within ``window`` after ``t``, the day after it."""
        i = bisect.bisect_left(self.presidential_elections, t)
        if i < len(self.presidential_elections) and self.presidential_elections[i] - t <= window:
            return self.presidential_elections[i] + 1.0
        return t
