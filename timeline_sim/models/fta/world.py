"""The FTA two-level game: one country, several negotiation tracks, one domestic state.

A country negotiating several agreements is one simulation (DESIGN.md, section
3): its business pressure is shared by every track, so concluding an easy FTA
first relieves the pressure that would weaken it in a hard one (paper 000, the
partner sequencing hypothesis). The world holds the state of a run and wires
its processes (pressure and the lobby, farm mobilisation and protests,
negotiation, signature, ratification); each process's logic lives in its own
module and sees the world through :class:`~timeline_sim.models.fta.protocol.FtaState`.
"""

from __future__ import annotations

import math
from typing import Any

import simpy

from timeline_sim.engine.calendar import Calendar, HistoricalDate
from timeline_sim.engine.events import EventLog, StateRecorder
from timeline_sim.engine.streams import RandomStreams
from timeline_sim.models.fta import compensation
from timeline_sim.models.fta.farm import FarmMobilisation, stage_protests
from timeline_sim.models.fta.negotiation import (
    home_resistance_at,
    negotiate_track,
    partner_resistance,
    sign_agreement,
)
from timeline_sim.models.fta.pressure import (
    DOMESTIC,
    BusinessPressure,
    lobby_for_agreements,
    lobbying_form,
)
from timeline_sim.models.fta.ratification import Legislature, ratify_agreement
from timeline_sim.models.fta.schema import FtaCase
from timeline_sim.models.fta.state import TrackState
from timeline_sim.models.fta.summary import summarise
from timeline_sim.models.fta.terms import deal_terms, terms_text
from timeline_sim.models.params import Params


