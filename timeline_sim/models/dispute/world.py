"""Market-access disputes: prospect theory, threats, spirals and deadlines (paper 001).

An initiator (the US) presses a target (Japan, Korea) to open its market. Each
side judges its position against the status quo with the Kahneman-Tversky value
function (:mod:`timeline_sim.prospect`); its domain sets its strategy, value
creating near the status quo, value claiming in deep losses, re-chosen whenever
its losses change. Claiming is a ladder of tactics logged as events. Each threat
deepens the other side's losses (the spiral). Deadlines (summits, Super 301
dates, benchmarks, the one-year Section 301 clock, the effective date of a
sanctions list) concentrate concessions: offers move towards the resistance
points as ``exp(-(D - t) / w)``, so agreement, when the zone of agreement is
open, comes in the last days; at the deadline the threat is carried out, the
deadline is extended, or it passes (a missed deadline deepens the initiator's
losses). Agreements, sanctions lists and WTO referrals are never scheduled
from history; only talks, summits, statutory dates and shocks are dated inputs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

import simpy
from pydantic import Field, field_validator

from timeline_sim import prospect
from timeline_sim.calendar import Calendar
from timeline_sim.case import CASE_KINDS, CaseBase, DatedFact, Fact, _Strict
from timeline_sim.log import EventLog, StateRecorder
from timeline_sim.params import DisputeParams, Params
from timeline_sim.streams import RandomStreams

# ------------------------------------------------------------------ case schema

DISPUTE_MILESTONES = (
    "talks_launched",
    "section_301",
    "wto_referral",
    "sanctions_list",
    "wto_complaint",
    "counter_sanctions",
    "agreement",
)


class SideFacts(_Strict):
    """Observable reference facts of one side of a dispute."""

    name: str
    exports: Fact  # vehicles a year this side ships to the other (its stake in the other's market)
    market_share: Fact | None = None  # this side's share of the other side's market
    trade_asymmetry: Fact | None = None  # vehicles a year by which the other side out-sells it
    trend: Fact | None = None  # yearly worsening of its position (share per year; 0 = flat)
    promises_broken: Fact | None = None  # earlier promises of the other side not kept (count)

    @field_validator("market_share")
    @classmethod
    def _share(cls, fact: Fact | None) -> Fact | None:
        if fact is not None and not 0 <= fact.value <= 1:
            raise ValueError("value must be a share between 0 and 1")
        return fact

    @field_validator("exports", "trade_asymmetry", "promises_broken")
    @classmethod
    def _nonnegative(cls, fact: Fact | None) -> Fact | None:
        if fact is not None and fact.value < 0:
            raise ValueError("value must not be negative")
        return fact


class Deadline(DatedFact):
    """A dated deadline on the calendar (an input): a summit, a Super 301 date, a benchmark."""

    kind: Literal["summit", "super301", "benchmark"]


class Shock(DatedFact):
    """A dated exogenous shock; it only changes a parameter of one side."""

    side: Literal["initiator", "target"]
    kind: Literal["government_change", "currency", "financial_crisis"]
    size: float = Field(default=1.0, ge=0, le=10)


class DisputeTrack(_Strict):
    """One episode of a dispute between the initiator and the target."""

    description: str = ""
    enabled: bool = True
    talks_start: DatedFact
    initiator: SideFacts
    target: SideFacts
    deadlines: list[Deadline] = Field(default_factory=list)
    section_301_initiated: DatedFact | None = None  # a statutory 301 clock that starts the episode
    shocks: list[Shock] = Field(default_factory=list)

    @property
    def partner(self) -> str:
        """The target, named as an FTA track names its partner (for listings)."""
        return self.target.name


class DisputeCase(CaseBase):
    """A market-access dispute: one initiator, one target, one or more episodes (tracks)."""

    MILESTONES: ClassVar[tuple[str, ...]] = DISPUTE_MILESTONES

    kind: Literal["dispute"]
    tracks: dict[str, DisputeTrack] = Field(min_length=1)


CASE_KINDS["dispute"] = DisputeCase  # load_case reads dispute files once this module is imported


# ------------------------------------------------------------------ tactics

INITIATOR = "initiator"
TARGET = "target"

#: The initiator's ladder of value-claiming tactics, in order of risk.
US_LADDER = (
    "public_demand",
    "harsh_statement",
    "deadline_set",
    "section_301",
    "wto_referral",
    "sanctions_list",
)
CLAIMING_TACTICS = frozenset(US_LADDER + ("wto_complaint", "counter_sanctions"))
CREATING_TACTICS = frozenset(("off_record_talks", "accommodation"))

#: How much a target's counter-threat deepens the initiator's losses (weight x counter_threat_loss).
COUNTER_WEIGHT = {"harsh_statement": 0.5, "wto_complaint": 1.0, "counter_sanctions": 1.5}


def threat_weight(tactic: str, p: DisputeParams) -> float:
    """Share of the target's stake put at risk by an initiator tactic."""
    return {
        "public_demand": p.threat_weight_demand,
        "harsh_statement": p.threat_weight_statement,
        "deadline_set": p.threat_weight_deadline,
        "section_301": p.threat_weight_301,
        "wto_referral": p.threat_weight_wto,
        "sanctions_list": p.threat_weight_list,
    }.get(tactic, 0.0)


