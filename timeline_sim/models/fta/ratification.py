"""Ratification: submission, committee, plenary votes, side payments, elections.

After signature the government submits the agreement, a committee reviews it
until it has the support to report it, and the government schedules plenary
votes. A vote can be blocked (physical obstruction, filibuster, procedural
delay: more likely the more mobilised the farmers and the more rural members
there are), fail, or pass. After each failure the government raises its
compensation offer to farmers and business lobbies legislators harder; an
election on the calendar makes rural members weigh farmers' votes more. The
delay and the size of side payments are outcomes, never inputs (paper 000,
the Korea-Chile ratification).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import Any

import numpy as np
import simpy

from timeline_sim.engine.calendar import HistoricalDate
from timeline_sim.models.fta.protocol import FtaState


def logistic(x: float) -> float:
    """The logistic function, safe for large arguments."""
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


def blocking_probability(obstruction: float, threshold: float, exponent: float) -> float:
    """Chance that a scheduled vote is blocked: a Hill function of rural obstruction."""
    if obstruction <= 0:
        return 0.0
    ratio = (obstruction / threshold) ** exponent
    return ratio / (1.0 + ratio)


def pass_probability(margin: float, noise: float) -> float:
    """Chance that a held vote passes: the margin on the day is normal around ``margin``."""
    if noise <= 0:
        return 1.0 if margin > 0 else 0.0
    return 0.5 * (1.0 + math.erf(margin / (noise * math.sqrt(2.0))))


@dataclass
class VoteResult:
    """What happened to one scheduled vote."""

    t: float
    outcome: str  # "blocked", "failed" or "passed"
    p_block: float
    yes_share: float


def hold_votes_until_passed(
    env: simpy.Environment,
    rng: np.random.Generator,
    probabilities: Callable[[float], tuple[float, float, float]],
    spacing: Callable[[], float],
    on_result: Callable[[VoteResult], None],
    prepare: Callable[[], Generator[Any, Any, None]] | None = None,
):
    """Hold votes until one passes; return the time it passed.

    ``prepare()`` runs before each vote (scheduling, notice, waiting for a sitting);
    ``probabilities(t)`` gives ``(p_block, p_pass, expected_yes_share)`` on the day;
    after a vote that does not pass, ``spacing()`` days go by before the next is
    prepared. With no preparation, constant probabilities and spacing ``d``, votes
    fall at ``0, d, 2d, ...`` and the mean time to passage is
    ``d * (1 / ((1 - p_block) * p_pass) - 1)``.
    """
    while True:
        if prepare is not None:
            yield from prepare()
        p_block, p_pass, yes_share = probabilities(env.now)
        if rng.random() < p_block:
            result = VoteResult(env.now, "blocked", p_block, math.nan)
        elif rng.random() < p_pass:
            result = VoteResult(env.now, "passed", p_block, yes_share)
        else:
            result = VoteResult(env.now, "failed", p_block, yes_share)
        on_result(result)
        if result.outcome == "passed":
            return env.now
        yield env.timeout(spacing())


class Legislature:
    """The ratifying body: members, rural share, session calendar and elections."""

    def __init__(self, world: FtaState):
        spec = world.case.legislature
        self.world = world
        self.name = spec.name
        self.members = int(spec.members.value)
        self.rural_share = spec.rural_members.value / spec.members.value
        self.chambers = spec.chambers
        cal = world.calendar
        self.sessions = sorted(
            (cal.day(_date(s.opens)), cal.day(_date(s.closes)) + 1.0, s.name) for s in spec.sessions
        )
        self.elections = sorted(cal.day(e.day) for e in spec.elections)

    def next_sitting(self, t: float) -> float:
        """Earliest time at or after ``t`` when the legislature sits (inf if never)."""
        if not self.sessions:
            return t
        for opens, closes, _name in self.sessions:
            if opens <= t < closes:
                return t
            if opens > t:
                return opens
        return math.inf

    def election_proximity(self, t: float) -> float:
        """1 on the eve of an election, falling to 0 a window's length before it."""
        window = self.world.params.ratification.election_window_days
        ahead = [e - t for e in self.elections if 0 <= e - t <= window]
        return 0.0 if not ahead else 1.0 - min(ahead) / window


def _date(text: str):
    return HistoricalDate.parse(text).date


def ratify_agreement(world: FtaState, name: str):
    """From signature to ratification (or the end of the run)."""
    env = world.env
    rp = world.params.ratification
    state = world.tracks[name]
    legislature = world.legislature
    rng = world.streams.get(f"{name}/ratification")
    country = world.case.country

    def gamma(mean: float, shape: float = 4.0) -> float:
        return float(rng.gamma(shape, mean / shape))

    def wait_for_sitting():
        sitting = legislature.next_sitting(env.now)
        if math.isinf(sitting):
            state.stuck = "no legislative session left on the calendar"
            yield env.event()  # never triggered: the agreement is never ratified
        if sitting > env.now:
            yield env.timeout(sitting - env.now)

    yield env.timeout(gamma(rp.submission_days))
    yield from wait_for_sitting()
    world.log.emit(env.now, name, country, "submitted", detail=f"to the {legislature.name}")
    state.submitted_at = env.now

    while True:
        yield env.timeout(gamma(rp.committee_interval_days))
        yield from wait_for_sitting()
        margin = world.support_margin(name, env.now)
        if margin > 0:
            world.log.emit(env.now, name, legislature.name, "committee_passed", margin)
            break
        world.log.emit(env.now, name, legislature.name, "committee_stalled", margin)
        if state.side_payments_usd <= 0:
            # trouble in committee: the government first offers farmers compensation
            world.offer_side_payment(name, initial=True)

    def probabilities(t: float) -> tuple[float, float, float]:
        obstruction = world.obstruction(name, t)
        p_block = blocking_probability(obstruction, rp.block_threshold, rp.block_slope)
        margin = world.support_margin(name, t)
        return p_block, pass_probability(margin, rp.vote_noise), logistic(margin)

    for chamber in range(legislature.chambers):
        chamber_name = (
            legislature.name
            if legislature.chambers == 1
            else (
                f"{legislature.name} (lower house)"
                if chamber == 0
                else f"{legislature.name} (upper house)"
            )
        )

        def schedule_vote(chamber_name: str = chamber_name):
            yield from wait_for_sitting()
            world.log.emit(
                env.now, name, country, "vote_scheduled", rp.vote_notice_days, chamber_name
            )
            world.mobilise_for_vote(name, env.now)
            yield env.timeout(rp.vote_notice_days)
            yield from wait_for_sitting()

        def on_result(result: VoteResult, chamber_name: str = chamber_name) -> None:
            if result.outcome == "passed":
                yes = round(result.yes_share * legislature.members)
                world.log.emit(
                    env.now,
                    name,
                    chamber_name,
                    "vote_passed",
                    result.yes_share,
                    f"about {yes} of {legislature.members} members vote yes",
                )
                return
            if result.outcome == "blocked":
                world.log.emit(
                    env.now,
                    name,
                    chamber_name,
                    "vote_blocked",
                    result.p_block,
                    "rural members obstruct the vote",
                )
            else:
                world.log.emit(env.now, name, chamber_name, "vote_failed", result.yes_share)
            state.failed_votes += 1
            world.after_failed_vote(name, env.now)

        yield from hold_votes_until_passed(
            env,
            rng,
            probabilities,
            lambda: gamma(rp.retry_days, rp.retry_shape),
            on_result,
            schedule_vote,
        )
        if legislature.chambers == 2 and chamber == 0:
            state.lower_passed_at = env.now
    world.ratify(name)
