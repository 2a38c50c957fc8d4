"""Bargaining: concession curves, their meeting time, resistance points, the Rubinstein split."""

from __future__ import annotations

import math

import pytest

from timeline_sim.cases.loading import load_case
from timeline_sim.engine.streams import RandomStreams
from timeline_sim.models import fta
from timeline_sim.models.fta.bargaining import (
    home_offer,
    linear_meeting_time,
    partner_demand,
    resistance_point,
    rubinstein_share,
)
from timeline_sim.models.fta.negotiation import partner_resistance
from timeline_sim.models.params import Params

from .conftest import DATA


def test_linear_curves_meet_where_the_formula_says():
    """r_h t / T_h = 1 - (1 - r_p) t / T_p at the returned time."""
    t = linear_meeting_time(0.6, 300.0, 0.2, 600.0)
    assert t == pytest.approx(1.0 / (0.6 / 300.0 + 0.8 / 600.0))
    assert home_offer(0.6, t, 300.0) == pytest.approx(partner_demand(0.2, t, 600.0))


def test_curves_meet_on_a_plateau_once_one_side_stops_moving():
    """If the home side reaches its resistance point first, the partner comes down to it."""
    t = linear_meeting_time(0.5, 100.0, 0.3, 1000.0)
    assert t == pytest.approx(1000.0 * 0.5 / 0.7)
    assert partner_demand(0.3, t, 1000.0) == pytest.approx(0.5)


def test_curves_never_meet_without_a_zone_of_agreement():
    """A home resistance point below the partner's leaves no zone of possible agreement."""
    assert math.isinf(linear_meeting_time(0.2, 100.0, 0.3, 100.0))


def test_negotiation_rounds_conclude_at_the_first_round_after_the_curves_meet(monkeypatch):
    """With constant resistance points and rounds every d days, the deal comes at ceil(t*/d) d."""
    home_floor, round_days = 0.7, 10.0
    params = Params().replace(
        **{
            "mechanisms.deadlines": False,
            "bargaining.round_interval_days": round_days,
            "bargaining.round_interval_shape": 1e12,
            "bargaining.text_rounds": 1e-6,
            "bargaining.home_concession_days": 240.0,
            "bargaining.partner_concession_days": 400.0,
            "bargaining.partner_flex": 0.5,
        }
    )
    monkeypatch.setattr(fta.FtaWorld, "home_resistance", lambda self, name, t: home_floor)
    case = load_case(DATA / "two_curves.toml").model
    world = fta.FtaWorld(case, params, RandomStreams(0))
    world.start()
    world.env.run(until=2000)
    partner_floor = partner_resistance(0.25, params.bargaining.partner_flex)
    meet = linear_meeting_time(home_floor, 240.0, partner_floor, 400.0)
    assert world.tracks["only"].concluded_at == pytest.approx(
        math.ceil(meet / round_days) * round_days, abs=0.01
    )


def test_resistance_point_rises_with_pressure_and_falls_with_opposition_and_alternatives():
    """Paper 000: pressure with a poor alternative lowers what a side will hold out for."""
    assert resistance_point(2.0, 1.0) > resistance_point(1.0, 1.0)
    assert resistance_point(1.0, 2.0) < resistance_point(1.0, 1.0)
    assert resistance_point(1.0, 1.0, alternative=1.0) < resistance_point(1.0, 1.0)
    assert resistance_point(0.0, 1.0) == 0.0


def test_partner_that_proposed_the_talks_accepts_less():
    """A partner's resistance rises with its farm stake and falls if it asked for the talks."""
    assert partner_resistance(0.2, 0.1) > partner_resistance(0.1, 0.1)
    assert partner_resistance(0.2, 0.1, eagerness=0.5) == pytest.approx(
        partner_resistance(0.2, 0.1) / 2
    )
    assert partner_resistance(0.0, 0.1) == 0.0


def test_rubinstein_split_matches_the_closed_form():
    """Equal patience: the proposer gets 1/(1+d); infinite patience: half each."""
    assert rubinstein_share(0.9, 0.9) == pytest.approx(1 / 1.9)
    assert rubinstein_share(0.999999, 0.999999) == pytest.approx(0.5, abs=1e-5)
    # the less patient responder concedes more to the proposer
    assert rubinstein_share(0.95, 0.5) > rubinstein_share(0.95, 0.9)
    assert rubinstein_share(0.95, 0.5) == pytest.approx((1 - 0.5) / (1 - 0.95 * 0.5))
