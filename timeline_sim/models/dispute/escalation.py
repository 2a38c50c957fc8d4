"""The initiator's climb up the ladder of threats and the target's replies (paper 001).

At each decision point the initiator, if claiming value, takes the next rung:
public demands, harsh statements, a deadline set in public, a Section 301 case
(opened only when a statutory date passes), a WTO referral, a sanctions list.
The target answers each threat after a short lag: with its own harsh
statements, a WTO complaint and a counter-sanctions list if it is claiming, or
with accommodation if it is creating value.
"""

from __future__ import annotations

from timeline_sim.models.dispute import prospect
from timeline_sim.models.dispute.protocol import DisputeState
from timeline_sim.models.dispute.state import ActiveDeadline
from timeline_sim.models.dispute.tactics import INITIATOR, TARGET, US_LADDER


def reply(world: DisputeState, name: str, us_tactic: str):
    """The target answers an initiator tactic after a short lag."""
    ep = world.tracks[name]
    rng = world.streams.get(f"{name}/replies")
    yield world.env.timeout(rng.exponential(world.p.reply_lag_days))
    if ep.finished:
        return
    if ep.them.strategy == prospect.VALUE_CLAIMING:
        if us_tactic in ("wto_referral",):
            world.tactic(
                name,
                TARGET,
                "harsh_statement",
                "counter-threat: a WTO complaint if sanctions are imposed",
            )
        elif us_tactic == "sanctions_list":
            world.tactic(name, TARGET, "wto_complaint", "requests WTO consultations on the list")
            if ep.them.strategy == prospect.VALUE_CLAIMING:
                yield world.env.timeout(rng.exponential(world.p.reply_lag_days))
                if not ep.finished:
                    world.tactic(
                        name, TARGET, "counter_sanctions", "prepares a counter-sanctions list"
                    )
        else:
            world.tactic(
                name, TARGET, "harsh_statement", "rejects the demands and blames the initiator"
            )
    elif us_tactic in ("section_301", "sanctions_list", "wto_referral", "deadline_set"):
        world.tactic(name, TARGET, "accommodation", "promises to look into the complaints")


def escalate(world: DisputeState, name: str) -> None:
    """At a decision point the initiator, if claiming, climbs one rung of the ladder."""
    ep = world.tracks[name]
    if ep.us.strategy != prospect.VALUE_CLAIMING:
        world.tactic(name, INITIATOR, "off_record_talks", "working-level talks, off the record")
        return
    v = world.value_of(ep.us)
    for rung in US_LADDER:
        if rung in ep.announced:
            continue
        if rung == "deadline_set":
            upcoming = [
                d
                for d in ep.deadlines
                if not d.done and d.kind in ("summit", "super301", "benchmark")
            ]
            if not upcoming:
                continue
            nxt = min(upcoming, key=lambda d: d.t)
            ep.announced.add(rung)
            world.tactic(
                name,
                INITIATOR,
                rung,
                f"commits in public to a deal by {world.calendar.iso(nxt.t)} ({nxt.name})",
            )
            return
        if rung == "section_301":
            continue  # opened only when a statutory date passes (see on_deadline)
        if rung in ("wto_referral", "sanctions_list"):
            if ep.section_301_at is None or v > -world.pp.strong_loss_threshold:
                return
            if rung == "sanctions_list":
                publish_list(world, name)
                return
        ep.announced.add(rung)
        world.tactic(
            name,
            INITIATOR,
            rung,
            {
                "public_demand": "demands numerical targets and indicators",
                "harsh_statement": "blames the target's closed market",
                "wto_referral": "tells the WTO it will file a case",
            }[rung],
        )
        return
    world.tactic(name, INITIATOR, "harsh_statement", "repeats its demands in public")


def open_301(world: DisputeState, name: str, why: str) -> None:
    ep = world.tracks[name]
    if ep.section_301_at is not None:
        return
    ep.section_301_at = world.env.now
    ep.announced.add("section_301")
    ep.deadlines.append(
        ActiveDeadline(
            world.env.now + world.p.section_301_days, "clock_301", "Section 301 one-year clock"
        )
    )
    world.tactic(name, INITIATOR, "section_301", why)


def publish_list(world: DisputeState, name: str) -> None:
    ep = world.tracks[name]
    if ep.list_at is not None:
        return
    ep.list_at = world.env.now
    ep.announced.add("sanctions_list")
    effective = world.env.now + world.p.sanctions_notice_days
    ep.deadlines.append(ActiveDeadline(effective, "sanctions", "sanctions take effect"))
    world.tactic(
        name,
        INITIATOR,
        "sanctions_list",
        f"punitive tariffs take effect {world.calendar.iso(effective)} unless agreement",
    )


def delayed_301(world: DisputeState, name: str):
    rng = world.streams.get(f"{name}/escalation")
    yield world.env.timeout(rng.exponential(world.p.escalation_lag_days))
    if not world.tracks[name].finished:
        open_301(world, name, "opens a Section 301 investigation after the Super 301 date passed")
