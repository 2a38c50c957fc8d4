"""Prospect theory: the Kahneman-Tversky value function, domains and risk attitude.

Paper 001 ('Prospect Theory'): each side judges its position against a reference
point, the status quo. In the domain of gains it is risk averse and creates value;
near the status quo, in modest losses, it may still create value; in deep losses
it is risk acceptant and claims value. The paper's value function is only
'hypothetical'; the default parameters are Tversky and Kahneman's (1992)
estimates, alpha = beta = 0.88 and lambda = 2.25.
"""

from __future__ import annotations

from timeline_sim.models.params import ProspectParams

GAINS = "gains"
NEAR_LOSSES = "near_losses"
DEEP_LOSSES = "deep_losses"

VALUE_CREATING = "value_creating"
VALUE_CLAIMING = "value_claiming"


def value(x: float, p: ProspectParams | None = None) -> float:
    """v(x) = x**alpha for gains, -lam * (-x)**beta for losses (x relative to the status quo)."""
    p = p or ProspectParams()
    if x >= 0:
        return x**p.alpha
    return -p.lam * (-x) ** p.beta


def domain(v: float, p: ProspectParams | None = None) -> str:
    """Domain of a side whose position is worth ``v``: gains, near-status-quo or deep losses."""
    p = p or ProspectParams()
    if v >= p.gains_threshold:
        return GAINS
    if v > -p.deep_loss_threshold:
        return NEAR_LOSSES
    return DEEP_LOSSES


def strategy(dom: str) -> str:
    """Value creating in gains and near the status quo, value claiming in deep losses."""
    return VALUE_CLAIMING if dom == DEEP_LOSSES else VALUE_CREATING


def risk_attitude(dom: str) -> str:
    """Risk averse in gains, acceptant in losses (more so the deeper they are)."""
    return {GAINS: "averse", NEAR_LOSSES: "acceptant (mild)", DEEP_LOSSES: "acceptant"}[dom]


def risk_propensity(x: float, p: ProspectParams | None = None) -> float:
    """Certainty equivalent premium of a 50/50 gamble between 0 and 2x, relative to |x|.

    Positive: the side prefers the gamble to the sure outcome x (risk acceptant);
    negative: it prefers the sure outcome (risk averse); 0 at the reference point.
    """
    p = p or ProspectParams()
    if x == 0:
        return 0.0
    gamble = 0.5 * value(2 * x, p) + 0.5 * value(0.0, p)
    sure = value(x, p)
    return (gamble - sure) / abs(sure)
