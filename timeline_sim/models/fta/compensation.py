"""Side payments to opposed sectors and the business lobby's push after a failed vote.

Each party's government compensates its own opposed sectors. The first offer
comes when ratification first runs into trouble (the executive holds the
agreement back, a committee will not report the bill, or a vote fails); each
later failure raises it. An agreement that sails through costs nothing (paper
000: Japan-Mexico had "no specific side payments"). The size of side payments
is an outcome, never an input.
"""

from __future__ import annotations

from timeline_sim.models.fta.protocol import FtaState


def party_grievance(world: FtaState, name: str, code: str) -> float:
    """The summed grievance of a party's opposed sectors on one track."""
    return sum(s.grievance for s in world.tracks[name].opposed(code))


def compensation_ratio(world: FtaState, name: str, code: str) -> float:
    """Side payments offered relative to the first offer the party's grievance warrants."""
    record = world.tracks[name].parties[code]
    base = world.params.ratification.side_payment_usd_per_grievance * party_grievance(
        world, name, code
    )
    return 0.0 if base <= 0 else record.side_payments_usd / base


def relief_factor(world: FtaState, name: str, code: str) -> float:
    """By how much compensation divides the party's sectors' grievance (1: none offered)."""
    return 1.0 + world.params.farm.compensation_relief * compensation_ratio(world, name, code)


def offer_side_payment(world: FtaState, name: str, code: str, initial: bool) -> None:
    """Offer compensation to the party's opposed sectors, or raise the offer."""
    if not world.params.mechanisms.side_payments:
        return
    record = world.tracks[name].parties[code]
    rp = world.params.ratification
    grievance = party_grievance(world, name, code)
    before = relief_factor(world, name, code)
    if initial:
        if grievance <= 0:
            return
        record.side_payments_usd = rp.side_payment_usd_per_grievance * grievance
        what = "first compensation package for the opposed sectors"
    else:
        if record.side_payments_usd <= 0:
            return
        record.side_payments_usd *= rp.side_payment_escalation
        record.side_payment_raises += 1
        what = "compensation raised after a failed vote"
    t = world.env.now
    after = relief_factor(world, name, code)
    for sector in world.tracks[name].opposed(code):
        if sector.mobilisation is not None and sector.grievance > 0:
            sector.mobilisation.scale(t, before / after)
    world.log.emit(
        t, name, world.parties[code].name, "side_payment_offered", record.side_payments_usd, what
    )


def after_failed_vote(world: FtaState, name: str, code: str, t: float) -> None:
    """After a failure the government pays more and, at home, business lobbies harder."""
    record = world.tracks[name].parties[code]
    offer_side_payment(world, name, code, initial=record.side_payments_usd <= 0)
    bump = world.params.ratification.failure_pressure_bump
    if bump > 0 and code == world.case.home:
        level = world.pressure.level(t)
        world.pressure.rebase(t, level + bump, world.pressure.growth)
        world.log.emit(
            t,
            name,
            "business lobby",
            "lobbying_act",
            level + bump,
            f"business groups press legislators after the failed vote on the {world.track_label(name)}",
        )
