"""Renegotiation after signature: a blocked agreement is reopened and its terms cut.

When a party cannot ratify (its votes fail, its executive holds the agreement
back, a referendum rejects it) and the agreement has waited at least
``renegotiation_patience_days`` since signature, the parties reopen the terms
(side letters, an amending protocol). The talks take about
``renegotiation_days``; the protocol then removes ``renegotiation_cut`` of what
the opposed sectors stood to lose, and every party's ratification starts over
on the protocol. It happens at most ``max_renegotiations`` times.
"""

from __future__ import annotations

from timeline_sim.models.fta.protocol import FtaState


def consider_renegotiation(world: FtaState, name: str, code: str) -> None:
    """Reopen the terms if the agreement is blocked long enough (and may still be reopened)."""
    pp = world.params.politics
    state = world.tracks[name]
    if not world.params.mechanisms.renegotiation or state.renegotiating:
        return
    if state.signed_at is None or state.renegotiations >= pp.max_renegotiations:
        return
    if world.env.now - state.signed_at < pp.renegotiation_patience_days:
        return
    state.renegotiating = True
    world.env.process(renegotiate(world, name, code))


def renegotiate(world: FtaState, name: str, code: str):
    """Interrupt every route, negotiate a protocol, cut the opposed stake, start the routes again."""
    env = world.env
    pp = world.params.politics
    state = world.tracks[name]
    rng = world.streams.get(f"{name}/renegotiation")
    waited = env.now - (state.signed_at or env.now)
    state.renegotiation_opened_at = env.now
    world.log.emit(
        env.now,
        name,
        "negotiators",
        "renegotiation_opened",
        waited,
        f"{world.parties[code].name} cannot ratify; the terms are reopened",
    )
    for record in state.parties.values():
        if record.process is not None and record.process.is_alive:
            record.process.interrupt("renegotiation")
    yield env.timeout(float(rng.gamma(4.0, pp.renegotiation_days / 4.0)))
    keep = 1.0 - pp.renegotiation_cut
    state.concession = (state.concession or 0.0) * keep
    for sector in state.sectors:
        if sector.opposed:
            sector.grievance *= keep
            if sector.mobilisation is not None:
                sector.mobilisation.scale(env.now, keep)
    state.renegotiations += 1
    state.renegotiated_at = env.now
    state.renegotiating = False
    world.log.emit(
        env.now, name, "negotiators", "renegotiated", state.concession, world.terms_text(name)
    )
    for record in state.parties.values():
        record.reset_for_protocol()
    world.start_ratification(name)
