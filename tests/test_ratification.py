"""Ratification: repeated votes against the closed form, blocking, side payments, elections."""

from __future__ import annotations

import numpy as np
import pytest
import simpy

from timeline_sim.engine.runner import run_one
from timeline_sim.models.fta.votes import (
    blocking_probability,
    hold_votes_until_passed,
    pass_probability,
)


def _mean_delay(p_pass: float, spacing: float, p_block: float = 0.0, runs: int = 4000) -> float:
    rng = np.random.default_rng(7)
    delays = []
    for _ in range(runs):
        env = simpy.Environment()

        def prepare(env=env):
            yield env.timeout(spacing)

        process = env.process(
            hold_votes_until_passed(
                env, rng, lambda t: (p_block, p_pass, 0.6), lambda: 0.0, lambda r: None, prepare
            )
        )
        env.run()
        delays.append(process.value)
    return float(np.mean(delays))


@pytest.mark.parametrize("p_pass", [0.25, 0.5, 0.8])
def test_repeated_votes_take_d_over_p_on_average(p_pass):
    """Votes d days apart that each pass with probability p: mean delay d/p."""
    spacing = 12.0
    expected = spacing / p_pass
    # standard error of the mean of a geometric delay: d sqrt(1-p)/p / sqrt(n)
    tolerance = 4 * spacing * np.sqrt(1 - p_pass) / p_pass / np.sqrt(4000)
    assert _mean_delay(p_pass, spacing) == pytest.approx(expected, abs=tolerance)


def test_blocked_votes_stretch_the_delay_as_the_closed_form_says():
    """A vote blocked with probability b passes with probability (1-b) p."""
    spacing, p_pass, p_block = 10.0, 0.6, 0.5
    expected = spacing / ((1 - p_block) * p_pass)
    assert _mean_delay(p_pass, spacing, p_block) == pytest.approx(expected, rel=0.06)


def test_blocking_is_likelier_with_more_obstruction_and_impossible_without():
    """No mobilised rural members, no blocking; more obstruction, more blocking."""
    assert blocking_probability(0.0, 1.0, 3.0) == 0.0
    assert blocking_probability(1.0, 1.0, 3.0) == pytest.approx(0.5)
    assert blocking_probability(2.0, 1.0, 3.0) > blocking_probability(1.5, 1.0, 3.0) > 0.5


def test_pass_probability_is_the_normal_tail_of_the_margin():
    """A vote passes when the margin on the day, normal around the mean, is positive."""
    assert pass_probability(0.0, 0.3) == pytest.approx(0.5)
    assert pass_probability(0.3, 0.3) == pytest.approx(0.8413, abs=1e-4)
    assert pass_probability(-1.0, 0.0) == 0.0


def test_side_payments_are_raised_after_a_failed_vote(korea_fight):
    """Korea-Chile: after each failed or blocked vote the compensation offer grows."""
    _, result = korea_fight
    events = result.events
    chile = events[events["track"] == "chile"]
    failures = chile[chile["event"].isin(["vote_failed", "vote_blocked"])]
    offers = chile[chile["event"] == "side_payment_offered"]
    assert len(failures) >= 1
    first_failure = failures["t"].iloc[0]
    before = offers[offers["t"] < first_failure]["value"]
    after = offers[offers["t"] >= first_failure]["value"]
    assert len(after) >= 1 and after.max() > (before.max() if len(before) else 0.0)
    assert result.tracks["chile"]["outcomes"]["side_payment_raises"] >= 1
    assert offers["value"].is_monotonic_increasing


def test_every_ratification_follows_a_signature(korea, japan):
    """Invariant: no track is ratified before it is signed, nor signed before it concludes."""
    for case in (korea, japan):
        for seed in range(10):
            for track in run_one(case, seed=seed).tracks.values():
                m = track["milestones"]
                dates = [m["talks_launched"], m["concluded"], m["signed"], m["ratified"]]
                reached = [d for d in dates if d is not None]
                assert reached == sorted(reached)
                assert dates[: len(reached)] == reached  # no gaps: a later step implies the earlier
