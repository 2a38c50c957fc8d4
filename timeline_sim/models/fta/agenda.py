"""The executive's agenda control: when it submits an agreement to the legislature.

After signature the government prepares the bill (about ``submission_days``),
then submits it at the first sitting at which it judges a vote can pass: the
expected support margin at the first chamber reaches ``hold_threshold``. It
holds the agreement back otherwise, and while a presidential election is
close, a new government reviews pending agreements or a crisis takes the
agenda; it looks again every ``hold_recheck_days`` or so. Where a fast-track
authority governs the vote, it also waits for one to be in force when the
agreement would otherwise go to the floor without it and could not pass there.
Holding back is when it first prepares compensation for the opposed sectors
(Korea's side-payment plan of July 2003 came before its first vote).
"""

from __future__ import annotations

import math

from timeline_sim.models.fta.protocol import FtaState


def submit_when_ready(world: FtaState, name: str, code: str, chambers: list[str], rng):
    """Wait until the executive submits; logs each decision to hold the agreement back."""
    env = world.env
    party = world.parties[code]
    record = world.tracks[name].parties[code]
    ro = world.params.routes
    mechanisms = world.params.mechanisms
    signed_at = world.tracks[name].signed_at or 0.0
    first = chambers[0]
    mean = world.params.ratification.submission_days
    yield env.timeout(float(rng.gamma(4.0, mean / 4.0)))
    while True:
        t = env.now
        ready = max(
            t,
            party.agenda_blocked_until if mechanisms.shocks else t,
            party.lame_duck_until(t, ro.lame_duck_days),
            party.next_sitting(first, t),
        )
        if math.isinf(ready):
            record.stuck = "no legislative session left on the calendar"
            world.consider_renegotiation(name, code)
            yield env.event()  # only a renegotiation (an interrupt) ends the wait
        if ready > t:
            yield env.timeout(ready - t)
            continue
        fast = mechanisms.fast_track and party.fast_track_applies(signed_at, t)
        margin = world.support_margin(name, code, first, t, fast)
        if not mechanisms.agenda_control or margin >= ro.hold_threshold:
            return
        waiting_for = ""
        renewal = math.inf
        if mechanisms.fast_track and party.fast_track is not None and not fast:
            if party.fast_track.applies_to == "submitted_before_expiry":
                renewal = party.next_authority(t)
                waiting_for = " and waits for a fast-track authority"
        world.log.emit(
            t,
            name,
            party.name,
            "held_back",
            margin,
            f"a vote would likely fail (support margin {margin:+.2f}){waiting_for}",
        )
        if record.side_payments_usd <= 0:
            world.offer_side_payment(name, code, initial=True)
        world.consider_renegotiation(name, code)
        wait = float(rng.gamma(4.0, ro.hold_recheck_days / 4.0))
        if renewal > t and not math.isinf(renewal):
            wait = min(wait, renewal - t)
        record.held_days += wait
        yield env.timeout(wait)