# ------------------------------------------------------------------ closed forms


def urgency(t: float, deadline: float, efold_days: float) -> float:
    """0 far from the deadline, rising as ``exp(-(D - t) / w)`` to 1 on the day."""
    if t >= deadline:
        return 1.0
    return math.exp(-(deadline - t) / efold_days)


def target_offer(t: float, deadline: float, resistance: float, efold_days: float) -> float:
    """Share of the demand the target offers: from 0 towards its resistance point."""
    return resistance * urgency(t, deadline, efold_days)


def initiator_demand(t: float, deadline: float, minimum: float, efold_days: float) -> float:
    """Share the initiator demands: from its full demand (1) down to its minimum."""
    return 1.0 - (1.0 - minimum) * urgency(t, deadline, efold_days)


def concession_rate(t: float, deadline: float, resistance: float, efold_days: float) -> float:
    """Target's concessions per day at ``t``: rises as the deadline nears."""
    if t >= deadline:
        return 0.0
    return resistance * urgency(t, deadline, efold_days) / efold_days


def agreement_time(deadline: float, resistance: float, minimum: float, efold_days: float) -> float:
    """When offer meets demand before ``deadline``, or ``inf`` if the zone of agreement is empty.

    Solves ``R u = 1 - (1 - M) u`` for ``u = exp(-(D - t)/w)``: ``t = D - w ln(R + 1 - M)``.
    """
    if resistance < minimum:
        return math.inf
    return deadline - efold_days * math.log(resistance + 1.0 - minimum)


