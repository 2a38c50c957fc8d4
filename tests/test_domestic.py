"""Domestic state: business pressure, its relief, lobbying acts, farm mobilisation, protests."""

from __future__ import annotations

import math

import pytest

from timeline_sim.cases.loading import load_case
from timeline_sim.engine.runner import run_one
from timeline_sim.engine.streams import RandomStreams
from timeline_sim.models import fta
from timeline_sim.models.params import Params

from .conftest import DATA


def _world(params: Params | None = None) -> fta.FtaWorld:
    return fta.FtaWorld(
        load_case(DATA / "two_curves.toml").model, params or Params(), RandomStreams(0)
    )


def test_pressure_grows_linearly_while_no_fta_is_concluded():
    """No FTA yet: pressure = growth per year x years."""
    world = _world()
    growth = world.params.pressure.growth_per_year
    assert world.pressure.level(365.0) == pytest.approx(growth)
    assert world.pressure.level(730.0) == pytest.approx(2 * growth)


def test_concluding_and_ratifying_relieve_pressure_and_slow_its_growth():
    """Pressure relief: a conclusion cuts pressure, a ratification cuts it and slows growth."""
    world = _world()
    p = world.params.pressure
    world.env.run(until=365.0)
    before = world.pressure.level(365.0)
    world.pressure.on_concluded(365.0, "only")
    assert world.pressure.level(365.0) == pytest.approx(before * (1 - p.conclusion_relief))
    world.env.run(until=400.0)
    level = world.pressure.level(400.0)
    world.pressure.on_ratified(400.0, "only")
    assert world.pressure.level(400.0) == pytest.approx(level * (1 - p.ratification_relief))
    assert world.pressure.growth == pytest.approx(p.growth_per_year / 365 * p.growth_after_fta)


def test_no_pressure_growth_switch_freezes_pressure():
    """Ablation switch: pressure stays where it started."""
    world = _world(Params().replace(**{"mechanisms.pressure_growth": False}))
    assert world.pressure.level(1000.0) == 0.0


def test_lobbying_acts_come_when_pressure_crosses_each_step(korea):
    """The business lobby acts at pressure levels step, 2 step, ... (computed, not ticked)."""
    result = run_one(korea, Params(), seed=0)
    params = Params().pressure
    acts = result.events[(result.events["event"] == "lobbying_act")]
    threshold_acts = acts[~acts["detail"].str.contains("failed vote")]
    assert len(threshold_acts) >= 2
    first = threshold_acts.iloc[0]
    assert first["value"] == pytest.approx(params.lobby_step, rel=1e-6)
    assert first["t"] == pytest.approx(365.0 * params.lobby_step / params.growth_per_year, rel=1e-6)


def test_mobilisation_decays_exponentially_between_jumps():
    """Mobilisation halves every decay_days x ln 2."""
    world = _world()
    mobilisation = world.tracks["only"].sectors[0].mobilisation
    mobilisation.jump(0.0, 4.0, "test")
    half_life = world.params.farm.decay_days * math.log(2)
    assert mobilisation.level(half_life) == pytest.approx(2.0)
    mobilisation.scale(half_life, 0.5)
    assert mobilisation.level(half_life) == pytest.approx(1.0)


def test_protests_follow_mobilisation(korea):
    """Protests cluster where mobilisation is high: none without a farm lobby."""
    with_lobby = run_one(korea, seed=4).tracks["chile"]["outcomes"]
    off = Params().replace(**{"mechanisms.farm_lobby": False})
    without = run_one(korea, off, seed=4).tracks["chile"]["outcomes"]
    assert with_lobby["protests"] > 0
    assert without["protests"] == 0
