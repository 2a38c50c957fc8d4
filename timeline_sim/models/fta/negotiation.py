"""Negotiation rounds on one FTA track, from launch to signature.

Each round both sides restate their position on the sensitive issue (a
concession share: 0 is the home side's opening position, 1 the partner's ask),
and the non-sensitive text advances. The home side moves along a time-based
concession curve toward a resistance point that rises with business pressure
and falls with farm opposition and with the FTAs it already has; the partner
moves toward its own, set by how much farm trade it has at stake. Positions
are never withdrawn. Summits on the calendar are deadlines: concessions
concentrate as one nears, and a summit that finds the talks stalled ends in a
breakdown and a suspension. The talks conclude when the text is complete and
the offers cross; the overlap is divided by the Rubinstein split, in which the
side under more pressure, being less patient, gives more.
"""

from __future__ import annotations

from timeline_sim.engine.cache import per_case
from timeline_sim.models.fta.bargaining import (
    discount_factor,
    home_offer,
    partner_demand,
    resistance_point,
    rubinstein_share,
)
from timeline_sim.models.fta.protocol import FtaState
from timeline_sim.models.fta.schema import Track


def partner_resistance(stake: float, flex: float, eagerness: float = 0.0) -> float:
    """Least concession the partner accepts.

    It rises with the partner's stake in the home side's sensitive goods (the
    trade share the home side's opposed sectors shield) and is lower
    by ``eagerness`` (a share) when the partner proposed the talks, a partner that
    also concedes faster (its concession horizon is shorter by the same share):
    paper 000 notes
    that the Mexico talks began "at Mexico's initiative", while Korea proposed the
    Chile talks to a partner that "insisted on even greater access".
    """
    if stake <= 0:
        return 0.0
    return stake / (stake + flex) * (1.0 - eagerness)


def negotiate_track(world: FtaState, name: str):
    """Rounds from the launch of talks to a concluded text (then hands over to signature)."""
    env = world.env
    track = world.case.tracks[name]
    state = world.tracks[name]
    bp = world.params.bargaining
    deadlines_on = world.params.mechanisms.deadlines
    rng = world.streams.get(f"{name}/negotiation")

    start = world.calendar.day(track.talks_start.day)
    if start > env.now:
        yield env.timeout(start - env.now)
    state.talks_start = env.now
    world.log.emit(
        env.now,
        name,
        world.case.country,
        "talks_launched",
        detail=f"{track.talks_start.name} [source: {track.talks_start.source}]",
    )
    summits = [world.calendar.day(s.day) for s in track.summits] if deadlines_on else []
    summits = sorted(t for t in summits if t > env.now)
    partner_floor = state.partner_resistance
    partner_horizon = bp.partner_concession_days * (
        1.0 - bp.partner_eagerness if track.initiated_by.side == "partner" else 1.0
    )
    text, home_position, partner_position = 0.0, 0.0, 1.0
    still_rounds, summits_passed = 0, 0

    while True:
        interval = rng.gamma(
            bp.round_interval_shape, bp.round_interval_days / bp.round_interval_shape
        )
        next_round = env.now + interval
        at_summit = bool(summits) and summits[0] <= next_round
        if at_summit:
            next_round = summits.pop(0)
        yield env.timeout(max(0.0, next_round - env.now))
        t = env.now
        text = min(1.0, text + rng.gamma(4.0, 1.0 / (4.0 * bp.text_rounds)))

        # time gained toward each side's resistance point from deadlines passed and near
        boost = bp.deadline_boost_days * (summits_passed + world.summit_urgency(summits, t))
        if at_summit:
            summits_passed += 1
            boost = bp.deadline_boost_days * summits_passed
        elapsed = t - state.talks_start + boost
        home_floor = world.home_resistance(name, t)
        previous = home_position
        home_position = max(
            home_position,
            home_offer(home_floor, elapsed, bp.home_concession_days, bp.concession_exponent),
        )
        partner_position = min(
            partner_position,
            partner_demand(partner_floor, elapsed, partner_horizon, bp.concession_exponent),
        )
        label = "summit round" if at_summit else "round"
        world.log.emit(t, name, "negotiators", "round", text, f"{label}; text agreed {text:.0%}")
        world.log.emit(t, name, world.case.country, "offer", home_position, "home offer")
        world.log.emit(t, name, track.partner, "offer", partner_position, "partner demand")
        world.states.record(t, name, "home_resistance", home_floor)
        world.states.record(t, name, "home_offer", home_position)
        world.states.record(t, name, "partner_demand", partner_position)

        if text >= 1.0 and home_position >= partner_position:
            concession = settle(world, name, t, home_position, partner_position)
            world.conclude(name, concession)
            return
        gap = partner_position - home_position
        still_rounds = still_rounds + 1 if gap > 0 and home_position - previous < 0.005 else 0
        if still_rounds == bp.stall_rounds:
            world.log.emit(t, name, "negotiators", "stall", gap, "offers no longer converge")
        if at_summit and gap > 0 and still_rounds > 0:
            world.log.emit(t, name, "negotiators", "breakdown", gap, "summit ends without a deal")
            pause = rng.gamma(4.0, bp.breakdown_days / 4.0)
            yield env.timeout(pause)
            world.log.emit(env.now, name, "negotiators", "talks_resumed")
            still_rounds = 0


def settle(world: FtaState, name: str, t: float, home_position: float, partner_position: float):
    """Divide the overlap of crossed offers by the Rubinstein split.

    The home government's cost of delay grows with business pressure; the partner
    proposes first. The concession is the partner's demand plus the partner's
    share of the overlap.
    """
    bp = world.params.bargaining
    pressure = world.pressure.level(t)
    home_delta = discount_factor(
        bp.patience_cost_per_day + bp.pressure_cost_per_day * pressure, bp.round_interval_days
    )
    partner_delta = discount_factor(bp.patience_cost_per_day, bp.round_interval_days)
    partner_share = rubinstein_share(partner_delta, home_delta)
    return partner_position + partner_share * (home_position - partner_position)


def sign_agreement(world: FtaState, name: str):
    """Legal scrubbing and translation, then signature; ratification follows."""
    bp = world.params.bargaining
    rng = world.streams.get(f"{name}/signature")
    yield world.env.timeout(
        rng.gamma(bp.legal_scrub_shape, bp.legal_scrub_days / bp.legal_scrub_shape)
    )
    world.sign(name)


@per_case
def home_stakes(track: Track, home: str) -> tuple[float, float]:
    """The home side's exposure on a track's sensitive issue, and the partner's stake in it.

    Sums over the track's home opposed sectors (``Track.exposure``,
    ``Track.partner_stake``), worked out once per loaded track and kept on each
    run's :class:`TrackState`: every round needs the exposure.
    """
    return track.exposure(home), track.partner_stake(home)


def home_resistance_at(world: FtaState, name: str, t: float) -> float:
    """The home government's resistance point on track ``name`` at time ``t``."""
    bp = world.params.bargaining
    return resistance_point(
        world.pressure.level(t),
        bp.opposition_weight * world.tracks[name].home_exposure,
        bp.batna_per_fta * world.pressure.concluded,
    )
