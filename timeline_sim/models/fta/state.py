"""What has happened on one FTA track so far: plain data, no behaviour.

A track has one :class:`TrackState` (the negotiation and the agreement as a
whole), one :class:`PartyRecord` per party (its ratification), and one
:class:`SectorState` per opposed or supporting sector.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class PartyRecord:
    """One party's ratification of one agreement."""

    code: str
    submitted_at: float | None = None
    committee_passed_at: float | None = None
    chambers_passed: dict[str, float] = field(default_factory=dict)
    court_approved_at: float | None = None
    referendum_at: float | None = None
    ratified_at: float | None = None
    failed_votes: int = 0
    failed_vote_times: list[float] = field(default_factory=list)
    side_payments_usd: float = 0.0
    side_payment_raises: int = 0
    held_days: float = 0.0  # time the executive held the agreement back
    under_fast_track: bool = False
    stuck: str = ""
    process: Any = field(default=None, repr=False)  # the running route process

    def reset_for_protocol(self) -> None:
        """A renegotiated protocol needs approval again: the route starts over."""
        self.submitted_at = self.committee_passed_at = None
        self.court_approved_at = self.referendum_at = self.ratified_at = None
        self.chambers_passed = {}
        self.under_fast_track = False
        self.stuck = ""


@dataclass
class SectorState:
    """An opposed or supporting sector on one track: its grievance and mobilisation."""

    party: str
    name: str
    kind: str
    opposed: bool
    exposure: float  # trade share x tariff x seasonal overlap
    protection: float  # tariff x seasonal overlap
    aligned_share: float
    on_the_table: bool  # its goods are the sensitive issue the talks decide (home, opposed)
    grievance: float = 0.0
    mobilisation: Any = field(default=None, repr=False)  # its SectorMobilisation, if it mobilises


@dataclass
class TrackState:
    """Milestones, terms and records of one agreement."""

    partner_resistance: float
    home: str
    parties: dict[str, PartyRecord]
    sectors: list[SectorState]
    home_exposure: float = 0.0  # the home side's exposure on the sensitive issue (Track.exposure)
    talks_start: float | None = None
    concluded_at: float | None = None
    signed_at: float | None = None
    concession: float | None = None
    renegotiations: int = 0
    renegotiating: bool = False
    renegotiation_opened_at: float | None = None
    renegotiated_at: float | None = None
    notes_at: float | None = None
    in_force_at: float | None = None

    # the home party's record, as the seed cases and their targets speak of it
    @property
    def home_record(self) -> PartyRecord:
        return self.parties[self.home]

    @property
    def ratified_at(self) -> float | None:
        """When the home party ratified."""
        return self.home_record.ratified_at

    def opposed(self, party: str) -> list[SectorState]:
        """The party's opposed sectors."""
        return [s for s in self.sectors if s.party == party and s.opposed]

    def supporting(self, party: str) -> list[SectorState]:
        """The party's supporting sectors."""
        return [s for s in self.sectors if s.party == party and not s.opposed]
