"""What has happened in a dispute episode so far: plain data, one small method each."""

from __future__ import annotations

from dataclasses import dataclass, field

from timeline_sim.models.dispute.tactics import CLAIMING_TACTICS


@dataclass
class SideState:
    """One side of one episode."""

    label: str
    base_loss: float  # loss units against the status quo before any threat
    stake: float  # loss units of trade the other side's threats put at risk
    threat_exposure: float = 0.0  # summed threat weights received
    extra_loss: float = 0.0  # loss units added by missed deadlines and counter-threats
    resistance_multiplier: float = 1.0  # from shocks
    strategy: str = ""
    domain: str = ""
    tactics: list[str] = field(default_factory=list)
    threats_received: set[str] = field(default_factory=set)  # a repeated threat adds nothing new

    def position(self) -> float:
        """Outcome relative to the status quo (negative: a loss), in loss units."""
        return -(self.base_loss + self.stake * self.threat_exposure + self.extra_loss)

    def claiming_share(self) -> float | None:
        """Share of this side's tactics that were value claiming."""
        if not self.tactics:
            return None
        return sum(1 for t in self.tactics if t in CLAIMING_TACTICS) / len(self.tactics)


@dataclass
class ActiveDeadline:
    """A deadline the talks currently face."""

    t: float
    kind: str  # summit, super301, benchmark, clock_301, sanctions
    name: str
    extensions: int = 0
    done: bool = False


@dataclass
class EpisodeState:
    """What has happened in one episode (track)."""

    us: SideState
    them: SideState
    deadlines: list[ActiveDeadline] = field(default_factory=list)
    talks_start: float | None = None
    agreed_at: float | None = None
    agreed_share: float | None = None
    market_access: float | None = None
    days_before_deadline: float | None = None
    deadlines_missed: int = 0
    sanctions_imposed: bool = False
    section_301_at: float | None = None
    list_at: float | None = None
    announced: set[str] = field(default_factory=set)
    finished: bool = False
