"""Logging the dated inputs of an FTA case that fall within a run.

Elections (legislative and presidential), summits, sessions and fast-track
authority windows are inputs: they are logged so that a chronology shows them,
and the processes read them from the case, never from the log. The home
party's calendar is logged on the ``domestic`` track; a partner's on each of
its tracks.
"""

from __future__ import annotations

from timeline_sim.engine.cache import per_case
from timeline_sim.engine.calendar import Calendar, HistoricalDate
from timeline_sim.engine.events import EventLog
from timeline_sim.models.fta.parties import institutions
from timeline_sim.models.fta.pressure import DOMESTIC
from timeline_sim.models.fta.protocol import FtaState
from timeline_sim.models.fta.schema import FtaCase


def log_inputs(world: FtaState) -> None:
    """Emit one input event per dated fact of the calendar at or after day 0.

    The events follow from the case alone (its calendar, its enabled tracks, its
    parties' sittings), so they are worked out once per loaded case and copied
    into each run's log.
    """
    world.log.records.extend(_input_records(world.case, world.calendar, world.years))


@per_case
def _input_records(case: FtaCase, calendar: Calendar, years: tuple[int, int]) -> tuple[tuple, ...]:
    """The input events of ``case`` over ``years``, as records of the event log."""
    log, day = EventLog(), calendar.day
    enabled = [name for name, track in case.tracks.items() if track.enabled]

    def day_of(text: str) -> float:
        return day(HistoricalDate.parse(text).date)

    for code, party in case.parties.items():
        tracks = [n for n in enabled if code in case.tracks[n].parties]
        if not tracks:
            continue
        where = [DOMESTIC] if code == case.home else tracks
        chambers, windows, _presidential = institutions(party, calendar, years)

        def emit(t: float, actor: str, kind: str, detail: str, where=where) -> None:
            if t >= 0:
                for track in where:
                    log.emit(t, track, actor, kind, detail=detail)

        if party.legislature is not None:
            for chamber in party.legislature.chambers:
                for election in chamber.elections:
                    emit(
                        day(election.day),
                        chamber.name,
                        "election",
                        f"{election.name} [source: {election.source}]",
                    )
            legislature = party.legislature
            named = {}
            for chamber in legislature.chambers:
                for session in chamber.sessions or legislature.sessions:
                    key = (day_of(session.opens), day_of(session.closes) + 1.0)
                    named[key] = f"{session.name} [source: {session.source}]"
            annual = ", ".join(r.name for r in legislature.annual_sessions)
            rules = "; ".join(r.source for r in legislature.annual_sessions)
            logged = set()
            for chamber in chambers.values():
                for window in chamber.sessions:
                    if window in logged or window[1] - 1.0 < 0:
                        continue
                    logged.add(window)
                    opens, closes = window
                    detail = named.get(window, f"{annual} (by statute) [source: {rules}]")
                    for track in where:
                        log.emit(
                            max(opens, 0.0), track, legislature.name, "session_opens", detail=detail
                        )
                        log.emit(
                            closes - 1.0,
                            track,
                            legislature.name,
                            "session_closes",
                            detail=detail.split(" [source")[0],
                        )
        for election in party.presidential_elections:
            emit(
                day(election.day),
                party.name,
                "presidential_election",
                f"{election.name} [source: {election.source}]",
            )
        if party.fast_track is not None:
            for window, (granted, expires) in zip(party.fast_track.windows, windows, strict=True):
                emit(
                    granted,
                    party.name,
                    "authority_granted",
                    f"{party.fast_track.name} in force [source: {window.source}]",
                )
                if window.expires is not None:
                    emit(
                        expires - 1.0,
                        party.name,
                        "authority_expired",
                        f"{party.fast_track.name} expires",
                    )
    for name in enabled:
        for summit in case.tracks[name].summits:
            t = day(summit.day)
            if t >= 0:
                log.emit(
                    t, name, "leaders", "summit", detail=f"{summit.name} [source: {summit.source}]"
                )
    return tuple(log.records)
