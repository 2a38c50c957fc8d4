"""The inference: priors, rejection ABC on a toy model with a known parameter, the calibration run.

The toy checks are against what is known in advance (the true parameter, the
closed form of a score), never against the code's own earlier output.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.stats import norm

from timeline_sim.models.params import Params
from timeline_sim.models.posterior import Posterior
from timeline_sim.models.priors import PRIORS, inferred
from timeline_sim.studies.calibrate import CalibrationSpec, Draws, calibrate, from_probit
from timeline_sim.studies.evaluate import crps, folds_of, pit, score, weibull_forecast


def test_every_default_is_its_prior_median():
    """The literal defaults are the priors' medians, never a fitted value."""
    flat = Params().flat()
    for name, prior in PRIORS.items():
        assert flat[name] == pytest.approx(prior.median, rel=1e-3), name


def test_every_prior_has_a_reason_and_a_proper_range():
    for name, prior in PRIORS.items():
        assert len(prior.why) > 20, name
        assert prior.low <= prior.high, name
        if prior.kind == "loguniform":
            assert prior.low > 0, name
    assert inferred("fta") and inferred("dispute")


def test_probit_coordinates_map_a_standard_normal_onto_the_prior():
    """z ~ N(0, 1) gives uniform draws (log-uniform for a scale) within the prior's bounds."""
    rng = np.random.default_rng(1)
    z = rng.standard_normal(20_000)
    eager = from_probit("bargaining.partner_eagerness", z)  # uniform(0, 0.9)
    assert eager.min() >= 0 and eager.max() <= 0.9
    assert np.mean(eager < 0.45) == pytest.approx(0.5, abs=0.02)
    assert np.mean(eager < 0.09) == pytest.approx(0.1, abs=0.01)
    scrub = from_probit("bargaining.legal_scrub_days", z)  # log-uniform(30, 365)
    assert np.median(scrub) == pytest.approx(math.sqrt(30 * 365), rel=0.03)


def _toy_draws(true: float, n: int = 40_000, noise: float = 0.05, seed: int = 2) -> Draws:
    """A toy model: one parameter (uniform prior), two cases, statistic = log1p(100 theta) + noise."""
    rng = np.random.default_rng(seed)
    name = "bargaining.partner_eagerness"
    z = rng.standard_normal((n, 1))
    theta = from_probit(name, z[:, 0])
    stats = np.column_stack(
        [
            np.log1p(100 * theta) + rng.normal(0, noise, n),
            np.log1p(100 * theta) + rng.normal(0, noise, n),
        ]
    )
    observed = {"a/t/stat": math.log1p(100 * true), "b/t/stat": math.log1p(100 * true)}
    return Draws([name], ["a/t/stat", "b/t/stat"], z, stats, observed)


@pytest.mark.parametrize("true", [0.12, 0.5, 0.8])
def test_rejection_abc_recovers_a_known_parameter(true):
    """The accepted draws centre on the true value and their 95% interval holds it."""
    draws = _toy_draws(true)
    kept = draws.values(draws.accepted(0.01))[:, 0]
    low, high = np.quantile(kept, [0.025, 0.975])
    assert low <= true <= high
    assert abs(np.median(kept) - true) < 0.05
    prior_width = 0.9 * 0.95
    assert high - low < 0.25 * prior_width  # the data narrow the prior


def test_leaving_a_case_out_changes_only_its_weight():
    """Distances are sums over cases: without case b, only a's statistic counts."""
    draws = _toy_draws(0.5)
    only_a = np.abs(draws.stats[:, 0] - draws.observed["a/t/stat"])
    assert np.allclose(draws.distances(exclude=("b",)), only_a)
    # each case weighs one in all: a case with a single statistic gives it weight 1
    both = only_a + np.abs(draws.stats[:, 1] - draws.observed["b/t/stat"])
    assert np.allclose(draws.distances(), both)


def test_crps_matches_the_closed_form_of_a_normal():
    """CRPS(N(mu, s), y) = s [w (2 Phi(w) - 1) + 2 phi(w) - 1/sqrt(pi)], w = (y - mu)/s."""
    rng = np.random.default_rng(3)
    mu, s = 100.0, 20.0
    samples = rng.normal(mu, s, 200_000)
    for y in (60.0, 100.0, 135.0):
        w = (y - mu) / s
        exact = s * (w * (2 * norm.cdf(w) - 1) + 2 * norm.pdf(w) - 1 / math.sqrt(math.pi))
        assert crps(samples, y) == pytest.approx(exact, rel=0.01)


def test_pit_of_a_calibrated_forecast_is_uniform_and_intervals_cover():
    rng = np.random.default_rng(4)
    samples = rng.gamma(2.0, 100.0, 5_000)
    outcomes = rng.gamma(2.0, 100.0, 2_000)
    pits = np.array([pit(samples, y) for y in outcomes])
    counts, _ = np.histogram(pits, bins=10, range=(0, 1))
    assert counts.min() > 150 and counts.max() < 250
    scores = [score(samples, y) for y in outcomes[:500]]
    assert np.mean([s["in80"] for s in scores]) == pytest.approx(0.8, abs=0.05)
    assert np.mean([s["in50"] for s in scores]) == pytest.approx(0.5, abs=0.06)