# ------------------------------------------------------------------ state


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
            self.env.process(self.reply(name, tactic))
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
        ahead = [d for d in self.tracks[name].deadlines if not d.done]
        return min(ahead, key=lambda d: d.t) if ahead else None

    # -- processes --------------------------------------------------------------

    def reply(self, name: str, us_tactic: str):
        """The target answers an initiator tactic after a short lag."""
        ep = self.tracks[name]
        rng = self.streams.get(f"{name}/replies")
        yield self.env.timeout(rng.exponential(self.p.reply_lag_days))
        if ep.finished:
            return
        if ep.them.strategy == prospect.VALUE_CLAIMING:
            if us_tactic in ("wto_referral",):
                self.tactic(
                    name,
                    TARGET,
                    "harsh_statement",
                    "counter-threat: a WTO complaint if sanctions are imposed",
                )
            elif us_tactic == "sanctions_list":
                self.tactic(name, TARGET, "wto_complaint", "requests WTO consultations on the list")
                if ep.them.strategy == prospect.VALUE_CLAIMING:
                    yield self.env.timeout(rng.exponential(self.p.reply_lag_days))
                    if not ep.finished:
                        self.tactic(
                            name, TARGET, "counter_sanctions", "prepares a counter-sanctions list"
                        )
            else:
                self.tactic(
                    name, TARGET, "harsh_statement", "rejects the demands and blames the initiator"
                )
        elif us_tactic in ("section_301", "sanctions_list", "wto_referral", "deadline_set"):
            self.tactic(name, TARGET, "accommodation", "promises to look into the complaints")

    def escalate(self, name: str) -> None:
        """At a decision point the initiator, if claiming, climbs one rung of the ladder."""
        ep = self.tracks[name]
        if ep.us.strategy != prospect.VALUE_CLAIMING:
            self.tactic(name, INITIATOR, "off_record_talks", "working-level talks, off the record")
            return
        v = self.value_of(ep.us)
        for rung in US_LADDER:
            if rung in ep.announced:
                continue
            if rung == "deadline_set":
                upcoming = [
                    d
                    for d in ep.deadlines
                    if not d.done and d.kind in ("summit", "super301", "benchmark")
                ]
                if not upcoming:
                    continue
                nxt = min(upcoming, key=lambda d: d.t)
                ep.announced.add(rung)
                self.tactic(
                    name,
                    INITIATOR,
                    rung,
                    f"commits in public to a deal by {self.calendar.iso(nxt.t)} ({nxt.name})",
                )
                return
            if rung == "section_301":
                continue  # opened only when a statutory date passes (see on_deadline)
            if rung in ("wto_referral", "sanctions_list"):
                if ep.section_301_at is None or v > -self.pp.strong_loss_threshold:
                    return
                if rung == "sanctions_list":
                    self.publish_list(name)
                    return
            ep.announced.add(rung)
            self.tactic(
                name,
                INITIATOR,
                rung,
                {
                    "public_demand": "demands numerical targets and indicators",
                    "harsh_statement": "blames the target's closed market",
                    "wto_referral": "tells the WTO it will file a case",
                }[rung],
            )
            return
        self.tactic(name, INITIATOR, "harsh_statement", "repeats its demands in public")

    def open_301(self, name: str, why: str) -> None:
        ep = self.tracks[name]
        if ep.section_301_at is not None:
            return
        ep.section_301_at = self.env.now
        ep.announced.add("section_301")
        ep.deadlines.append(
            ActiveDeadline(
                self.env.now + self.p.section_301_days, "clock_301", "Section 301 one-year clock"
            )
        )
        self.tactic(name, INITIATOR, "section_301", why)

    def publish_list(self, name: str) -> None:
        ep = self.tracks[name]
        if ep.list_at is not None:
            return
        ep.list_at = self.env.now
        ep.announced.add("sanctions_list")
        effective = self.env.now + self.p.sanctions_notice_days
        ep.deadlines.append(ActiveDeadline(effective, "sanctions", "sanctions take effect"))
        self.tactic(
            name,
            INITIATOR,
            "sanctions_list",
            f"punitive tariffs take effect {self.calendar.iso(effective)} unless agreement",
        )

    def on_deadline(self, name: str, d: ActiveDeadline, resistance: float, minimum: float) -> None:
        """A deadline arrives with no agreement: carry out, extend, or let it pass."""
        p = self.p
        ep = self.tracks[name]
        t = self.env.now
        if (
            d.kind in ("sanctions", "clock_301")
            and d.extensions < p.max_extensions
            and resistance >= p.extension_ratio * minimum
        ):
            d.extensions += 1
            d.t += p.extension_days
            self.log.emit(
                t,
                name,
                ep.us.label,
                "deadline_extended",
                p.extension_days,
                f"{d.name} moved to {self.calendar.iso(d.t)}",
            )
            return
        d.done = True
        if d.kind == "sanctions":
            ep.sanctions_imposed = True
            self.log.emit(
                t,
                name,
                ep.us.label,
                "sanctions_imposed",
                math.nan,
                "the listed tariffs take effect",
            )
            ep.finished = True
            return
        if d.kind == "clock_301":
            self.log.emit(t, name, ep.us.label, "deadline_missed", math.nan, d.name)
            ep.deadlines_missed += 1
            ep.us.extra_loss += p.missed_deadline_loss
            self.rechoose(name, INITIATOR, "the 301 clock ran out")
            self.publish_list(name)
            return
        ep.deadlines_missed += 1
        ep.us.extra_loss += p.missed_deadline_loss
        self.log.emit(t, name, ep.us.label, "deadline_missed", math.nan, d.name)
        self.rechoose(name, INITIATOR, f"{d.name} passed without agreement")
        if d.kind == "super301" and ep.us.strategy == prospect.VALUE_CLAIMING:
            self.env.process(self._delayed_301(name))

    def _delayed_301(self, name: str):
        rng = self.streams.get(f"{name}/escalation")
        yield self.env.timeout(rng.exponential(self.p.escalation_lag_days))
        if not self.tracks[name].finished:
            self.open_301(name, "opens a Section 301 investigation after the Super 301 date passed")

    def agree(self, name: str, d: ActiveDeadline, resistance: float, minimum: float) -> None:
        ep = self.tracks[name]
        t = self.env.now
        w = self.p.deadline_efold_days
        share = target_offer(t, d.t, resistance, w)
        claims = [s for s in (ep.us.claiming_share(), ep.them.claiming_share()) if s is not None]
        claiming = sum(claims) / len(claims) if claims else 0.0
        ep.agreed_at = t
        ep.agreed_share = share
        ep.market_access = share * (1.0 - self.p.cosmetic_discount * claiming)
        ep.days_before_deadline = d.t - t
        ep.finished = True
        self.log.emit(
            t,
            name,
            "negotiators",
            "agreement",
            ep.market_access,
            f"{d.name} in {d.t - t:.1f} days; share of demand met {share:.2f}, "
            f"value-claiming share {claiming:.2f}",
        )

    def shocks(self, name: str):
        """Dated shocks change a side's parameters (here: the target's resistance)."""
        track = self.case.tracks[name]
        ep = self.tracks[name]
        effects = {
            "government_change": self.p.government_change_effect,
            "currency": self.p.currency_effect,
            "financial_crisis": self.p.crisis_effect,
        }
        for shock in sorted(track.shocks, key=lambda s: s.day):
            t = self.calendar.day(shock.day)
            if t > self.env.now:
                yield self.env.timeout(t - self.env.now)
            if ep.finished:
                return
            side = ep.us if shock.side == INITIATOR else ep.them
            side.resistance_multiplier *= 1.0 + effects[shock.kind] * shock.size
            self.log.emit(
                self.env.now,
                name,
                side.label,
                "shock",
                shock.size,
                f"{shock.kind}: {shock.name} [source: {shock.source}]",
            )

    def episode(self, name: str):
        """The dispute on one track: decision points, deadlines and agreement."""
        track = self.case.tracks[name]
        ep = self.tracks[name]
        p = self.p
        rounds = self.streams.get(f"{name}/rounds")
        noise = self.streams.get(f"{name}/resistance")
        start = self.calendar.day(track.talks_start.day)
        yield self.env.timeout(max(0.0, start))
        ep.talks_start = self.env.now
        self.log.emit(
            self.env.now,
            name,
            "negotiators",
            "talks_launched",
            math.nan,
            f"{track.talks_start.name} [source: {track.talks_start.source}]",
        )
        for dl in track.deadlines:
            t = self.calendar.day(dl.day)
            if t >= self.env.now:
                ep.deadlines.append(ActiveDeadline(t, dl.kind, dl.name or dl.kind))
        self.rechoose(name, INITIATOR, "reference point: the status quo")
        self.rechoose(name, TARGET, "reference point: the status quo")
        s301 = (
            None
            if track.section_301_initiated is None
            else self.calendar.day(track.section_301_initiated.day)
        )
        self.escalate(name)
        next_round = self.env.now + rounds.gamma(
            self.params.bargaining.round_interval_shape,
            p.round_interval_days / self.params.bargaining.round_interval_shape,
        )
        noise_of: dict[int, float] = {}
        while not ep.finished:
            now = self.env.now
            d = self.current_deadline(name)
            t_agree = math.inf
            r = m = 0.0
            if d is not None:
                if id(d) not in noise_of:
                    noise_of[id(d)] = float(noise.lognormal(0.0, p.resistance_noise))
                r = min(1.0, self.resistance(name, d) * noise_of[id(d)])
                m = self.minimum_demand(name, d)
                t_agree = max(now, agreement_time(d.t, r, m, p.deadline_efold_days))
                if t_agree > d.t:
                    t_agree = math.inf
            cands = [(t_agree, 0), (d.t if d else math.inf, 1), (next_round, 2)]
            if s301 is not None and ep.section_301_at is None:
                cands.append((max(now, s301), 3))
            when, what = min(cands)
            if when > now:
                yield self.env.timeout(when - now)
                if ep.finished:
                    break
            if d is not None:
                # the state may have changed while waiting (replies, shocks): re-evaluate
                r = min(1.0, self.resistance(name, d) * noise_of[id(d)])
                m = self.minimum_demand(name, d)
                if agreement_time(d.t, r, m, p.deadline_efold_days) <= self.env.now + 1e-9:
                    self.agree(name, d, r, m)
                    break
            if what == 0:
                continue
            elif what == 1:
                self.on_deadline(name, d, r, m)
            elif what == 2:
                self.rechoose(name, INITIATOR, "decision point")
                self.rechoose(name, TARGET, "decision point")
                self.escalate(name)
                if ep.them.strategy == prospect.VALUE_CREATING and not ep.finished:
                    self.tactic(name, TARGET, "off_record_talks", "working-level talks")
                next_round = self.env.now + rounds.gamma(
                    self.params.bargaining.round_interval_shape,
                    p.round_interval_days / self.params.bargaining.round_interval_shape,
                )
            else:
                opened = track.section_301_initiated
                self.open_301(name, f"{opened.name} [source: {opened.source}]")
        self.states.record(self.env.now, name, "initiator_value", self.value_of(ep.us))
        self.states.record(self.env.now, name, "target_value", self.value_of(ep.them))
        ep.finished = True
        self.done_events[name].succeed()

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
            self.env.process(self.episode(name))
            self.env.process(self.shocks(name))
        everything = simpy.AllOf(self.env, list(self.done_events.values()))
        self.env.run(until=everything | self.env.timeout(horizon_days))

    def summary(self) -> dict[str, dict[str, Any]]:
        """Milestones (ISO dates or None) and outcomes of every track."""
        out: dict[str, dict[str, Any]] = {}

        def date(t: float | None) -> str | None:
            return None if t is None else self.calendar.iso(t)

        for name, ep in self.tracks.items():
            us_share = ep.us.claiming_share()
            them_share = ep.them.claiming_share()
            out[name] = {
                "milestones": {
                    "talks_launched": date(ep.talks_start),
                    "section_301": date(ep.section_301_at),
                    "wto_referral": date(self.log.first(name, "wto_referral")),
                    "sanctions_list": date(ep.list_at),
                    "wto_complaint": date(self.log.first(name, "wto_complaint")),
                    "counter_sanctions": date(self.log.first(name, "counter_sanctions")),
                    "agreement": date(ep.agreed_at),
                },
                "outcomes": {
                    "deadlines_missed": ep.deadlines_missed,
                    "deadlines_extended": self.log.count(name, "deadline_extended"),
                    "sanctions_imposed": int(ep.sanctions_imposed),
                    "market_access": None
                    if ep.market_access is None
                    else round(ep.market_access, 4),
                    "share_of_demand_met": None
                    if ep.agreed_share is None
                    else round(ep.agreed_share, 4),
                    "days_before_deadline": None
                    if ep.days_before_deadline is None
                    else round(ep.days_before_deadline, 2),
                    "value_claiming_share": None if us_share is None else round(us_share, 3),
                    "target_value_claiming_share": None
                    if them_share is None
                    else round(them_share, 3),
                    "initiator_strategy": ep.us.strategy,
                    "target_strategy": ep.them.strategy,
                    "initiator_value": round(self.value_of(ep.us), 2),
                    "target_value": round(self.value_of(ep.them), 2),
                },
            }
        return out


#: Runs stop this many days after the case's start if an episode is still open.
HORIZON_DAYS = 365.0 * 8


def simulate(case: DisputeCase, params: Params, streams: RandomStreams) -> DisputeWorld:
    """Run one replication of a dispute case and return its finished world."""
    world = DisputeWorld(case, params, streams)
    world.run(HORIZON_DAYS)
    return world
