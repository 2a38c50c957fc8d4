"""Forecasts conditioned on the record up to a date, sensitivity indices and PRIM boxes."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from timeline_sim.cases.loading import load_case
from timeline_sim.studies.forecast import evidence, forecast, weight, weighted_quantiles
from timeline_sim.studies.sensitivity import prim_box


def test_evidence_splits_the_record_at_the_date():
    case = load_case("korea_ftas")
    ev = evidence(case, "chile", dt.date(2003, 12, 31))
    assert set(ev.happened) == {"concluded", "signed", "committee_passed"}
    assert ev.failed_votes == 2  # 2003-12-29 and 2003-12-30
    assert "ratified" in ev.pending and "entry_into_force" in ev.pending
    late = evidence(case, "chile", dt.date(2004, 2, 9))
    assert late.failed_votes == 4 and "ratified" in late.pending


def test_a_run_that_contradicts_the_record_gets_no_weight():
    case = load_case("korea_ftas")
    ev = evidence(case, "chile", dt.date(2003, 12, 31))
    agreeing = {
        "milestones": {
            "concluded": "2002-10-20",
            "signed": "2003-02-15",
            "committee_passed": "2003-12-26",
            "ratified": "2004-03-01",
        },
        "outcomes": {"failed_vote_dates": ["2003-12-29", "2003-12-30", "2004-01-20"]},
    }
    assert weight(agreeing, ev, dt.date(2003, 12, 31), 90.0) == pytest.approx(1.0)
    early = {**agreeing, "milestones": {**agreeing["milestones"], "ratified": "2003-11-01"}}
    assert weight(early, ev, dt.date(2003, 12, 31), 90.0) == 0.0  # ratified before it happened
    one_vote = {**agreeing, "outcomes": {"failed_vote_dates": ["2003-12-29"]}}
    assert weight(one_vote, ev, dt.date(2003, 12, 31), 90.0) == 0.0
    late = {**agreeing, "milestones": {**agreeing["milestones"], "signed": "2003-05-16"}}
    assert weight(late, ev, dt.date(2003, 12, 31), 90.0) == pytest.approx(
        np.exp(-0.5 * (90 / 90) ** 2)
    )


def test_weighted_quantiles_of_equal_weights_are_the_quantiles():
    rng = np.random.default_rng(0)
    x = rng.normal(size=10_001)
    q = weighted_quantiles(x, np.ones_like(x), [0.1, 0.5, 0.9])
    assert np.allclose(q, np.quantile(x, [0.1, 0.5, 0.9]), atol=0.01)
    # weights that double the right half move the median right
    assert weighted_quantiles(x, np.where(x > 0, 2.0, 1.0), [0.5])[0] > 0.1


@pytest.mark.slow
def test_korea_chile_ratification_forecast_narrows_as_the_votes_fail():
    """From signature to the last failed session the 80% interval of ratification narrows."""
    case = load_case("korea_ftas")
    at_signature = forecast(case, "chile", dt.date(2003, 2, 15), runs=20_000)
    at_last_vote = forecast(case, "chile", dt.date(2004, 2, 9), runs=20_000)
    rows = {r["milestone"]: r for r in at_signature["forecast"]}
    late = {r["milestone"]: r for r in at_last_vote["forecast"]}
    assert at_signature["effective_runs"] > 30 and at_last_vote["effective_runs"] > 10
    assert late["ratified"]["width80_days"] < rows["ratified"]["width80_days"]
    assert late["ratified"]["p10"] > "2004-02-09"  # it had not happened yet


def test_prim_finds_a_known_box():
    """Events exactly where one parameter exceeds 0.7 (of a uniform 0-0.9): PRIM bounds it there.

    The box reported is the first on the peeling trajectory with density 0.8: for
    [L, 0.9] that is (0.9 - 0.7) / (0.9 - L) = 0.8, so L = 0.65, covering every event.
    """
    rng = np.random.default_rng(1)
    names = ["bargaining.partner_eagerness", "bargaining.round_interval_days"]
    x = np.column_stack(
        [rng.uniform(0, 0.9, 3_000), np.exp(rng.uniform(np.log(30), np.log(120), 3_000))]
    )
    event = x[:, 0] > 0.7
    box = prim_box(names, x, event)
    restricted = {r["parameter"]: r for r in box["restricted"]}
    assert set(restricted) == {"bargaining.partner_eagerness"}
    assert restricted["bargaining.partner_eagerness"]["low"] == pytest.approx(0.65, abs=0.03)
    assert box["density"] >= 0.8 and box["coverage"] >= 0.95
    assert isinstance(pd.DataFrame(box["restricted"]), pd.DataFrame)


def test_a_parameter_only_another_case_uses_has_no_sobol_index_here():
    """Two independent checks agree: what the calibration found unused here explains no variance."""
    from timeline_sim.models.posterior import load_posterior
    from timeline_sim.studies.sensitivity import sample_runs, sobol_indices

    users = load_posterior("fta").provenance["parameter_users"]
    case = load_case("korea_ftas")
    names, _, outcomes = sample_runs(case, "chile", base_samples=64)
    table = sobol_indices(names, outcomes, "fta", 64)
    unused = [n for n in names if "korea_ftas" not in users[n]]
    used = [n for n in names if "korea_ftas" in users[n]]
    assert unused and used
    assert table[table["parameter"].isin(unused)]["ST"].abs().max() < 1e-9
    assert table[table["parameter"].isin(used)]["ST"].max() > 0.05


def test_predictive_percentiles_cover_every_agreement_level_target():
    from timeline_sim.studies.evaluate import pit as _percentile
    from timeline_sim.studies.predictive import target_percentiles

    assert _percentile(np.array([1.0, 2.0, 3.0, 4.0]), 3.0) == pytest.approx(
        0.625
    )  # 2 below, 1 tie
    assert _percentile(np.array([1.0, np.inf]), 5.0) == 0.5  # never reached counts as later
    case = load_case("korea_ftas")
    rows = target_percentiles(case, runs=20)
    dated = [t for t in case.model.targets if getattr(t, "party", None) is None]
    assert len(rows) == len(dated) + len(case.model.outcome_targets)
    assert all(0.0 <= r["percentile"] <= 1.0 for r in rows)
    votes = [r["target"] for r in rows if r["target"].startswith("vote_failed")]
    assert votes == ["vote_failed #1", "vote_failed #2", "vote_failed #3", "vote_failed #4"]
