"""What the FTA processes need of the world they run in.

The processes (pressure, sector lobbies, negotiation, each party's route,
renegotiation, shocks, entry into force) are written against these protocols,
not against :class:`~timeline_sim.models.fta.world.FtaWorld`, so no process
module imports the world that wires them: the world imports the processes,
never the other way round.
"""

from __future__ import annotations

from typing import Protocol

import simpy

from timeline_sim.engine.calendar import Calendar
from timeline_sim.engine.events import EventLog, StateRecorder
from timeline_sim.engine.streams import RandomStreams
from timeline_sim.models.fta.parties import PartyRuntime
from timeline_sim.models.fta.schema import FtaCase
from timeline_sim.models.fta.state import SectorState, TrackState
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


class FtaState(Protocol):
    """The shared state of one run of an FTA case and the transitions processes trigger."""

    env: simpy.Environment
    case: FtaCase
    params: Params
    streams: RandomStreams
    calendar: Calendar
    years: tuple[int, int]  # calendar years from the start to the horizon
    log: EventLog
    states: StateRecorder
    tracks: dict[str, TrackState]
    parties: dict[str, PartyRuntime]
    pressure: Pressure
    in_force_events: dict[str, simpy.Event]

    def track_label(self, name: str) -> str:
        """Human name of a track's agreement."""
        ...

    def summit_urgency(self, summits: list[float], t: float) -> float:
        """0 far from the next summit, rising to 1 on its eve."""
        ...

    def home_resistance(self, name: str, t: float) -> float:
        """The home government's resistance point on a track."""
        ...

    def obstruction(self, name: str, code: str, chamber: str, t: float) -> float:
        """Opposed sectors' legislators' will to obstruct."""
        ...

    def support_margin(
        self, name: str, code: str, chamber: str, t: float, fast: bool = False
    ) -> float:
        """Legislators' support for ratification in a chamber, in logit units."""
        ...

    def popular_margin(self, name: str, code: str, t: float) -> float:
        """Voters' support in a referendum, in logit units."""
        ...

    def opposed_mobilisation(self, name: str, code: str, t: float) -> float:
        """The summed mobilisation of a party's opposed sectors."""
        ...

    def effective_grievance(self, name: str, sector: SectorState) -> float:
        """A sector's grievance left once compensation is counted."""
        ...

    def conclude(self, name: str, concession: float) -> None:
        """Talks end in agreement."""
        ...

    def sign(self, name: str) -> None:
        """The agreement is signed."""
        ...

    def start_ratification(self, name: str) -> None:
        """Start every party's route."""
        ...

    def party_ratified(self, name: str, code: str) -> None:
        """A party completes its route."""
        ...

    def offer_side_payment(self, name: str, code: str, initial: bool) -> None:
        """Offer compensation to a party's opposed sectors, or raise the offer."""
        ...

    def mobilise_for_vote(self, name: str, code: str, t: float) -> None:
        """A party's opposed sectors mobilise when a vote is put on the agenda."""
        ...

    def after_failed_vote(self, name: str, code: str, t: float) -> None:
        """What follows a failed or blocked vote."""
        ...

    def consider_renegotiation(self, name: str, code: str) -> None:
        """Reopen the terms if the agreement has been blocked long enough."""
        ...

    def terms_text(self, name: str) -> str:
        """The deal's terms as text."""
        ...

    def describe_lobbying(self, t: float) -> tuple[str, str]:
        """The track a lobbying act concerns and the form it takes."""
        ...