def test_weibull_base_rate_recovers_a_known_weibull():
    """With no covariate that varies, the fitted AFT's quantiles are the Weibull's own."""
    import pandas as pd

    rng = np.random.default_rng(5)
    lam, rho = 400.0, 1.5
    days = lam * rng.weibull(rho, 3_000)
    train = pd.DataFrame(
        {"days": days, "era": 3.0, "parties": 2.0, "fast_track": 0.0, "exposure": 1.0}
    )
    q = weibull_forecast(train, {"era": 3.0, "parties": 2.0, "fast_track": 0.0, "exposure": 1.0})
    assert np.median(q) == pytest.approx(lam * math.log(2) ** (1 / rho), rel=0.05)


def test_folds_deal_every_case_once():
    names = [f"c{i}" for i in range(7)]
    assert folds_of(names, None) == [[n] for n in names]
    groups = folds_of(names, 3)
    assert sorted(sum(groups, [])) == names and len(groups) == 3


@pytest.fixture(scope="module")
def small_calibration(tmp_path_factory):
    """A small real calibration on two cases (a few hundred evaluations)."""
    out = tmp_path_factory.mktemp("cal") / "one"
    spec = CalibrationSpec(
        family="fta",
        cases=["korea_peru", "japan_chile"],
        simulations=600,
        accept=0.1,
        chunk=50,
        screen_draws=60,
        screen_threshold=0.0,
        names=["bargaining.legal_scrub_days", "bargaining.partner_concession_days"],
    )
    return spec, out, calibrate(spec, out)


def test_calibration_saves_a_posterior_with_its_provenance(small_calibration):
    spec, out, posterior = small_calibration
    saved = Posterior.from_json(__import__("json").loads((out / "posterior.json").read_text()))
    assert saved.names == posterior.names == spec.names
    assert np.allclose(saved.samples, posterior.samples)
    info = saved.provenance
    assert info["training_cases"] == ["korea_peru", "japan_chile"]
    assert info["evaluations"] == 300 and info["accepted"] == 30
    assert all(k.split("/")[0] in {"korea_peru", "japan_chile"} for k in info["summary_statistics"])
    lows = np.array([PRIORS[n].low for n in saved.names])
    highs = np.array([PRIORS[n].high for n in saved.names])
    assert (saved.samples >= lows).all() and (saved.samples <= highs).all()


def test_calibration_is_the_same_with_two_workers_and_after_a_resume(small_calibration, tmp_path):
    """A seed fixes the draws: workers and stopping and resuming do not change the posterior."""
    spec, out, posterior = small_calibration
    from dataclasses import replace

    two = calibrate(replace(spec, workers=2), tmp_path / "two")
    assert np.array_equal(two.samples, posterior.samples)
    chunks = sorted((tmp_path / "two" / "chunks").glob("chunk_*.npz"))
    for path in chunks[2:]:
        path.unlink()  # as if stopped after two chunks
    resumed = calibrate(spec, tmp_path / "two", resume=True)
    assert np.array_equal(resumed.samples, posterior.samples)


def test_a_calibration_directory_is_not_overwritten(small_calibration):
    from timeline_sim.studies.spec import StudyError

    spec, out, _ = small_calibration
    with pytest.raises(StudyError, match="--resume"):
        calibrate(spec, out)


def test_weibull_base_rate_follows_a_covariate():
    """Delays that double with a covariate: the forecast at the high value is about twice the low."""
    import pandas as pd

    rng = np.random.default_rng(6)
    x = rng.integers(0, 2, 2_000).astype(float)
    days = 200.0 * np.exp(math.log(2) * x) * rng.weibull(2.0, 2_000)
    train = pd.DataFrame(
        {"days": days, "era": 3.0, "parties": 2.0, "fast_track": x, "exposure": 1.0}
    )
    fixed = {"era": 3.0, "parties": 2.0, "exposure": 1.0}
    low = np.median(weibull_forecast(train, {**fixed, "fast_track": 0.0}))
    high = np.median(weibull_forecast(train, {**fixed, "fast_track": 1.0}))
    assert high / low == pytest.approx(2.0, rel=0.1)


def test_replay_params_choose_prior_posterior_or_a_particle():
    from tests.conftest import cli

    prior = cli("replay", "korea_ftas", "--params", "prior", "--json")
    post = cli("replay", "korea_ftas", "--json")
    draw = cli("replay", "korea_ftas", "--params", "draw:3", "--json")
    assert prior.returncode == post.returncode == draw.returncode == 0
    assert len({prior.stdout, post.stdout, draw.stdout}) == 3
    bad = cli("replay", "korea_ftas", "--params", "draw:100000")
    assert bad.returncode == 2 and "particles 0 to" in bad.stderr and "Traceback" not in bad.stderr
    odd = cli("replay", "korea_ftas", "--params", "mean")
    assert odd.returncode == 2 and "--params 'mean'" in odd.stderr


def test_evaluate_and_calibrate_refuse_bad_directories_plainly(tmp_path):
    from tests.conftest import cli

    out = cli("evaluate", "--from", str(tmp_path / "none"))
    assert (
        out.returncode == 2
        and "no calibration there" in out.stderr
        and "Traceback" not in out.stderr
    )
    out = cli("calibrate", "--resume", str(tmp_path / "none"), "--simulations", "100")
    assert out.returncode == 2 and "no calibration there" in out.stderr
    out = cli("forecast", "korea_ftas", "--as-of", "2003-13-01")
    assert out.returncode == 2 and "not a date" in out.stderr
    out = cli("forecast", "korea_ftas", "--as-of", "2003-12-31")
    assert out.returncode == 2 and "--track" in out.stderr
