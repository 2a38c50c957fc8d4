"""Votes: blocking, passing, and holding votes until one passes (closed forms kept apart).

A scheduled vote can be blocked (physical obstruction, filibuster, procedural
delay: more likely the more mobilised the opposed sectors and the more of their
legislators there are), fail, or pass. With constant probabilities the mean
delay of repeated votes has a closed form (:func:`hold_votes_until_passed`),
which a test checks.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import Any

import numpy as np
import simpy


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
