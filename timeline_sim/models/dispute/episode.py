"""The processes of one dispute episode: decision points and deadlines, and dated shocks."""

from __future__ import annotations

import math

from timeline_sim.models.dispute import prospect
from timeline_sim.models.dispute.bargaining import agreement_time
from timeline_sim.models.dispute.deadlines import agree, on_deadline
from timeline_sim.models.dispute.escalation import escalate, open_301
from timeline_sim.models.dispute.protocol import DisputeState
from timeline_sim.models.dispute.state import ActiveDeadline
from timeline_sim.models.dispute.tactics import INITIATOR, TARGET


def shocks(world: DisputeState, name: str):
    """Dated shocks change a side's parameters (here: the target's resistance)."""
    track = world.case.tracks[name]
    ep = world.tracks[name]
    effects = {
        "government_change": world.p.government_change_effect,
        "currency": world.p.currency_effect,
        "financial_crisis": world.p.crisis_effect,
    }
    for shock in sorted(track.shocks, key=lambda s: s.day):
        t = world.calendar.day(shock.day)
        if t > world.env.now:
            yield world.env.timeout(t - world.env.now)
        if ep.finished:
            return
        side = ep.us if shock.side == INITIATOR else ep.them
        side.resistance_multiplier *= 1.0 + effects[shock.kind] * shock.size
        world.log.emit(
            world.env.now,
            name,
            side.label,
            "shock",
            shock.size,
            f"{shock.kind}: {shock.name} [source: {shock.source}]",
        )


def episode(world: DisputeState, name: str):
    """The dispute on one track: decision points, deadlines and agreement."""
    track = world.case.tracks[name]
    ep = world.tracks[name]
    p = world.p
    rounds = world.streams.get(f"{name}/rounds")
    noise = world.streams.get(f"{name}/resistance")
    start = world.calendar.day(track.talks_start.day)
    yield world.env.timeout(max(0.0, start))
    ep.talks_start = world.env.now
    world.log.emit(
        world.env.now,
        name,
        "negotiators",
        "talks_launched",
        math.nan,
        f"{track.talks_start.name} [source: {track.talks_start.source}]",
    )
    for dl in track.deadlines:
        t = world.calendar.day(dl.day)
        if t >= world.env.now:
            ep.deadlines.append(ActiveDeadline(t, dl.kind, dl.name or dl.kind))
    world.rechoose(name, INITIATOR, "reference point: the status quo")
    world.rechoose(name, TARGET, "reference point: the status quo")
    s301 = (
        None
        if track.section_301_initiated is None
        else world.calendar.day(track.section_301_initiated.day)
    )
    escalate(world, name)
    next_round = world.env.now + rounds.gamma(
        world.params.bargaining.round_interval_shape,
        p.round_interval_days / world.params.bargaining.round_interval_shape,
    )
    noise_of: dict[int, float] = {}
    while not ep.finished:
        now = world.env.now
        d = world.current_deadline(name)
        t_agree = math.inf
        r = m = 0.0
        if d is not None:
            if id(d) not in noise_of:
                noise_of[id(d)] = float(noise.lognormal(0.0, p.resistance_noise))
            r = min(1.0, world.resistance(name, d) * noise_of[id(d)])
            m = world.minimum_demand(name, d)
            t_agree = max(now, agreement_time(d.t, r, m, p.deadline_efold_days))
            if t_agree > d.t:
                t_agree = math.inf
        cands = [(t_agree, 0), (d.t if d else math.inf, 1), (next_round, 2)]
        if s301 is not None and ep.section_301_at is None:
            cands.append((max(now, s301), 3))
        when, what = min(cands)
        if when > now:
            yield world.env.timeout(when - now)
            if ep.finished:
                break
        if d is not None:
            # the state may have changed while waiting (replies, shocks): re-evaluate
            r = min(1.0, world.resistance(name, d) * noise_of[id(d)])
            m = world.minimum_demand(name, d)
            if agreement_time(d.t, r, m, p.deadline_efold_days) <= world.env.now + 1e-9:
                agree(world, name, d, r, m)
                break
        if what == 0:
            continue
        elif what == 1:
            on_deadline(world, name, d, r, m)
        elif what == 2:
            world.rechoose(name, INITIATOR, "decision point")
            world.rechoose(name, TARGET, "decision point")
            escalate(world, name)
            if ep.them.strategy == prospect.VALUE_CREATING and not ep.finished:
                world.tactic(name, TARGET, "off_record_talks", "working-level talks")
            next_round = world.env.now + rounds.gamma(
                world.params.bargaining.round_interval_shape,
                p.round_interval_days / world.params.bargaining.round_interval_shape,
            )
        else:
            opened = track.section_301_initiated
            open_301(world, name, f"{opened.name} [source: {opened.source}]")
    world.states.record(world.env.now, name, "initiator_value", world.value_of(ep.us))
    world.states.record(world.env.now, name, "target_value", world.value_of(ep.them))
    ep.finished = True
    world.done_events[name].succeed()
