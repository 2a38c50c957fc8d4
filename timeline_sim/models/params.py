"""The one set of behavioural parameters shared by every case.

Rates, elasticities and thresholds live here, with their units; case files hold
only observable facts. Each group is a frozen dataclass, so a run cannot change
its parameters by accident, and :meth:`Params.replace` derives a variant from
dotted names (``"farm.decay_days"``) for ablations, sweeps and counterfactuals.

The defaults were chosen once, jointly for all cases (see ``docs/model.md``,
"Calibration"); no case has a knob of its own.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Mechanisms:
    """Switches that turn whole mechanisms off, for ablation studies."""

    pressure_growth: bool = True  # business pressure grows while the country has no FTA
    farm_lobby: bool = True  # farmers (and fishers) mobilise, protest and sway their legislators
    sector_lobbies: bool = True  # other opposed sectors (autos, labour, ...) mobilise likewise
    supporting_sectors: bool = True  # exporters who gain add support in the legislature
    side_payments: bool = True  # governments compensate opposed sectors to win votes
    deadlines: bool = True  # summits concentrate concessions and can end in breakdown
    partner_ratification: bool = True  # every party ratifies; off: only the home party's counts
    agenda_control: bool = True  # executives hold an agreement back while a vote would fail
    fast_track: bool = True  # statutory fast-track clocks apply where a case has them
    renegotiation: bool = True  # a blocked agreement can be reopened and its terms cut
    shocks: bool = True  # dated coups, changes of government, crises and disasters act
    divided_government: bool = True  # the government's seats in each chamber sway votes


@dataclass(frozen=True)
class PressureParams:
    """Business 'get into the FTA game' pressure (paper 000, 'A Model for Interpreting')."""

    growth_per_year: float = 0.9487  # pressure units gained per year while no FTA is concluded
    conclusion_relief: float = 0.3  # share of pressure relieved when an FTA is concluded
    ratification_relief: float = 0.55  # share relieved when an FTA is ratified (in the game)
    growth_after_fta: float = 0.55  # growth multiplier for each FTA ratified
    lobby_step: float = 0.5  # the lobby acts each time pressure climbs this much (units)


@dataclass(frozen=True)
class BargainingParams:
    """Negotiation rounds and time-based concession curves."""

    round_interval_days: float = 60.0  # mean days between rounds
    round_interval_shape: float = 6.0  # gamma shape of the interval (higher: more regular)
    text_rounds: float = 6.5  # mean rounds to agree the non-sensitive text
    home_concession_days: float = 367.4  # days for the home side to reach its resistance point
    partner_concession_days: float = 1342.0  # days for the partner to reach its resistance point
    concession_exponent: float = 1.0  # 1: linear; <1 Boulware (late); >1 Conceder (early)
    opposition_weight: float = 17.32  # home opposition per unit of opposed-sector exposure
    partner_flex: float = 0.2  # partner's resistance = exposure / (exposure + partner_flex)
    partner_eagerness: float = 0.45  # share of resistance and of concession time a partner that
    # proposed the talks gives up
    batna_per_fta: float = 1.0  # opposition-equivalent value of each FTA already concluded
    deadline_window_days: float = 60.0  # a summit starts to concentrate concessions this early
    deadline_boost_days: float = 120.0  # concession time gained by the eve of a summit
    stall_rounds: int = 2  # rounds without movement before the talks are reported stalled
    breakdown_days: float = 90.0  # mean suspension after a breakdown at a summit
    legal_scrub_days: float = 104.6  # mean days from conclusion to signature
    legal_scrub_shape: float = 4.0  # gamma shape of that delay
    patience_cost_per_day: float = 0.002  # a side's cost of delay with no pressure (per day)
    pressure_cost_per_day: float = 0.003162  # extra cost of delay per unit of business pressure


@dataclass(frozen=True)
class FarmLobbyParams:
    """Farmers' mobilisation and protests."""

    conclusion_impulse: float = 1.0  # mobilisation per unit of grievance when a deal is struck
    signature_spike: float = 1.0  # extra mobilisation per unit of grievance at signature
    vote_spike: float = 1.0  # extra mobilisation per unit of grievance at a scheduled vote
    decay_days: float = 104.6  # e-folding time of mobilisation
    protest_rate: float = 0.05  # protests per day per unit of mobilisation
    protest_size: float = 5000.0  # protesters per unit of mobilisation
    grievance_scale: float = 17.32  # grievance per unit of concession x exposure
    compensation_relief: float = 0.5477  # grievance removed per unit of compensation ratio