class FtaWorld:
    """Everything one run of an FTA case shares: environment, state, log and streams."""

    def __init__(self, case: FtaCase, params: Params, streams: RandomStreams):
        self.case = case
        self.params = params
        self.streams = streams
        self.env = simpy.Environment()
        self.calendar = Calendar(case.start_date.day)
        self.log = EventLog()
        self.states = StateRecorder()
        self.pressure = BusinessPressure(self)
        self.legislature = Legislature(self)
        bp = params.bargaining
        self.tracks: dict[str, TrackState] = {
            name: TrackState(
                partner_resistance(
                    track.farm_trade_share.value,
                    bp.partner_flex,
                    bp.partner_eagerness if track.initiated_by.side == "partner" else 0.0,
                )
            )
            for name, track in case.tracks.items()
            if track.enabled
        }
        self.ratified_events = {name: self.env.event() for name in self.tracks}
        for name, state in self.tracks.items():
            state.mobilisation = FarmMobilisation(self, name)

    # -- descriptions -------------------------------------------------------------

    def track_label(self, name: str) -> str:
        """Human name of a track's agreement, e.g. 'Korea-Chile FTA'."""
        return f"{self.case.country}-{self.case.tracks[name].partner} FTA"

    def describe_lobbying(self, t: float) -> tuple[str, str]:
        """The track a lobbying act concerns and the form it takes."""
        return lobbying_form(self, t)

    # -- quantities evaluated when an event needs them ----------------------------

    def home_resistance(self, name: str, t: float) -> float:
        """Resistance point of the home government on track ``name`` at ``t``."""
        return home_resistance_at(self, name, t)

    def summit_urgency(self, summits: list[float], t: float) -> float:
        """0 far from the next summit, rising to 1 on its eve."""
        window = self.params.bargaining.deadline_window_days
        ahead = [s - t for s in summits if 0 <= s - t <= window]
        return 0.0 if not ahead else 1.0 - min(ahead) / window

    def grievance(self, name: str) -> float:
        """Farmers' grievance: the concession weighted by the protection it removes."""
        track = self.case.tracks[name]
        state = self.tracks[name]
        overlap = 1.0 if track.seasonal_overlap is None else track.seasonal_overlap.value
        return (
            self.params.farm.grievance_scale
            * (state.concession or 0.0)
            * track.tariff_height.value
            * overlap
        )

    def compensation_ratio(self, name: str) -> float:
        """Side payments offered relative to the first offer the grievance warrants."""
        return compensation.compensation_ratio(self, name)

    def effective_grievance(self, name: str) -> float:
        """Grievance left once compensation is counted."""
        relief = self.params.farm.compensation_relief * self.compensation_ratio(name)
        return self.tracks[name].grievance / (1.0 + relief)

    def obstruction(self, name: str, t: float) -> float:
        """Rural members' will to obstruct: mobilisation x rural share, more before elections."""
        mobilisation = self.tracks[name].mobilisation
        level = mobilisation.level(t) if mobilisation is not None else 0.0
        election = (
            1.0 + self.params.ratification.election_weight * self.legislature.election_proximity(t)
        )
        return level * self.legislature.rural_share * election

    def support_margin(self, name: str, t: float) -> float:
        """Legislators' support for ratification, in logit units."""
        rp = self.params.ratification
        return (
            rp.base_support
            + rp.business_weight * self.pressure.level(t)
            - rp.rural_weight * self.obstruction(name, t)
        )

    # -- milestones -----------------------------------------------------------------

    def conclude(self, name: str, concession: float) -> None:
        """Talks end in agreement; pressure is partly relieved and farmers mobilise."""
        t = self.env.now
        state = self.tracks[name]
        state.concluded_at = t
        state.concession = concession
        state.grievance = self.grievance(name)
        self.log.emit(t, name, "negotiators", "concluded", concession, self.terms_text(name))
        self.pressure.on_concluded(t, name)
        state.mobilisation.jump(
            t, self.params.farm.conclusion_impulse * state.grievance, "farmers denounce the deal"
        )
        self.env.process(sign_agreement(self, name))

    def sign(self, name: str) -> None:
        """The agreement is signed; farmers mobilise again and ratification begins."""
        t = self.env.now
        state = self.tracks[name]
        state.signed_at = t
        self.log.emit(
            t, name, self.case.country, "signed", state.concession or 0.0, self.track_label(name)
        )
        state.mobilisation.jump(
            t, self.params.farm.signature_spike * self.effective_grievance(name), "signature"
        )
        self.env.process(ratify_agreement(self, name))

    def ratify(self, name: str) -> None:
        """The legislature approves: the country is in the FTA game."""
        t = self.env.now
        state = self.tracks[name]
        state.ratified_at = t
        self.log.emit(t, name, self.legislature.name, "ratified", math.nan, self.track_label(name))
        self.pressure.on_ratified(t, name)
        self.ratified_events[name].succeed()

    def offer_side_payment(self, name: str, initial: bool) -> None:
        """Offer compensation to farmers, or raise the offer (see ``compensation``)."""
        compensation.offer_side_payment(self, name, initial)

    def mobilise_for_vote(self, name: str, t: float) -> None:
        """Farmers mobilise when a vote is put on the agenda."""
        state = self.tracks[name]
        state.mobilisation.jump(
            t, self.params.farm.vote_spike * self.effective_grievance(name), "vote on the agenda"
        )

    def after_failed_vote(self, name: str, t: float) -> None:
        """After a failure the government pays more and business lobbies harder."""
        compensation.after_failed_vote(self, name, t)

    def terms_text(self, name: str) -> str:
        """The deal's terms in the issue's own unit."""
        return terms_text(self.terms(name))

    def terms(self, name: str) -> dict[str, Any]:
        """Terms of the concluded deal on the sensitive issue."""
        return deal_terms(self.case.tracks[name].issue, self.tracks[name].concession or 0.0)

    # -- running ----------------------------------------------------------------------

    def start(self) -> None:
        """Start every process of the run."""
        self._log_inputs()
        self.env.process(lobby_for_agreements(self, self.describe_lobbying))
        for name, state in self.tracks.items():
            self.env.process(negotiate_track(self, name))
            self.env.process(
                stage_protests(self, state.mobilisation, lambda s=state: s.ratified_at is None)
            )

    def _log_inputs(self) -> None:
        """Log the dated inputs (elections, summits, sessions) that fall within the run."""
        for election in self.case.legislature.elections:
            t = self.calendar.day(election.day)
            if t >= 0:
                self.log.emit(
                    t,
                    DOMESTIC,
                    self.legislature.name,
                    "election",
                    detail=f"{election.name} [source: {election.source}]",
                )
        for name in self.tracks:
            for summit in self.case.tracks[name].summits:
                t = self.calendar.day(summit.day)
                if t >= 0:
                    self.log.emit(
                        t,
                        name,
                        "leaders",
                        "summit",
                        detail=f"{summit.name} [source: {summit.source}]",
                    )
        for session in self.case.legislature.sessions:
            opens = self.calendar.day(HistoricalDate.parse(session.opens).date)
            closes = self.calendar.day(HistoricalDate.parse(session.closes).date)
            if closes >= 0:
                self.log.emit(
                    max(opens, 0.0),
                    DOMESTIC,
                    self.legislature.name,
                    "session_opens",
                    detail=f"{session.name} [source: {session.source}]",
                )
                self.log.emit(
                    closes, DOMESTIC, self.legislature.name, "session_closes", detail=session.name
                )

    def run(self, horizon_days: float) -> None:
        """Run until every enabled track is ratified or the horizon passes."""
        self.start()
        everything = simpy.AllOf(self.env, list(self.ratified_events.values()))
        self.env.run(until=everything | self.env.timeout(horizon_days))
        end = self.env.now
        self.states.record(end, DOMESTIC, "business_pressure", self.pressure.level(end))
        for name, state in self.tracks.items():
            if state.mobilisation is not None:
                self.states.record(end, name, "farm_mobilisation", state.mobilisation.level(end))

    def summary(self) -> dict[str, dict[str, Any]]:
        """Milestones (dates) and outcomes of every track."""
        return summarise(self)


#: Runs stop this many days after the case's start if not every track is ratified.
HORIZON_DAYS = 365.0 * 12


def simulate(case: FtaCase, params: Params, streams: RandomStreams) -> FtaWorld:
    """Run one replication of an FTA case and return its finished world."""
    world = FtaWorld(case, params, streams)
    world.run(HORIZON_DAYS)
    return world
