"""What happens at a deadline: agreement just before it, or a threat carried out, extended, missed.

A sanctions date or the end of a Section 301 clock can be extended once when the
target is close to the initiator's minimum; otherwise sanctions take effect, the
301 clock's expiry brings a sanctions list, and any other deadline that passes
deepens the initiator's losses.
"""

from __future__ import annotations

import math

from timeline_sim.models.dispute import prospect
from timeline_sim.models.dispute.bargaining import target_offer
from timeline_sim.models.dispute.escalation import delayed_301, publish_list
from timeline_sim.models.dispute.protocol import DisputeState
from timeline_sim.models.dispute.state import ActiveDeadline
from timeline_sim.models.dispute.tactics import INITIATOR


def on_deadline(
    world: DisputeState, name: str, d: ActiveDeadline, resistance: float, minimum: float
) -> None:
    """A deadline arrives with no agreement: carry out, extend, or let it pass."""
    p = world.p
    ep = world.tracks[name]
    t = world.env.now
    if (
        d.kind in ("sanctions", "clock_301")
        and d.extensions < p.max_extensions
        and resistance >= p.extension_ratio * minimum
    ):
        d.extensions += 1
        d.t += p.extension_days
        world.log.emit(
            t,
            name,
            ep.us.label,
            "deadline_extended",
            p.extension_days,
            f"{d.name} moved to {world.calendar.iso(d.t)}",
        )
        return
    d.done = True
    if d.kind == "sanctions":
        ep.sanctions_imposed = True
        world.log.emit(
            t,
            name,
            ep.us.label,
            "sanctions_imposed",
            math.nan,
            "the listed tariffs take effect",
        )
        ep.finished = True
        return
    if d.kind == "clock_301":
        world.log.emit(t, name, ep.us.label, "deadline_missed", math.nan, d.name)
        ep.deadlines_missed += 1
        ep.us.extra_loss += p.missed_deadline_loss
        world.rechoose(name, INITIATOR, "the 301 clock ran out")
        publish_list(world, name)
        return
    ep.deadlines_missed += 1
    ep.us.extra_loss += p.missed_deadline_loss
    world.log.emit(t, name, ep.us.label, "deadline_missed", math.nan, d.name)
    world.rechoose(name, INITIATOR, f"{d.name} passed without agreement")
    if d.kind == "super301" and ep.us.strategy == prospect.VALUE_CLAIMING:
        world.env.process(delayed_301(world, name))


def agree(
    world: DisputeState, name: str, d: ActiveDeadline, resistance: float, minimum: float
) -> None:
    ep = world.tracks[name]
    t = world.env.now
    w = world.p.deadline_efold_days
    share = target_offer(t, d.t, resistance, w)
    claims = [s for s in (ep.us.claiming_share(), ep.them.claiming_share()) if s is not None]
    claiming = sum(claims) / len(claims) if claims else 0.0
    ep.agreed_at = t
    ep.agreed_share = share
    ep.market_access = share * (1.0 - world.p.cosmetic_discount * claiming)
    ep.days_before_deadline = d.t - t
    ep.finished = True
    world.log.emit(
        t,
        name,
        "negotiators",
        "agreement",
        ep.market_access,
        f"{d.name} in {d.t - t:.1f} days; share of demand met {share:.2f}, "
        f"value-claiming share {claiming:.2f}",
    )
