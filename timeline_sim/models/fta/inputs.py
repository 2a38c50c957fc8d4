"""Logging the dated inputs of an FTA case that fall within a run.

Elections (legislative and presidential), summits, sessions and fast-track
authority windows are inputs: they are logged so that a chronology shows them,
and the processes read them from the case, never from the log. The home
party's calendar is logged on the ``domestic`` track; a partner's on each of
its tracks.
"""

from __future__ import annotations

from timeline_sim.models.fta.pressure import DOMESTIC
from timeline_sim.models.fta.protocol import FtaState


def log_inputs(world: FtaState) -> None:
    """Emit one input event per dated fact of the calendar at or after day 0."""
    log, day = world.log, world.calendar.day
    for code, party in world.case.parties.items():
        tracks = [n for n in world.tracks if code in world.case.tracks[n].parties]
        if not tracks:
            continue
        where = [DOMESTIC] if code == world.case.home else tracks
        runtime = world.parties[code]

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
                own = chamber.sessions or party.legislature.sessions
                for session, (opens, closes) in zip(
                    own, runtime.chambers[chamber.name].sessions, strict=True
                ):
                    if closes - 1.0 >= 0:
                        for track in where:
                            log.emit(
                                max(opens, 0.0),
                                track,
                                chamber.name,
                                "session_opens",
                                detail=f"{session.name} [source: {session.source}]",
                            )
                            log.emit(
                                closes - 1.0,
                                track,
                                chamber.name,
                                "session_closes",
                                detail=session.name,
                            )
        for election in party.presidential_elections:
            emit(
                day(election.day),
                party.name,
                "presidential_election",
                f"{election.name} [source: {election.source}]",
            )
        if party.fast_track is not None:
            for window, (granted, expires) in zip(
                party.fast_track.windows, runtime.windows, strict=True
            ):
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
    for name in world.tracks:
        for summit in world.case.tracks[name].summits:
            t = day(summit.day)
            if t >= 0:
                log.emit(
                    t, name, "leaders", "summit", detail=f"{summit.name} [source: {summit.source}]"
                )
