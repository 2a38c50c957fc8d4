"""Dated shocks to a party: coups, changes of government, financial crises, disasters.

Shocks are inputs (the only historical dates besides calendars that a case may
schedule); what they do is shared by every case. A coup suspends the
legislature until a dated restoration (or for about ``coup_days``); a change of
government makes the new executive review pending agreements for about
``new_government_days``; a financial crisis or a disaster takes the legislative
agenda for ``crisis_days`` or ``disaster_days``. Each scales with the shock's size.
"""

from __future__ import annotations

from timeline_sim.models.fta.protocol import FtaState


def party_shocks(world: FtaState, code: str, tracks: list[str]):
    """Apply one party's shocks at their dates; log each on the party's tracks."""
    env = world.env
    party = world.parties[code]
    pp = world.params.politics
    shocks = sorted(party.spec.shocks, key=lambda s: s.day)
    for i, shock in enumerate(shocks):
        t = world.calendar.day(shock.day)
        if t < 0:
            continue
        if t > env.now:
            yield env.timeout(t - env.now)
        for name in tracks:
            world.log.emit(
                env.now,
                name,
                party.name,
                "shock",
                shock.size,
                f"{shock.kind.replace('_', ' ')}: {shock.name} [source: {shock.source}]",
            )
        if not world.params.mechanisms.shocks:
            continue
        if shock.kind == "coup":
            later = [s for s in shocks[i + 1 :] if s.kind == "restoration"]
            end = world.calendar.day(later[0].day) if later else env.now + pp.coup_days * shock.size
            party.suspend(env.now, end)
            party.agenda_blocked_until = max(party.agenda_blocked_until, end)
        elif shock.kind == "restoration":
            party.restore(env.now)
            party.agenda_blocked_until = min(party.agenda_blocked_until, env.now)
        else:
            days = {
                "government_change": pp.new_government_days,
                "financial_crisis": pp.crisis_days,
                "disaster": pp.disaster_days,
            }[shock.kind]
            party.agenda_blocked_until = max(
                party.agenda_blocked_until, env.now + days * shock.size
            )
