"""What legislators and voters make of an agreement: support margins and obstruction.

Both are evaluated when an event needs them, from the state at that moment:

    margin = base_support
             + business_weight * P(t)                       (the home party only)
             + government_weight * (government share - 1/2)  (where the case gives seats)
             + support_weight * sum of supporting sectors' exposure
             - rural_weight * obstruction(t)
             - amendment_risk                                (a fast-track vote without the clock)
    obstruction = sum over opposed sectors of M(t) x aligned share
                  x (1 + election_weight x election proximity)

For the seed cases (one chamber, no government seats, no supporting sectors,
no fast track) this is the margin of the original two-level game.
"""

from __future__ import annotations

from timeline_sim.models.fta.protocol import FtaState


def opposed_mobilisation(world: FtaState, name: str, code: str, t: float) -> float:
    """The summed mobilisation of a party's opposed sectors at ``t``."""
    return sum(
        s.mobilisation.level(t)
        for s in world.tracks[name].opposed(code)
        if s.mobilisation is not None
    )


def obstruction(world: FtaState, name: str, code: str, chamber: str, t: float) -> float:
    """Opposed sectors' legislators' will to obstruct, more on the eve of an election."""
    runtime = world.parties[code].chambers[chamber]
    rp = world.params.ratification
    election = 1.0 + rp.election_weight * runtime.election_proximity(t, rp.election_window_days)
    level = sum(
        s.mobilisation.level(t) * s.aligned_share
        for s in world.tracks[name].opposed(code)
        if s.mobilisation is not None
    )
    return level * election


def support_margin(
    world: FtaState, name: str, code: str, chamber: str, t: float, fast: bool = False
) -> float:
    """Legislators' support for ratification in ``chamber`` at ``t``, in logit units."""
    rp, ro = world.params.ratification, world.params.routes
    switches = world.params.mechanisms
    party = world.parties[code]
    margin = rp.base_support
    if code == world.case.home:
        margin += rp.business_weight * world.pressure.level(t)
    if switches.divided_government:
        share = party.chambers[chamber].government_share(t)
        if share is not None:
            margin += ro.government_weight * (share - 0.5)
    if switches.supporting_sectors:
        margin += ro.support_weight * sum(s.exposure for s in world.tracks[name].supporting(code))
    margin -= rp.rural_weight * obstruction(world, name, code, chamber, t)
    track_clock = party.fast_track
    if switches.fast_track and track_clock is not None and chamber in track_clock.chambers:
        if not fast:
            margin -= ro.amendment_risk
    return margin


def popular_margin(world: FtaState, name: str, code: str, t: float) -> float:
    """Voters' support in a referendum: the legislature's margin without its seats or its clock."""
    rp, ro = world.params.ratification, world.params.routes
    margin = rp.base_support
    if code == world.case.home:
        margin += rp.business_weight * world.pressure.level(t)
    if world.params.mechanisms.supporting_sectors:
        margin += ro.support_weight * sum(s.exposure for s in world.tracks[name].supporting(code))
    margin -= rp.rural_weight * opposed_mobilisation(world, name, code, t)
    return margin
