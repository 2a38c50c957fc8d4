"""Whole replays of Japan's and Korea's first FTAs: mechanisms, and the record in the predictive.

The thresholds are not the record restated: a replay is judged by where the
record falls in the posterior predictive distribution (runs that draw their
parameters from the calibrated posterior), and the mechanisms by what switching
them off does on paired runs. The record (../shared/history/seed_case_milestones.csv):
Korea-Chile took 366 days from signature to ratification, with four failed sessions.
"""

from __future__ import annotations

import numpy as np
import pytest

from timeline_sim.cases.loading import load_case
from timeline_sim.engine.runner import run_one
from timeline_sim.models.posterior import default_params
from timeline_sim.studies.uncertainty import Uncertain, draw_uncertain

RUNS = range(1, 301)


def _outcomes(result, track):
    return result.tracks[track]["outcomes"]


def _values(runs, track, outcome):
    return np.array(
        [np.inf if (v := _outcomes(r, track)[outcome]) is None else v for r in runs], dtype=float
    )


@pytest.fixture(scope="module")
def korea_runs(korea):
    """Posterior predictive runs of Korea's FTAs (study seed 0, runs 1-300)."""
    return [run_one(korea, seed=0, run_id=k, uncertainty=draw_uncertain) for k in RUNS]


def _ablated(case, switch):
    params = default_params("fta").replace(**{switch: False})
    keep = Uncertain(keep=frozenset({switch}))
    return [run_one(case, params, seed=0, run_id=k, uncertainty=keep) for k in RUNS]


def test_korea_chile_failed_sessions_lie_within_the_posterior_predictive(korea_runs):
    """Four failed sessions fall inside the central 95% of the predictive runs."""
    votes = _values(korea_runs, "chile", "failed_votes")
    assert np.percentile(votes, 2.5) <= 4 <= np.percentile(votes, 97.5)
    assert (votes >= 2).mean() > 0.05  # year-long fights are a real share of the runs


@pytest.mark.xfail(
    strict=True,
    reason="a known miss: the ABC-SMC posterior puts Korea-Chile's 366 days at about the "
    "98th percentile of its predictive runs (docs/validation.md); strict, so a posterior "
    "that brings the record back inside turns this into an error to update",
)
def test_korea_chile_ratification_delay_lies_within_the_posterior_predictive(korea_runs):
    """366 days from signature to ratification falls inside the central 95% of the runs."""
    delays = _values(korea_runs, "chile", "ratification_delay_days")
    low, high = np.percentile(delays, [2.5, 97.5])
    assert low <= 366 <= high


def test_without_the_farm_lobby_votes_stop_failing_and_ratification_is_quicker(korea, korea_runs):
    """Ablation, paired runs: farm mobilisation is what makes Assembly votes fail.

    Paper 000 attributes the failed sessions to the farmers' protests, so without
    them almost no vote should fail: at least 95% of the failed votes go, and
    fewer than one run in fifty keeps one.
    """
    off = _ablated(korea, "mechanisms.farm_lobby")
    failed_on = _values(korea_runs, "chile", "failed_votes")
    failed_off = _values(off, "chile", "failed_votes")
    assert failed_on.sum() > 0
    assert failed_off.sum() <= 0.05 * failed_on.sum()
    assert (failed_off > 0).mean() < 0.02
    assert np.median(_values(off, "chile", "ratification_delay_days")) < np.median(
        _values(korea_runs, "chile", "ratification_delay_days")
    )


def test_korea_fruit_concession_comes_from_pressure(korea):
    """Less business pressure growth, less concession on fruit: the share is an outcome."""
    base_params = default_params("fta")
    weak = base_params.replace(
        **{"pressure.growth_per_year": base_params.pressure.growth_per_year * 0.6}
    )
    base = [
        _outcomes(run_one(korea, base_params, seed=s), "chile")["concession"] for s in range(30)
    ]
    low = [_outcomes(run_one(korea, weak, seed=s), "chile")["concession"] for s in range(30)]
    assert np.median(low) < np.median(base)
    assert not any("concession" in str(key) for key in korea.model.tracks["chile"].model_dump())


def test_the_singapore_fta_ratifies_sooner_than_the_chile_fta(korea_runs):
    """Singapore's farm exposure is small (case facts): its ratification is the quicker, mostly."""
    chile = _values(korea_runs, "chile", "ratification_delay_days")
    singapore = _values(korea_runs, "singapore", "ratification_delay_days")
    assert np.mean(singapore < chile) > 0.5
    assert (
        _values(korea_runs, "singapore", "failed_votes").mean()
        < _values(korea_runs, "chile", "failed_votes").mean()
    )


def test_every_target_gets_an_error_in_days(korea_fight, japan):
    """Every target has a row; a reached one its simulated date and error in days, an unreached none."""
    _, korea = korea_fight
    for result, case in ((korea, load_case("korea_ftas")), (run_one(japan, seed=0), japan)):
        assert len(result.targets) == len(case.model.targets)
        for row in result.targets:
            if row["simulated"] is None:
                assert row["error_days"] is None, row
            else:
                assert isinstance(row["error_days"], int), row
        reached = [r for r in result.targets if r["simulated"] is not None]
        assert len(reached) >= len(result.targets) / 2