@dataclass(frozen=True)
class RatificationParams:
    """Submission, committee, plenary votes and side payments."""

    submission_days: float = 51.96  # mean days from signature to submission
    committee_interval_days: float = 30.0  # mean days between committee reviews
    vote_notice_days: float = 5.0  # days between scheduling a vote and holding it
    retry_days: float = 28.98  # mean days before a new vote after a failure
    retry_shape: float = 2.0  # gamma shape of that delay
    failure_pressure_bump: float = 0.5  # business pressure added after a failed or blocked vote
    base_support: float = 2.0  # support margin of an agreement nobody opposes (logit units)
    business_weight: float = 0.25  # margin per unit of business pressure
    rural_weight: float = (
        1.0  # margin lost per unit of rural obstruction (mobilisation x rural share)
    )
    block_threshold: float = 1.0  # rural obstruction at which a vote is blocked half the time
    block_slope: float = 4.5  # Hill exponent of the blocking probability
    vote_noise: float = 0.3  # standard deviation of the margin on the day (logit units)
    side_payment_usd_per_grievance: float = 1e08  # first offer, dollars per unit of grievance
    side_payment_escalation: float = 1.75  # offer multiplier after each failed or blocked vote
    election_window_days: float = 120.0  # rural members weigh farmers' votes more this close
    election_weight: float = 0.75  # extra weight on mobilisation on the eve of an election


@dataclass(frozen=True)
class RouteParams:
    """Steps of a party's ratification beyond the legislative votes, and entry into force.

    Defaults are round prior medians, not fitted values (see docs/model.md, "Priors").
    """

    government_weight: float = 3.0  # margin per unit of government seat share above one half
    support_weight: float = 5.0  # margin per unit of supporting-sector exposure
    default_aligned_share: float = 0.15  # legislators speaking for a sector no count is given for
    amendment_risk: float = 1.5  # margin lost where an agreement that could go on a fast track
    # goes to the floor without one (amendments, filibusters)
    hold_threshold: float = 0.0  # least expected margin at which an executive submits
    hold_recheck_days: float = 60.0  # mean days before an executive that held back looks again
    lame_duck_days: float = 90.0  # no submission this close before a presidential election
    cabinet_days: float = 42.43  # mean days for a cabinet, decree or head-of-state approval
    court_review_days: float = 207.8  # mean days of a constitutional-court review
    referendum_days: float = 120.0  # mean days from calling a referendum to the vote
    referendum_demand_base: float = -3.0  # logit of opponents forcing an optional referendum
    referendum_demand_weight: float = 1.0  # ... per unit of opposed mobilisation
    implementation_days: float = 147.0  # mean days to certify implementing measures
    notes_days: float = 28.98  # mean days from the last ratification to the exchange of notes
    fast_track_committee_days: float = 24.49  # mean days committees take under a fast-track clock


@dataclass(frozen=True)
class PoliticsParams:
    """Renegotiation and the effects of dated shocks (party level)."""

    renegotiation_patience_days: float = 512.6  # least time since signature before reopening
    renegotiation_days: float = 180.0  # mean days from reopening to a signed protocol
    renegotiation_cut: float = 0.3  # share of the opposed sectors' stake the protocol removes
    max_renegotiations: int = 1  # reopenings of one agreement
    coup_days: float = 365.0  # legislature suspended after a coup with no dated restoration
    new_government_days: float = 104.6  # a new executive's review of pending agreements
    crisis_days: float = 104.6  # a financial crisis takes the legislative agenda this long
    disaster_days: float = 104.6  # ... a disaster


@dataclass(frozen=True)
class Params:
    """All behavioural parameters of the simulator."""

    mechanisms: Mechanisms = field(default_factory=Mechanisms)
    pressure: PressureParams = field(default_factory=PressureParams)
    bargaining: BargainingParams = field(default_factory=BargainingParams)
    farm: FarmLobbyParams = field(default_factory=FarmLobbyParams)
    ratification: RatificationParams = field(default_factory=RatificationParams)
    routes: RouteParams = field(default_factory=RouteParams)
    politics: PoliticsParams = field(default_factory=PoliticsParams)
    dispute: DisputeParams = field(default_factory=lambda: DisputeParams())

    def replace(self, **changes: Any) -> Params:
        """A copy with dotted parameters replaced: ``replace(**{"farm.decay_days": 90})``."""
        params = self
        for dotted, value in changes.items():
            group_name, _, name = dotted.partition(".")
            if not name or not hasattr(params, group_name):
                raise KeyError(f"unknown parameter {dotted!r}")
            group = getattr(params, group_name)
            if name not in {f.name for f in dataclasses.fields(group)}:
                raise KeyError(f"unknown parameter {dotted!r}")
            current = getattr(group, name)
            if isinstance(current, bool):
                value = bool(value)
            elif isinstance(current, int):
                value = int(value)
            elif isinstance(current, float):
                value = float(value)
            params = dataclasses.replace(
                params, **{group_name: dataclasses.replace(group, **{name: value})}
            )
        return params

    def flat(self) -> dict[str, Any]:
        """Every parameter by dotted name, for the runs table and metadata."""
        out: dict[str, Any] = {}
        for group in dataclasses.fields(self):
            for item in dataclasses.fields(getattr(self, group.name)):
                out[f"{group.name}.{item.name}"] = getattr(getattr(self, group.name), item.name)
        return out


