"""Closed forms of bargaining before a deadline, kept free of SimPy.

Offers move toward the resistance points as ``exp(-(D - t) / w)``, so
concessions concentrate in the last days before a deadline ``D``; agreement
comes when the target's offer meets the initiator's demand.
"""

from __future__ import annotations

import math


def urgency(t: float, deadline: float, efold_days: float) -> float:
    """0 far from the deadline, rising as ``exp(-(D - t) / w)`` to 1 on the day."""
    if t >= deadline:
        return 1.0
    return math.exp(-(deadline - t) / efold_days)


def target_offer(t: float, deadline: float, resistance: float, efold_days: float) -> float:
    """Share of the demand the target offers: from 0 towards its resistance point."""
    return resistance * urgency(t, deadline, efold_days)


def initiator_demand(t: float, deadline: float, minimum: float, efold_days: float) -> float:
    """Share the initiator demands: from its full demand (1) down to its minimum."""
    return 1.0 - (1.0 - minimum) * urgency(t, deadline, efold_days)


def concession_rate(t: float, deadline: float, resistance: float, efold_days: float) -> float:
    """Target's concessions per day at ``t``: rises as the deadline nears."""
    if t >= deadline:
        return 0.0
    return resistance * urgency(t, deadline, efold_days) / efold_days


def agreement_time(deadline: float, resistance: float, minimum: float, efold_days: float) -> float:
    """When offer meets demand before ``deadline``, or ``inf`` if the zone of agreement is empty.

    Solves ``R u = 1 - (1 - M) u`` for ``u = exp(-(D - t)/w)``: ``t = D - w ln(R + 1 - M)``.
    """
    if resistance < minimum:
        return math.inf
    return deadline - efold_days * math.log(resistance + 1.0 - minimum)
