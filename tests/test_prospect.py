"""Tests of the Kahneman-Tversky value function, domains and risk attitude."""

import math

import pytest

from timeline_sim.models.dispute import prospect
from timeline_sim.models.params import DisputeParams, ProspectParams


def test_defaults_are_the_1992_estimates():
    """The defaults are Tversky and Kahneman's 1992 alpha = beta = 0.88, lambda = 2.25."""
    p = ProspectParams()
    assert (p.alpha, p.beta, p.lam) == (0.88, 0.88, 2.25)
    d = DisputeParams().prospect
    assert (d.alpha, d.beta, d.lam) == (0.88, 0.88, 2.25)


@pytest.mark.parametrize("x", [0.5, 1.0, 3.0, 21.7, 100.0])
def test_value_of_gains_matches_formula(x):
    """v(x) = x ** 0.88 for gains."""
    assert prospect.value(x) == pytest.approx(x**0.88)


@pytest.mark.parametrize("x", [-0.5, -1.0, -3.0, -21.7, -100.0])
def test_value_of_losses_matches_formula(x):
    """v(x) = -2.25 * (-x) ** 0.88 for losses."""
    assert prospect.value(x) == pytest.approx(-2.25 * (-x) ** 0.88)


def test_value_known_points_and_loss_aversion():
    """v(0) = 0, v(1) = 1, v(-1) = -2.25: losses loom larger than gains."""
    assert prospect.value(0.0) == 0.0
    assert prospect.value(1.0) == pytest.approx(1.0)
    assert prospect.value(-1.0) == pytest.approx(-2.25)
    for x in (0.3, 2.0, 10.0):
        assert -prospect.value(-x) > prospect.value(x)


def test_value_is_concave_for_gains_convex_for_losses():
    """Diminishing sensitivity on both sides of the reference point."""
    assert prospect.value(2.0) - prospect.value(1.0) < prospect.value(1.0) - prospect.value(0.0)
    assert prospect.value(-1.0) - prospect.value(-2.0) < prospect.value(0.0) - prospect.value(-1.0)


def test_custom_parameters_are_used():
    """Other parameters change the curve as the formula says."""
    p = ProspectParams(alpha=0.5, beta=1.0, lam=3.0)
    assert prospect.value(4.0, p) == pytest.approx(2.0)
    assert prospect.value(-4.0, p) == pytest.approx(-12.0)


def test_domain_thresholds():
    """Gains at or above 0, near-status-quo losses above -8, deep losses at or below -8."""
    p = ProspectParams()
    assert prospect.domain(0.0, p) == prospect.GAINS
    assert prospect.domain(5.0, p) == prospect.GAINS
    assert prospect.domain(-0.01, p) == prospect.NEAR_LOSSES
    assert prospect.domain(-7.99, p) == prospect.NEAR_LOSSES
    assert prospect.domain(-8.0, p) == prospect.DEEP_LOSSES
    assert prospect.domain(-50.0, p) == prospect.DEEP_LOSSES
    moved = ProspectParams(deep_loss_threshold=20.0)
    assert prospect.domain(-10.0, moved) == prospect.NEAR_LOSSES


def test_strategy_and_risk_attitude_follow_domain():
    """Claiming only in deep losses; risk averse in gains, acceptant in losses."""
    assert prospect.strategy(prospect.GAINS) == prospect.VALUE_CREATING
    assert prospect.strategy(prospect.NEAR_LOSSES) == prospect.VALUE_CREATING
    assert prospect.strategy(prospect.DEEP_LOSSES) == prospect.VALUE_CLAIMING
    assert prospect.risk_attitude(prospect.GAINS) == "averse"
    assert prospect.risk_attitude(prospect.DEEP_LOSSES) == "acceptant"


def test_risk_propensity_sign():
    """A 50/50 gamble is preferred to its expected value in losses, not in gains."""
    assert prospect.risk_propensity(-5.0) > 0
    assert prospect.risk_propensity(5.0) < 0
    assert prospect.risk_propensity(0.0) == 0.0
    assert math.isclose(prospect.risk_propensity(-5.0), (2**0.88 / 2 - 1) * -1, rel_tol=1e-9)
