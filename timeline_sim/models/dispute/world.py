"""Market-access disputes: prospect theory, threats, spirals and deadlines (paper 001).

An initiator (the US) presses a target (Japan, Korea) to open its market. Each
side judges its position against the status quo with the Kahneman-Tversky value
function (:mod:`timeline_sim.models.dispute.prospect`); its domain sets its
strategy, value creating near the status quo, value claiming in deep losses,
re-chosen whenever its losses change. Claiming is a ladder of tactics logged as
events (:mod:`~timeline_sim.models.dispute.escalation`). Each threat deepens the
other side's losses (the spiral). Deadlines concentrate concessions
(:mod:`~timeline_sim.models.dispute.bargaining`); at a deadline the threat is
carried out, the deadline is extended, or it passes
(:mod:`~timeline_sim.models.dispute.deadlines`). Agreements, sanctions lists and
WTO referrals are never scheduled from history; only talks, summits, statutory
dates and shocks are dated inputs. The world holds the state of a run and wires
its processes (:mod:`~timeline_sim.models.dispute.episode`), which see it through
:class:`~timeline_sim.models.dispute.protocol.DisputeState`.
"""

from __future__ import annotations

import math
from typing import Any

import simpy

from timeline_sim.engine.calendar import Calendar
from timeline_sim.engine.events import EventLog, StateRecorder
from timeline_sim.engine.streams import RandomStreams
from timeline_sim.models.dispute import prospect
from timeline_sim.models.dispute.episode import episode, shocks
from timeline_sim.models.dispute.escalation import reply
from timeline_sim.models.dispute.schema import DisputeCase, SideFacts
from timeline_sim.models.dispute.state import ActiveDeadline, EpisodeState, SideState
from timeline_sim.models.dispute.summary import summarise
from timeline_sim.models.dispute.tactics import COUNTER_WEIGHT, INITIATOR, TARGET, threat_weight
from timeline_sim.models.params import DisputeParams, Params