@dataclass(frozen=True)
class ProspectParams:
    """Kahneman-Tversky value function and the domains it defines (paper 001, 'Prospect Theory').

    Outcomes ``x`` are in loss units (see :class:`DisputeParams`); values ``v(x)`` in value units.
    Defaults are Tversky and Kahneman's (1992) median estimates.
    """

    alpha: float = 0.88  # curvature of v for gains: v(x) = x**alpha
    beta: float = 0.88  # curvature of v for losses: v(x) = -lam * (-x)**beta
    lam: float = 2.25  # loss aversion lambda
    gains_threshold: float = 0.0  # v at or above this: domain of gains (value units)
    deep_loss_threshold: float = 8.0  # v at or below minus this: deep losses (value units)
    strong_loss_threshold: float = 60.0  # v at or below minus this: riskiest steps (value units)


@dataclass(frozen=True)
class DisputeParams:
    """Market-access disputes (paper 001): shared by every dispute case.

    A loss unit is 100,000 vehicles a year of bilateral trade (``loss_unit``); every
    loss below is in loss units, every share is of the initiator's full demand.
    """

    # prospect theory (copied into ProspectParams by ``prospect``)
    alpha: float = 0.88  # KT 1992 gain curvature
    beta: float = 0.88  # KT 1992 loss curvature
    lam: float = 2.25  # KT 1992 loss aversion
    gains_threshold: float = 0.0  # value units
    deep_loss_threshold: float = 8.0  # value units: deeper losses -> value claiming
    strong_loss_threshold: float = 60.0  # value units: WTO referral and sanctions list allowed
    # reference points
    loss_unit: float = 1e05  # vehicles a year per loss unit
    trend_weight: float = 1.0  # loss multiplier per unit of worsening trend (share per year)
    promise_loss: float = 1.0  # loss units per promise broken by the other side
    missed_deadline_loss: float = 5.0  # initiator's loss units added by each missed deadline
    # threats: how each tactic deepens the other side's losses
    threat_weight_demand: float = 0.2  # share of the target's stake put at risk by a public demand
    threat_weight_statement: float = 0.1  # ... by harsh statements and blame
    threat_weight_deadline: float = 0.1  # ... by a deadline set in public
    threat_weight_301: float = 0.3  # ... by a Section 301 case
    threat_weight_wto: float = 0.2  # ... by a WTO referral
    threat_weight_list: float = 0.5  # ... by a published sanctions list
    counter_threat_loss: float = 1.0  # initiator's loss units per unit of target counter-threat
    # bargaining at deadlines (positions are shares of the initiator's full demand)
    concession_base: float = 0.35  # target's resistance point with no threat and no shock
    claim_resistance: float = 0.4  # target's resistance multiplier while it claims value
    statutory_threat: float = 0.5  # resistance gained when a statutory (301, Super 301) date nears
    sanction_threat: float = 1.0  # resistance gained when sanctions would take effect
    demand_creating: float = 0.3  # initiator's minimum acceptable while creating value
    demand_claiming: float = 0.7  # initiator's minimum while claiming (public commitments)
    war_aversion: float = 0.25  # demand multiplier when the alternative is carrying out sanctions
    resistance_noise: float = 0.15  # lognormal sd of the target's resistance at each deadline
    deadline_efold_days: float = 10.0  # e-folding time of concessions before a deadline (days);
    # not bargaining.deadline_window_days: that is a linear window for FTA summits
    cosmetic_discount: float = 0.6  # market access lost per unit of value-claiming share
    # timing
    round_interval_days: float = 30.0  # mean days between decision points (working-level rounds)
    # gamma shape of that interval: shared, bargaining.round_interval_shape (same meaning)
    reply_lag_days: float = 3.0  # mean days before the target answers a threat
    escalation_lag_days: float = 2.0  # mean days from a missed statutory date to a 301 case
    section_301_days: float = 365.0  # statutory clock from 301 initiation to determination
    sanctions_notice_days: float = 28.98  # days from a sanctions list to its effective date
    extension_ratio: float = 0.8  # extend a threat deadline if resistance >= this x demand
    extension_days: float = 2.0  # length of an extension
    max_extensions: int = 1  # extensions of one deadline
    # shocks: resistance multiplier per unit of shock size
    crisis_effect: float = 0.6  # financial crisis (Korea 1997)
    currency_effect: float = 0.1  # strong yen
    government_change_effect: float = -0.05  # a new, weaker coalition can concede less

    @property
    def prospect(self) -> ProspectParams:
        """The value-function parameters as a :class:`ProspectParams`."""
        return ProspectParams(
            self.alpha,
            self.beta,
            self.lam,
            self.gains_threshold,
            self.deep_loss_threshold,
            self.strong_loss_threshold,
        )
