"""What has happened on one FTA track so far: plain data, no behaviour."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class TrackState:
    """Milestones, terms and ratification record of one track."""

    partner_resistance: float
    talks_start: float | None = None
    concluded_at: float | None = None
    signed_at: float | None = None
    submitted_at: float | None = None
    lower_passed_at: float | None = None
    ratified_at: float | None = None
    concession: float | None = None
    grievance: float = 0.0
    side_payments_usd: float = 0.0
    side_payment_raises: int = 0
    failed_votes: int = 0
    stuck: str = ""
    mobilisation: Any = field(default=None, repr=False)  # the track's FarmMobilisation
