"""The FTA two-level game: one country, several negotiation tracks, one domestic state.

A country negotiating several agreements is one simulation (DESIGN.md, section
3): its business pressure is shared by every track, so concluding an easy FTA
first relieves the pressure that would weaken it in a hard one (paper 000, the
partner sequencing hypothesis). Each track runs its own negotiation,
signature, farm mobilisation and ratification processes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import simpy

from timeline_sim.calendar import Calendar
from timeline_sim.case import FtaCase
from timeline_sim.domestic import (
    DOMESTIC,
    BusinessPressure,
    FarmMobilisation,
    lobby_for_agreements,
    stage_protests,
)
from timeline_sim.log import EventLog, StateRecorder
from timeline_sim.negotiation import (
    home_resistance_at,
    negotiate_track,
    partner_resistance,
    sign_agreement,
)
from timeline_sim.params import Params
from timeline_sim.ratification import Legislature, ratify_agreement
from timeline_sim.streams import RandomStreams


@dataclass
class TrackState:
    """What has happened on one track so far."""

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
    mobilisation: FarmMobilisation | None = field(default=None, repr=False)


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
        members = self.legislature.members
        for name, state in self.tracks.items():
            if state.signed_at is not None and state.ratified_at is None:
                return name, (
                    f"business groups send letters to all {members} members of the "
                    f"{self.legislature.name} urging ratification of the {self.track_label(name)}"
                )
        for name, state in self.tracks.items():
            if state.talks_start is not None and state.concluded_at is None:
                return (
                    name,
                    f"business federation report and statements: conclude the {self.track_label(name)}",
                )
        return DOMESTIC, "business federation report: the country is being shut out of the FTA game"

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
        state = self.tracks[name]
        base = self.params.ratification.side_payment_usd_per_grievance * state.grievance
        return 0.0 if base <= 0 else state.side_payments_usd / base

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
        """Offer compensation to farmers, or raise the offer.

        The first offer comes when ratification first runs into trouble (a committee
        that will not report the bill, or a failed vote); each later failure raises it.
        An agreement that sails through costs nothing (paper 000: Japan-Mexico had
        "no specific side payments").
        """
        if not self.params.mechanisms.side_payments:
            return
        state = self.tracks[name]
        rp = self.params.ratification
        before = self.effective_grievance(name)
        if initial:
            if state.grievance <= 0:
                return
            state.side_payments_usd = rp.side_payment_usd_per_grievance * state.grievance
            what = "first compensation package for farmers"
        else:
            if state.side_payments_usd <= 0:
                return
            state.side_payments_usd *= rp.side_payment_escalation
            state.side_payment_raises += 1
            what = "compensation raised after a failed vote"
        t = self.env.now
        after = self.effective_grievance(name)
        if before > 0:
            state.mobilisation.scale(t, after / before)
        self.log.emit(
            t, name, self.case.country, "side_payment_offered", state.side_payments_usd, what
        )

    def mobilise_for_vote(self, name: str, t: float) -> None:
        """Farmers mobilise when a vote is put on the agenda."""
        state = self.tracks[name]
        state.mobilisation.jump(
            t, self.params.farm.vote_spike * self.effective_grievance(name), "vote on the agenda"
        )

    def after_failed_vote(self, name: str, t: float) -> None:
        """After a failure the government pays more and business lobbies harder."""
        self.offer_side_payment(name, initial=self.tracks[name].side_payments_usd <= 0)
        bump = self.params.ratification.failure_pressure_bump
        if bump > 0:
            level = self.pressure.level(t)
            self.pressure._rebase(t, level + bump, self.pressure.growth)
            self.log.emit(
                t,
                name,
                "business lobby",
                "lobbying_act",
                level + bump,
                f"business groups press legislators after the failed vote on the {self.track_label(name)}",
            )

    def terms_text(self, name: str) -> str:
        """The deal's terms in the issue's own unit."""
        terms = self.terms(name)
        text = f"{terms['issue']}: {terms['value']:,.4g} {terms['unit']}"
        if terms["products_liberalised"] is not None:
            text += "; liberalised: " + (", ".join(terms["products_liberalised"]) or "none")
        return text

    def terms(self, name: str) -> dict[str, Any]:
        """Terms of the concluded deal on the sensitive issue."""
        issue = self.case.tracks[name].issue
        share = self.tracks[name].concession or 0.0
        value = issue.home_opening + share * (issue.partner_ask - issue.home_opening)
        products: list[str] | None = None
        if issue.products:
            total = sum(p.weight for p in issue.products)
            products, covered = [], 0.0
            for product in issue.products:
                covered += product.weight / total
                if covered <= share + 1e-9:
                    products.append(product.name)
        return {
            "issue": issue.name,
            "unit": issue.unit,
            "value": value,
            "products_liberalised": products,
        }

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
            opens, closes = (
                self.calendar.day(_parse(session.opens)),
                self.calendar.day(_parse(session.closes)),
            )
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
        iso = self.calendar.iso
        out: dict[str, dict[str, Any]] = {}
        for name, state in self.tracks.items():
            failed = [
                t
                for t, trk, _a, kind, _v, _d in self.log.records
                if trk == name and kind in ("vote_failed", "vote_blocked")
            ]
            protests = [
                v
                for _t, trk, _a, kind, v, _d in self.log.records
                if trk == name and kind == "protest"
            ]
            breakdown = self.log.first(name, "breakdown")

            def date(t: float | None) -> str | None:
                return None if t is None else iso(t)

            delay = None
            if state.ratified_at is not None and state.signed_at is not None:
                delay = state.ratified_at - state.signed_at
            terms = self.terms(name) if state.concession is not None else None
            out[name] = {
                "milestones": {
                    "talks_launched": date(state.talks_start),
                    "breakdown": date(breakdown),
                    "concluded": date(state.concluded_at),
                    "signed": date(state.signed_at),
                    "submitted": date(state.submitted_at),
                    "committee_passed": date(self.log.first(name, "committee_passed")),
                    "ratified_lower": date(state.lower_passed_at),
                    "ratified": date(state.ratified_at),
                },
                "outcomes": {
                    "talks_days": None
                    if state.concluded_at is None or state.talks_start is None
                    else round(state.concluded_at - state.talks_start, 1),
                    "ratification_delay_days": None if delay is None else round(delay, 1),
                    "failed_votes": state.failed_votes,
                    "failed_vote_dates": [iso(t) for t in failed],
                    "side_payments_usd": round(state.side_payments_usd, 0),
                    "side_payment_raises": state.side_payment_raises,
                    "concession": None if state.concession is None else round(state.concession, 4),
                    "terms_value": None if terms is None else round(terms["value"], 1),
                    "terms_unit": self.case.tracks[name].issue.unit,
                    "products_liberalised": None
                    if terms is None
                    else terms["products_liberalised"],
                    "breakdowns": self.log.count(name, "breakdown"),
                    "protests": len(protests),
                    "largest_protest": max(protests) if protests else 0,
                    "stuck": state.stuck,
                },
            }
        return out


def _parse(text: str):
    from timeline_sim.calendar import HistoricalDate

    return HistoricalDate.parse(text).date


#: Runs stop this many days after the case's start if not every track is ratified.
HORIZON_DAYS = 365.0 * 12


def simulate(case: FtaCase, params: Params, streams: RandomStreams) -> FtaWorld:
    """Run one replication of an FTA case and return its finished world."""
    world = FtaWorld(case, params, streams)
    world.run(HORIZON_DAYS)
    return world
