"""Side payments to farmers and the business lobby's push after a failed vote.

The first offer comes when ratification first runs into trouble (a committee
that will not report the bill, or a failed vote); each later failure raises it.
An agreement that sails through costs nothing (paper 000: Japan-Mexico had "no
specific side payments"). The size of side payments is an outcome, never an input.
"""

from __future__ import annotations

from timeline_sim.models.fta.protocol import FtaState


def compensation_ratio(world: FtaState, name: str) -> float:
    """Side payments offered relative to the first offer the grievance warrants."""
    state = world.tracks[name]
    base = world.params.ratification.side_payment_usd_per_grievance * state.grievance
    return 0.0 if base <= 0 else state.side_payments_usd / base


def offer_side_payment(world: FtaState, name: str, initial: bool) -> None:
    """Offer compensation to farmers, or raise the offer; farmers are placated in proportion."""
    if not world.params.mechanisms.side_payments:
        return
    state = world.tracks[name]
    rp = world.params.ratification
    before = world.effective_grievance(name)
    if initial:
        if state.grievance <= 0:
            return
        state.side_payments_usd = rp.side_payment_usd_per_grievance * state.grievance
        what = "first compensation package for farmers"
    else:
        if state.side_payments_usd <= 0:
            return
        state.side_payments_usd *= rp.side_payment_escalation
        state.side_payment_raises += 1
        what = "compensation raised after a failed vote"
    t = world.env.now
    after = world.effective_grievance(name)
    if before > 0:
        state.mobilisation.scale(t, after / before)
    world.log.emit(
        t, name, world.case.country, "side_payment_offered", state.side_payments_usd, what
    )


def after_failed_vote(world: FtaState, name: str, t: float) -> None:
    """After a failure the government pays more and business lobbies harder."""
    offer_side_payment(world, name, initial=world.tracks[name].side_payments_usd <= 0)
    bump = world.params.ratification.failure_pressure_bump
    if bump > 0:
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
