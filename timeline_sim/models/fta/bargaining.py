"""Closed-form pieces of bilateral bargaining, kept free of SimPy.

- time-based concession curves (Faratin, Sierra and Jennings 1998): a side moves
  from its opening position toward its resistance point as a power of elapsed
  time over its concession horizon;
- the meeting time of two such curves when both are linear;
- the resistance point of a government torn between business pressure and farm
  opposition (paper 000: pressure with a poor no-agreement alternative lowers
  the resistance point, an FTA already concluded raises the alternative);
- the Rubinstein (1982) split, which divides the overlap of crossed offers
  according to each side's cost of delay.

Positions are concession shares on the sensitive issue: 0 is the home side's
opening position, 1 the partner's opening ask.
"""

from __future__ import annotations

import math


def concession_progress(elapsed: float, horizon: float, exponent: float = 1.0) -> float:
    """Share of the way from opening position to resistance point after ``elapsed`` days.

    ``exponent`` 1 is linear; below 1 the side holds out and concedes late
    (Boulware), above 1 it concedes early (Conceder).
    """
    if horizon <= 0:
        return 1.0
    fraction = min(1.0, max(0.0, elapsed / horizon))
    return fraction ** (1.0 / exponent)


def home_offer(resistance: float, elapsed: float, horizon: float, exponent: float = 1.0) -> float:
    """Concession the home side offers: from 0 toward its resistance point."""
    return resistance * concession_progress(elapsed, horizon, exponent)


def partner_demand(
    resistance: float, elapsed: float, horizon: float, exponent: float = 1.0
) -> float:
    """Concession the partner demands: from 1 down toward its resistance point."""
    return 1.0 - (1.0 - resistance) * concession_progress(elapsed, horizon, exponent)


def linear_meeting_time(
    home_resistance: float, home_horizon: float, partner_resistance: float, partner_horizon: float
) -> float:
    """Elapsed time at which two linear concession curves meet, or ``inf`` if never.

    Solves ``r_h * t / T_h = 1 - (1 - r_p) * t / T_p`` for ``t`` within both horizons,
    then checks the plateaus: if the home side's resistance point lies below the
    partner's, the curves never meet.
    """
    if home_resistance < partner_resistance:
        return math.inf
    speed = home_resistance / home_horizon + (1.0 - partner_resistance) / partner_horizon
    t = 1.0 / speed
    if t <= min(home_horizon, partner_horizon):
        return t
    # one side has reached its resistance point first: meet on its plateau
    if home_horizon < partner_horizon:
        return partner_horizon * (1.0 - home_resistance) / (1.0 - partner_resistance)
    return home_horizon * partner_resistance / home_resistance


def resistance_point(pressure: float, opposition: float, alternative: float = 0.0) -> float:
    """Largest concession share the home government will accept.

    Pressure to get any deal pushes it up; farm opposition and a good
    no-agreement alternative (FTAs already concluded) hold it down.
    """
    pressure = max(0.0, pressure)
    denominator = pressure + max(0.0, opposition) + max(0.0, alternative)
    return 0.0 if denominator <= 0 else pressure / denominator


def rubinstein_share(delta_proposer: float, delta_responder: float) -> float:
    """Share of the surplus the first proposer obtains in Rubinstein's alternating-offers game.

    ``(1 - d_r) / (1 - d_p * d_r)``, for discount factors in (0, 1).
    """
    return (1.0 - delta_responder) / (1.0 - delta_proposer * delta_responder)


def discount_factor(cost_per_day: float, round_days: float) -> float:
    """Per-round discount factor of a side whose cost of delay is ``cost_per_day``."""
    return math.exp(-max(cost_per_day, 1e-9) * round_days)
