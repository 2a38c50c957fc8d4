"""The FTA two-level game: one country, its negotiation tracks, every party's ratification.

A country negotiating several agreements is one simulation (DESIGN.md, section
3): its business pressure is shared by every track, so concluding an easy FTA
first relieves the pressure that would weaken it in a hard one (paper 000, the
partner sequencing hypothesis). Each agreement then has to be ratified by every
party along its own route, and enters into force when the last one has.

The world holds the state of a run and wires its processes (business pressure
and the lobby, sector mobilisation and protests, negotiation, signature, each
party's route, renegotiation, shocks, entry into force); each process lives in
its own module and sees the world through
:class:`~timeline_sim.models.fta.protocol.FtaState`. The quantities the
processes ask for (support margins, obstruction) live in
:mod:`~timeline_sim.models.fta.support`.
"""

from __future__ import annotations

import math
from typing import Any

import simpy

from timeline_sim.engine.calendar import Calendar
from timeline_sim.engine.events import EventLog, StateRecorder
from timeline_sim.engine.streams import RandomStreams
from timeline_sim.models.fta import compensation, support
from timeline_sim.models.fta.entry import enter_into_force
from timeline_sim.models.fta.inputs import log_inputs
from timeline_sim.models.fta.negotiation import (
    home_resistance_at,
    home_stakes,
    negotiate_track,
    partner_resistance,
    sign_agreement,
)
from timeline_sim.models.fta.parties import PartyRuntime
from timeline_sim.models.fta.pressure import (
    DOMESTIC,
    BusinessPressure,
    lobby_for_agreements,
    lobbying_form,
)
from timeline_sim.models.fta.renegotiation import consider_renegotiation
from timeline_sim.models.fta.routes import ratify_for_party
from timeline_sim.models.fta.schema import FtaCase, Track
from timeline_sim.models.fta.sectors import SectorMobilisation, stage_protests
from timeline_sim.models.fta.shocks import party_shocks
from timeline_sim.models.fta.state import PartyRecord, SectorState, TrackState
from timeline_sim.models.fta.summary import summarise
from timeline_sim.models.fta.terms import deal_terms, terms_text
from timeline_sim.models.params import Params

