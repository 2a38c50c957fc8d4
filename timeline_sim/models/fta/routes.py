"""Each party's route from signature to ratification, step by step.

A party takes the steps its case file lists, in order: a legislative step
(the executive submits when it judges a vote can pass, a committee reviews the
bill, each chamber votes), approval by cabinet or decree, a constitutional-court
review, a referendum, implementing measures. Under a fast-track clock the
committees must report and every chamber must vote, up or down, within the
statutory days; otherwise a scheduled vote can be blocked, fail, or pass, and
after each failure the government raises its compensation offer and business
lobbies harder. Delays and side payments are outcomes, never inputs.

A renegotiation interrupts every party's route; each starts over on the
protocol once it is signed.
"""

from __future__ import annotations

import math

import numpy as np
import simpy

from timeline_sim.models.fta.agenda import submit_when_ready
from timeline_sim.models.fta.protocol import FtaState
from timeline_sim.models.fta.schema_parties import RouteStep
from timeline_sim.models.fta.votes import (
    VoteResult,
    blocking_probability,
    hold_votes_until_passed,
    logistic,
    pass_probability,
)


def ratification_stream(world: FtaState, name: str, code: str) -> str:
    """The random stream of one party's ratification (the home party keeps the track's)."""
    return f"{name}/ratification" if code == world.case.home else f"{name}/{code}/ratification"


def ratify_for_party(world: FtaState, name: str, code: str):
    """One party's route, from signature (or a renegotiated protocol) to ratification."""
    env = world.env
    party = world.parties[code]
    rng = world.streams.get(ratification_stream(world, name, code))
    try:
        for step in party.spec.route:
            if step.step == "legislature":
                yield from legislature_step(world, name, code, step, rng)
            elif step.step == "cabinet":
                yield env.timeout(_gamma(rng, world.params.routes.cabinet_days))
                world.log.emit(env.now, name, party.name, "cabinet_approved", detail=step.name)
            elif step.step == "court_review":
                yield from court_review(world, name, code, step, rng)
            elif step.step == "referendum":
                yield from referendum(world, name, code, step, rng)
            else:  # implementation
                yield env.timeout(_gamma(rng, world.params.routes.implementation_days))
                world.log.emit(
                    env.now, name, party.name, "implementation_certified", detail=step.name
                )
    except simpy.Interrupt:
        return  # the terms are reopened: a new route starts on the protocol
    world.party_ratified(name, code)


def _gamma(rng: np.random.Generator, mean: float, shape: float = 4.0) -> float:
    return float(rng.gamma(shape, mean / shape))


def _stuck(world: FtaState, name: str, code: str, why: str):
    """The route cannot go on: wait for a renegotiation (or the end of the run)."""
    world.tracks[name].parties[code].stuck = why
    world.consider_renegotiation(name, code)
    yield world.env.event()  # never triggered: only an interrupt ends the wait


def wait_for_sitting(world: FtaState, name: str, code: str, chamber: str):
    """Wait until ``chamber`` sits (and is not suspended)."""
    env = world.env
    sitting = world.parties[code].next_sitting(chamber, env.now)
    if math.isinf(sitting):
        yield from _stuck(world, name, code, "no legislative session left on the calendar")
    if sitting > env.now:
        yield env.timeout(sitting - env.now)


def legislature_step(world: FtaState, name: str, code: str, step: RouteStep, rng):
    """Submission, committee and votes in each chamber of the step, in order."""
    env = world.env
    party = world.parties[code]
    record = world.tracks[name].parties[code]
    chambers = party.spec.chamber_names(step)
    signed_at = world.tracks[name].signed_at or 0.0
    while True:  # a bill defeated on a fast track is submitted again (a new bill)
        yield from submit_when_ready(world, name, code, chambers, rng)
        fast = world.params.mechanisms.fast_track and party.fast_track_applies(signed_at, env.now)
        record.under_fast_track = fast
        record.submitted_at = env.now
        legislature = party.legislature_name
        clock = ""
        if fast:
            clock = (
                f" under {party.fast_track.name} ({party.fast_track.vote_days.value:g}-day clock)"
            )
        world.log.emit(
            env.now, name, party.name, "submitted", detail=f"to the {legislature}{clock}"
        )
        if fast:
            passed = yield from fast_track_votes(world, name, code, chambers, rng)
            if passed:
                return
            continue
        for i, chamber in enumerate(chambers):
            yield from regular_chamber(world, name, code, chamber, rng, committee=i == 0)
        return


def fast_track_votes(world: FtaState, name: str, code: str, chambers: list[str], rng):
    """Committees report and every chamber votes, up or down, within the statutory clock.

    No amendment and no obstruction: a vote cannot be blocked. Returns whether
    every chamber passed the bill.
    """
    env = world.env
    party = world.parties[code]
    record = world.tracks[name].parties[code]
    rp, ro = world.params.ratification, world.params.routes
    deadline = env.now + party.fast_track.vote_days.value
    governed = set(party.fast_track.chambers)
    committee = min(_gamma(rng, ro.fast_track_committee_days), deadline - env.now)
    yield env.timeout(max(0.0, committee - rp.vote_notice_days))
    world.log.emit(
        env.now,
        name,
        party.legislature_name,
        "committee_passed",
        world.support_margin(name, code, chambers[0], env.now, True),
        "reported within the fast-track clock",
    )
    record.committee_passed_at = env.now
    for chamber in chambers:
        if chamber not in governed:
            yield from regular_chamber(world, name, code, chamber, rng, committee=False)
            continue
        notice = min(rp.vote_notice_days, max(0.0, deadline - env.now))
        world.log.emit(env.now, name, party.name, "vote_scheduled", notice, chamber)
        world.mobilise_for_vote(name, code, env.now)
        yield env.timeout(notice)
        margin = world.support_margin(name, code, chamber, env.now, True)
        if rng.random() < pass_probability(margin, rp.vote_noise):
            _log_passed(world, name, code, chamber, logistic(margin), "up-or-down vote")
            continue
        world.log.emit(env.now, name, chamber, "vote_failed", logistic(margin), "up-or-down vote")
        _after_failure(world, name, code)
        return False
    return True


