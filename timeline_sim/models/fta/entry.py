"""Entry into force: after the last party ratifies, notes are exchanged and the clause applies.

An agreement enters into force only when every party has ratified (DESIGN.md,
section 5: the slowest party sets the pace). The parties then notify each other
(an exchange of notes, about ``notes_days``), and the treaty's own clause dates
entry into force from that notification: a number of days after it, the first
day of a later month, or a fixed date if the notification comes before it.
"""

from __future__ import annotations

import datetime as dt

from timeline_sim.engine.calendar import Calendar, HistoricalDate
from timeline_sim.models.fta.protocol import FtaState
from timeline_sim.models.fta.schema import EntryIntoForce


def entry_day(rule: EntryIntoForce | None, calendar: Calendar, notified: float) -> float:
    """Simulation day of entry into force for a last notification at ``notified``."""
    if rule is None:
        return notified
    date = calendar.date(notified)
    if rule.rule == "days_after_notification":
        return calendar.day(date) + rule.days
    if rule.rule == "first_day_of_month_after":
        month = date.month - 1 + rule.months
        first = dt.date(date.year + month // 12, month % 12 + 1, 1)
        return calendar.day(first)
    fixed = calendar.day(HistoricalDate.parse(rule.date).date)
    return max(fixed, calendar.day(date))


def enter_into_force(world: FtaState, name: str):
    """Exchange notes, then enter into force on the day the clause gives."""
    env = world.env
    track = world.case.tracks[name]
    state = world.tracks[name]
    rng = world.streams.get(f"{name}/entry_into_force")
    mean = world.params.routes.notes_days
    yield env.timeout(float(rng.gamma(4.0, mean / 4.0)))
    state.notes_at = env.now
    world.log.emit(env.now, name, "governments", "notes_exchanged", detail=world.track_label(name))
    day = entry_day(track.entry_into_force, world.calendar, env.now)
    if day > env.now:
        yield env.timeout(day - env.now)
    state.in_force_at = env.now
    clause = "" if track.entry_into_force is None else f" [{track.entry_into_force.source}]"
    world.log.emit(
        env.now, name, "governments", "entry_into_force", detail=world.track_label(name) + clause
    )
    world.in_force_events[name].succeed()
