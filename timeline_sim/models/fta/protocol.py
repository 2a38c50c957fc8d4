"""What the FTA processes need of the world they run in.

The processes (pressure, farm lobby, negotiation, ratification) are written
against these protocols, not against :class:`~timeline_sim.models.fta.world.FtaWorld`,
so no process module imports the world that wires them: the world imports the
processes, never the other way round.
"""

from __future__ import annotations

from typing import Protocol

import simpy

from timeline_sim.engine.calendar import Calendar
from timeline_sim.engine.events import EventLog, StateRecorder
from timeline_sim.engine.streams import RandomStreams
from timeline_sim.models.fta.schema import FtaCase
from timeline_sim.models.fta.state import TrackState
from timeline_sim.models.params import Params


class Pressure(Protocol):
    """Business pressure as the processes read it."""

    concluded: int
    growth: float
    watchers: list[simpy.Process]

    def level(self, t: float) -> float:
        """Pressure at time ``t``."""
        ...

    def rebase(self, t: float, level: float, growth: float) -> None:
        """Set pressure to ``level`` at ``t``, growing at ``growth`` per day after."""
        ...


class Chamber(Protocol):
    """The ratifying legislature as the processes read it."""

    name: str
    members: int
    chambers: int
    rural_share: float

    def next_sitting(self, t: float) -> float:
        """Earliest time at or after ``t`` when the legislature sits."""
        ...

    def election_proximity(self, t: float) -> float:
        """1 on the eve of an election, 0 far from one."""
        ...


class FtaState(Protocol):
    """The shared state of one run of an FTA case and the transitions processes trigger."""

    env: simpy.Environment
    case: FtaCase
    params: Params
    streams: RandomStreams
    calendar: Calendar
    log: EventLog
    states: StateRecorder
    tracks: dict[str, TrackState]
    pressure: Pressure
    legislature: Chamber

    def track_label(self, name: str) -> str:
        """Human name of a track's agreement."""
        ...

    def summit_urgency(self, summits: list[float], t: float) -> float:
        """0 far from the next summit, rising to 1 on its eve."""
        ...

    def home_resistance(self, name: str, t: float) -> float:
        """The home government's resistance point on a track."""
        ...

    def obstruction(self, name: str, t: float) -> float:
        """Rural members' will to obstruct."""
        ...

    def support_margin(self, name: str, t: float) -> float:
        """Legislators' support for ratification, in logit units."""
        ...

    def effective_grievance(self, name: str) -> float:
        """Farmers' grievance left once compensation is counted."""
        ...

    def conclude(self, name: str, concession: float) -> None:
        """Talks end in agreement."""
        ...

    def sign(self, name: str) -> None:
        """The agreement is signed."""
        ...

    def ratify(self, name: str) -> None:
        """The legislature approves the agreement."""
        ...

    def offer_side_payment(self, name: str, initial: bool) -> None:
        """Offer compensation to farmers, or raise the offer."""
        ...

    def mobilise_for_vote(self, name: str, t: float) -> None:
        """Farmers mobilise when a vote is put on the agenda."""
        ...

    def after_failed_vote(self, name: str, t: float) -> None:
        """What follows a failed or blocked vote."""
        ...

    def describe_lobbying(self, t: float) -> tuple[str, str]:
        """The track a lobbying act concerns and the form it takes."""
        ...


__all__ = ["Chamber", "FtaState", "Pressure"]