#: Runs stop this many days after the case's start unless the case sets a horizon.
HORIZON_DAYS = 365.0 * 12


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
        self.years = (case.start_date.day.year, self.calendar.date(self.horizon_days()).year)
        self.parties = {
            code: PartyRuntime.build(code, party, self.calendar, self.years)
            for code, party in case.parties.items()
        }
        self.pressure = BusinessPressure(self, self._home_context())
        self.tracks: dict[str, TrackState] = {
            name: self._track_state(track) for name, track in case.tracks.items() if track.enabled
        }
        self.in_force_events = {name: self.env.event() for name in self.tracks}
        for name, state in self.tracks.items():
            for sector in state.sectors:
                if sector.opposed:
                    sector.mobilisation = SectorMobilisation(self, name, sector)

    def _home_context(self) -> int:
        """FTAs the home party already has in force at the start."""
        facts = self.case.parties[self.case.home].ftas_in_force
        return 0 if facts is None else int(round(facts.value))

    def _track_state(self, track: Track) -> TrackState:
        home = self.case.home
        bp, ro = self.params.bargaining, self.params.routes
        eagerness = bp.partner_eagerness if track.initiated_by.side == "partner" else 0.0
        sectors = [
            SectorState(
                party=s.party,
                name=s.name,
                kind=s.kind,
                opposed=s.stance == "opposed",
                exposure=s.exposure,
                protection=s.protection,
                aligned_share=ro.default_aligned_share
                if s.aligned_share is None
                else s.aligned_share.value,
                on_the_table=s.party == home and s.stance == "opposed",
            )
            for s in track.sectors
        ]
        counted = track.parties if self.params.mechanisms.partner_ratification else [home]
        exposure, stake = home_stakes(track, home)
        return TrackState(
            partner_resistance=partner_resistance(stake, bp.partner_flex, eagerness),
            home=home,
            home_exposure=exposure,
            parties={code: PartyRecord(code) for code in counted},
            sectors=sectors,
        )

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

    def effective_grievance(self, name: str, sector: SectorState) -> float:
        """A sector's grievance left once its government's compensation is counted."""
        return sector.grievance / compensation.relief_factor(self, name, sector.party)

    def obstruction(self, name: str, code: str, chamber: str, t: float) -> float:
        """Opposed sectors' legislators' will to obstruct (see ``support``)."""
        return support.obstruction(self, name, code, chamber, t)

    def support_margin(
        self, name: str, code: str, chamber: str, t: float, fast: bool = False
    ) -> float:
        """Legislators' support for ratification in ``chamber``, in logit units."""
        return support.support_margin(self, name, code, chamber, t, fast)

    def popular_margin(self, name: str, code: str, t: float) -> float:
        """Voters' support in a referendum, in logit units (see ``support``)."""
        return support.popular_margin(self, name, code, t)

    def opposed_mobilisation(self, name: str, code: str, t: float) -> float:
        """The summed mobilisation of a party's opposed sectors."""
        return support.opposed_mobilisation(self, name, code, t)

    # -- milestones -----------------------------------------------------------------

    def conclude(self, name: str, concession: float) -> None:
        """Talks end in agreement; pressure is partly relieved and opposed sectors mobilise."""
        t = self.env.now
        state = self.tracks[name]
        state.concluded_at = t
        state.concession = concession
        scale = self.params.farm.grievance_scale
        for sector in state.sectors:
            if sector.opposed:
                share = concession if sector.on_the_table else 1.0
                sector.grievance = scale * share * sector.protection
        self.log.emit(t, name, "negotiators", "concluded", concession, self.terms_text(name))
        self.pressure.on_concluded(t, name)
        impulse = self.params.farm.conclusion_impulse
        for sector in state.sectors:
            if sector.mobilisation is not None:
                why = (
                    "farmers denounce the deal"
                    if sector.kind == "farm"
                    else "the deal is denounced"
                )
                sector.mobilisation.jump(t, impulse * sector.grievance, why)
        self.env.process(sign_agreement(self, name))

    def sign(self, name: str) -> None:
        """The agreement is signed; opposed sectors mobilise again and every route begins."""
        t = self.env.now
        state = self.tracks[name]
        state.signed_at = t
        self.log.emit(
            t, name, self.case.country, "signed", state.concession or 0.0, self.track_label(name)
        )
        spike = self.params.farm.signature_spike
        for sector in state.sectors:
            if sector.mobilisation is not None:
                sector.mobilisation.jump(
                    t, spike * self.effective_grievance(name, sector), "signature"
                )
        self.start_ratification(name)

    def start_ratification(self, name: str) -> None:
        """Start (or, after a renegotiation, restart) every party's route."""
        for code, record in self.tracks[name].parties.items():
            record.process = self.env.process(ratify_for_party(self, name, code))

    def party_ratified(self, name: str, code: str) -> None:
        """A party completes its route; the last one to do so sets off entry into force."""
        t = self.env.now
        state = self.tracks[name]
        record = state.parties[code]
        record.ratified_at = t
        party = self.parties[code]
        actor = party.legislature_name or party.name
        self.log.emit(
            t, name, actor, "ratified", math.nan, f"{party.name}: {self.track_label(name)}"
        )
        if code == self.case.home:
            self.pressure.on_ratified(t, name)
        if all(r.ratified_at is not None for r in state.parties.values()):
            self.env.process(enter_into_force(self, name))

    def offer_side_payment(self, name: str, code: str, initial: bool) -> None:
        """Offer compensation to a party's opposed sectors, or raise the offer."""
        compensation.offer_side_payment(self, name, code, initial)

    def mobilise_for_vote(self, name: str, code: str, t: float) -> None:
        """A party's opposed sectors mobilise when a vote is put on the agenda."""
        spike = self.params.farm.vote_spike
        for sector in self.tracks[name].opposed(code):
            if sector.mobilisation is not None:
                sector.mobilisation.jump(
                    t, spike * self.effective_grievance(name, sector), "vote on the agenda"
                )

    def after_failed_vote(self, name: str, code: str, t: float) -> None:
        """After a failure the government pays more and business lobbies harder."""
        compensation.after_failed_vote(self, name, code, t)

    def consider_renegotiation(self, name: str, code: str) -> None:
        """Reopen the terms if the agreement has been blocked long enough."""
        consider_renegotiation(self, name, code)

    def terms_text(self, name: str) -> str:
        """The deal's terms in the issue's own unit."""
        return terms_text(self.terms(name))

    def terms(self, name: str) -> dict[str, Any]:
        """Terms of the concluded deal on the sensitive issue."""
        return deal_terms(self.case.tracks[name].issue, self.tracks[name].concession or 0.0)

    # -- running ----------------------------------------------------------------------

    def horizon_days(self) -> float:
        """When the run stops if an agreement is not yet in force."""
        if self.case.horizon is None:
            return HORIZON_DAYS
        return self.calendar.day(self.case.horizon.day)

    def start(self) -> None:
        """Start every process of the run."""
        log_inputs(self)
        self.env.process(lobby_for_agreements(self, self.describe_lobbying))
        for code in self.parties:
            tracks = [n for n in self.tracks if code in self.case.tracks[n].parties]
            if tracks and self.parties[code].spec.shocks:
                self.env.process(party_shocks(self, code, tracks))
        for name in self.tracks:
            self.env.process(negotiate_track(self, name))

    def run(self) -> None:
        """Run until every enabled track is in force or the horizon passes."""
        self.start()
        everything = simpy.AllOf(self.env, list(self.in_force_events.values()))
        self.env.run(until=everything | self.env.timeout(self.horizon_days()))
        end = self.env.now
        self.states.record(end, DOMESTIC, "business_pressure", self.pressure.level(end))
        for name, state in self.tracks.items():
            for sector in state.sectors:
                if sector.mobilisation is not None:
                    self.states.record(
                        end, name, sector.mobilisation.series, sector.mobilisation.level(end)
                    )
                    record = state.parties.get(sector.party)
                    if record is not None:  # protests end when the sector's party ratifies
                        until = end if record.ratified_at is None else record.ratified_at
                        stage_protests(self, sector.mobilisation, until)

    def summary(self) -> dict[str, dict[str, Any]]:
        """Milestones (dates) and outcomes of every track."""
        return summarise(self)


def simulate(case: FtaCase, params: Params, streams: RandomStreams) -> FtaWorld:
    """Run one replication of an FTA case and return its finished world."""
    world = FtaWorld(case, params, streams)
    world.run()
    return world