class DisputeWorld:
    """Everything one run of a dispute case shares."""

    def __init__(self, case: DisputeCase, params: Params, streams: RandomStreams):
        self.case = case
        self.params = params
        self.p: DisputeParams = params.dispute
        self.pp = self.p.prospect
        self.streams = streams
        self.env = simpy.Environment()
        self.calendar = Calendar(case.start_date.day)
        self.log = EventLog()
        self.states = StateRecorder()
        self.tracks: dict[str, EpisodeState] = {}
        for name, track in case.tracks.items():
            if not track.enabled:
                continue
            self.tracks[name] = EpisodeState(
                us=SideState(track.initiator.name, self._base_loss(track.initiator), 0.0),
                them=SideState(
                    track.target.name,
                    self._base_loss(track.target),
                    track.target.exports.value / self.p.loss_unit,
                ),
            )
        self.done_events = {name: self.env.event() for name in self.tracks}

    # -- reference points and domains ----------------------------------------

    def _base_loss(self, side: SideFacts) -> float:
        p = self.p
        gap = 0.0 if side.trade_asymmetry is None else side.trade_asymmetry.value / p.loss_unit
        trend = 0.0 if side.trend is None else side.trend.value
        promises = 0.0 if side.promises_broken is None else side.promises_broken.value
        return gap * (1.0 + p.trend_weight * trend) + p.promise_loss * promises

    def value_of(self, side: SideState) -> float:
        """Kahneman-Tversky value of a side's position."""
        return prospect.value(side.position(), self.pp)

    def rechoose(self, name: str, which: str, why: str) -> None:
        """Classify a side's domain and re-choose its strategy; log a change."""
        ep = self.tracks[name]
        side = ep.us if which == INITIATOR else ep.them
        t = self.env.now
        v = self.value_of(side)
        dom = prospect.domain(v, self.pp)
        strat = prospect.strategy(dom)
        self.states.record(t, name, f"{which}_value", v)
        if strat != side.strategy or dom != side.domain:
            side.domain, side.strategy = dom, strat
            self.log.emit(
                t,
                name,
                side.label,
                "strategy_chosen",
                v,
                f"{dom} ({prospect.risk_attitude(dom)} risk): {strat} [{why}]",
            )

    def threaten(self, name: str, tactic: str) -> None:
        """An initiator threat deepens the target's losses (the spiral)."""
        ep = self.tracks[name]
        w = threat_weight(tactic, self.p)
        if w > 0 and tactic not in ep.them.threats_received:
            ep.them.threats_received.add(tactic)
            ep.them.threat_exposure += w
            self.rechoose(name, TARGET, f"after the {ep.us.label}'s {tactic.replace('_', ' ')}")

    def counter_threaten(self, name: str, tactic: str) -> None:
        """A target counter-threat deepens the initiator's losses."""
        ep = self.tracks[name]
        w = COUNTER_WEIGHT.get(tactic, 0.0)
        if w > 0 and tactic not in ep.us.threats_received:
            ep.us.threats_received.add(tactic)
            ep.us.extra_loss += w * self.p.counter_threat_loss
            self.rechoose(
                name, INITIATOR, f"after the {ep.them.label}'s {tactic.replace('_', ' ')}"
            )

    def tactic(self, name: str, which: str, tactic: str, detail: str) -> None:
        """Log a tactic and let it act on the other side."""
        ep = self.tracks[name]
        side = ep.us if which == INITIATOR else ep.them
        side.tactics.append(tactic)
        self.log.emit(self.env.now, name, side.label, tactic, self.value_of(side), detail)
        if which == INITIATOR:
            self.threaten(name, tactic)
            self.env.process(reply(self, name, tactic))
        else:
            self.counter_threaten(name, tactic)

    # -- bargaining quantities -----------------------------------------------

    def resistance(self, name: str, deadline: ActiveDeadline) -> float:
        """Largest share of the demand the target accepts at this deadline (before noise)."""
        p = self.p
        ep = self.tracks[name]
        threat = 0.0
        if deadline.kind in ("super301", "clock_301"):
            threat += p.statutory_threat
        if deadline.kind == "sanctions":
            threat += p.sanction_threat
        r = p.concession_base * (1.0 + threat) * ep.them.resistance_multiplier
        if ep.them.strategy == prospect.VALUE_CLAIMING:
            r *= p.claim_resistance
        return min(1.0, r)

    def minimum_demand(self, name: str, deadline: ActiveDeadline) -> float:
        """Least share of its demand the initiator accepts at this deadline."""
        p = self.p
        ep = self.tracks[name]
        m = p.demand_claiming if ep.us.strategy == prospect.VALUE_CLAIMING else p.demand_creating
        if deadline.kind == "sanctions":
            m *= p.war_aversion
        return m

    def current_deadline(self, name: str) -> ActiveDeadline | None:
        """The nearest deadline of an episode not yet passed, or None."""
        ahead = [d for d in self.tracks[name].deadlines if not d.done]
        return min(ahead, key=lambda d: d.t) if ahead else None

    def _log_inputs(self) -> None:
        for name in self.tracks:
            for dl in self.case.tracks[name].deadlines:
                t = self.calendar.day(dl.day)
                if t >= 0:
                    kind = "summit" if dl.kind == "summit" else "deadline"
                    self.log.emit(
                        t,
                        name,
                        "calendar",
                        kind,
                        math.nan,
                        f"{dl.kind}: {dl.name} [source: {dl.source}]",
                    )

    def run(self, horizon_days: float) -> None:
        """Run until every episode ends (agreement or sanctions) or the horizon passes."""
        self._log_inputs()
        for name in self.tracks:
            self.env.process(episode(self, name))
            self.env.process(shocks(self, name))
        everything = simpy.AllOf(self.env, list(self.done_events.values()))
        self.env.run(until=everything | self.env.timeout(horizon_days))

    def summary(self) -> dict[str, dict[str, Any]]:
        """Milestones (ISO dates or None) and outcomes of every track."""
        return summarise(self)


#: Runs stop this many days after the case's start if an episode is still open.
HORIZON_DAYS = 365.0 * 8


def simulate(case: DisputeCase, params: Params, streams: RandomStreams) -> DisputeWorld:
    """Run one replication of a dispute case and return its finished world."""
    world = DisputeWorld(case, params, streams)
    world.run(HORIZON_DAYS)
    return world