def regular_chamber(world: FtaState, name: str, code: str, chamber: str, rng, committee: bool):
    """Committee (once per step) and floor votes until one passes, in one chamber."""
    env = world.env
    rp = world.params.ratification
    record = world.tracks[name].parties[code]
    party = world.parties[code]

    def gamma(mean: float, shape: float = 4.0) -> float:
        return float(rng.gamma(shape, mean / shape))

    if committee:
        while True:
            yield env.timeout(gamma(rp.committee_interval_days))
            yield from wait_for_sitting(world, name, code, chamber)
            margin = world.support_margin(name, code, chamber, env.now)
            if margin > 0:
                world.log.emit(env.now, name, party.legislature_name, "committee_passed", margin)
                record.committee_passed_at = env.now
                break
            world.log.emit(env.now, name, party.legislature_name, "committee_stalled", margin)
            if record.side_payments_usd <= 0:
                # trouble in committee: the government first offers compensation
                world.offer_side_payment(name, code, initial=True)

    def probabilities(t: float) -> tuple[float, float, float]:
        obstruction = world.obstruction(name, code, chamber, t)
        p_block = blocking_probability(obstruction, rp.block_threshold, rp.block_slope)
        margin = world.support_margin(name, code, chamber, t)
        return p_block, pass_probability(margin, rp.vote_noise), logistic(margin)

    def schedule_vote():
        yield from wait_for_sitting(world, name, code, chamber)
        world.log.emit(env.now, name, party.name, "vote_scheduled", rp.vote_notice_days, chamber)
        world.mobilise_for_vote(name, code, env.now)
        yield env.timeout(rp.vote_notice_days)
        yield from wait_for_sitting(world, name, code, chamber)

    def on_result(result: VoteResult) -> None:
        if result.outcome == "passed":
            _log_passed(world, name, code, chamber, result.yes_share, "")
            return
        if result.outcome == "blocked":
            world.log.emit(
                env.now,
                name,
                chamber,
                "vote_blocked",
                result.p_block,
                "opponents' legislators obstruct the vote",
            )
        else:
            world.log.emit(env.now, name, chamber, "vote_failed", result.yes_share)
        _after_failure(world, name, code)

    yield from hold_votes_until_passed(
        env,
        rng,
        probabilities,
        lambda: gamma(rp.retry_days, rp.retry_shape),
        on_result,
        schedule_vote,
    )


def _log_passed(world: FtaState, name: str, code: str, chamber: str, share: float, how: str):
    runtime = world.parties[code].chambers[chamber]
    text = f"{share:.0%} of members present vote yes"
    if runtime.seats:
        text = f"about {round(share * runtime.seats)} of {runtime.seats} members vote yes"
    text += f" ({how})" if how else ""
    world.log.emit(world.env.now, name, chamber, "vote_passed", share, text)
    world.tracks[name].parties[code].chambers_passed[chamber] = world.env.now


def _after_failure(world: FtaState, name: str, code: str) -> None:
    record = world.tracks[name].parties[code]
    record.failed_votes += 1
    record.failed_vote_times.append(world.env.now)
    world.after_failed_vote(name, code, world.env.now)
    world.consider_renegotiation(name, code)


def court_review(world: FtaState, name: str, code: str, step: RouteStep, rng):
    """A constitutional-court review: it takes its own time, then the court rules."""
    env = world.env
    court = step.name or "the constitutional court"
    world.log.emit(env.now, name, court, "court_review_started", detail=step.source)
    yield env.timeout(_gamma(rng, world.params.routes.court_review_days))
    world.tracks[name].parties[code].court_approved_at = env.now
    world.log.emit(env.now, name, court, "court_approved", detail="the agreement is constitutional")


def referendum(world: FtaState, name: str, code: str, step: RouteStep, rng):
    """An optional referendum (opponents may force one within a statutory period) or a mandatory one."""
    env = world.env
    ro, rp = world.params.routes, world.params.ratification
    party = world.parties[code]
    if step.referendum == "optional":
        yield env.timeout(step.days.value)
        pressure = world.opposed_mobilisation(name, code, env.now)
        demanded = logistic(ro.referendum_demand_base + ro.referendum_demand_weight * pressure)
        if rng.random() >= demanded:
            world.log.emit(
                env.now,
                name,
                party.name,
                "referendum_period_ended",
                demanded,
                f"no referendum was demanded within {step.days.value:g} days",
            )
            return
        world.log.emit(env.now, name, party.name, "referendum_called", demanded, step.name)
    yield env.timeout(_gamma(rng, ro.referendum_days))
    margin = world.popular_margin(name, code, env.now)
    record = world.tracks[name].parties[code]
    if rng.random() < pass_probability(margin, rp.vote_noise):
        record.referendum_at = env.now
        world.log.emit(env.now, name, party.name, "referendum_held", logistic(margin), "approved")
        return
    world.log.emit(env.now, name, party.name, "referendum_failed", logistic(margin), "rejected")
    record.failed_votes += 1
    record.failed_vote_times.append(env.now)
    yield from _stuck(world, name, code, "rejected in a referendum")
