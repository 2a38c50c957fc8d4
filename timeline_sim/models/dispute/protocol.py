"""What the dispute processes need of the world they run in.

Escalation, deadlines and the episode process are written against
:class:`DisputeState`, not against the world that wires them, so that no
process module imports the world: the world imports the processes.
"""

from __future__ import annotations

from typing import Protocol

import simpy

from timeline_sim.engine.calendar import Calendar
from timeline_sim.engine.events import EventLog, StateRecorder
from timeline_sim.engine.streams import RandomStreams
from timeline_sim.models.dispute.schema import DisputeCase
from timeline_sim.models.dispute.state import ActiveDeadline, EpisodeState, SideState
from timeline_sim.models.params import DisputeParams, Params, ProspectParams


class DisputeState(Protocol):
    """The shared state of one run of a dispute case and the transitions processes trigger."""

    env: simpy.Environment
    case: DisputeCase
    params: Params
    p: DisputeParams
    pp: ProspectParams
    streams: RandomStreams
    calendar: Calendar
    log: EventLog
    states: StateRecorder
    tracks: dict[str, EpisodeState]
    done_events: dict[str, simpy.Event]

    def value_of(self, side: SideState) -> float:
        """Kahneman-Tversky value of a side's position."""
        ...

    def rechoose(self, name: str, which: str, why: str) -> None:
        """Classify a side's domain and re-choose its strategy."""
        ...

    def tactic(self, name: str, which: str, tactic: str, detail: str) -> None:
        """Log a tactic and let it act on the other side."""
        ...

    def resistance(self, name: str, deadline: ActiveDeadline) -> float:
        """Largest share of the demand the target accepts at this deadline."""
        ...

    def minimum_demand(self, name: str, deadline: ActiveDeadline) -> float:
        """Least share of its demand the initiator accepts at this deadline."""
        ...

    def current_deadline(self, name: str) -> ActiveDeadline | None:
        """The nearest deadline of an episode not yet passed."""
        ...
