"""ABC-SMC (pyabc): a toy model with known parameters, repeatability, a real small calibration.

The toy expectations are what is known in advance: the true parameters, the
posterior of a model whose statistics ignore most of its parameters (the prior),
never the code's own earlier output.
"""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass, replace

import numpy as np
import pytest
from scipy.special import ndtr

pytest.importorskip("pyabc")

from timeline_sim.studies.smc import SmcSettings, final_population, generations, run_smc  # noqa: E402

TRUE = (0.3, 0.7)  # the two parameters the statistics depend on, on (0, 1)
NUISANCE = 10  # parameters no statistic depends on


@dataclass
class Toy:
    """Statistics log1p(100 u_j) + noise of u_j = Phi(z_j) for the first two of 12 parameters."""

    noise: float = 0.05

    def __call__(self, particle: dict) -> dict:
        z = np.array([particle[f"p{j}"] for j in range(2 + NUISANCE)])
        rng = np.random.default_rng(zlib.crc32(z.tobytes()))  # the particle fixes its noise
        u = ndtr(z[:2])
        return {
            f"s{j}{r}": float(np.log1p(100.0 * u[j]) + self.noise * rng.standard_normal())
            for j in range(2)
            for r in range(2)
        }


OBSERVED = {f"s{j}{r}": float(np.log1p(100.0 * TRUE[j])) for j in range(2) for r in range(2)}
WEIGHTS = dict.fromkeys(OBSERVED, 1.0)
KEYS = [f"p{j}" for j in range(2 + NUISANCE)]


def _run(tmp_path, name, settings, resume=False):
    return run_smc(
        Toy(), KEYS, OBSERVED, WEIGHTS, f"sqlite:///{tmp_path / name}.db", settings, resume
    )


@pytest.fixture(scope="module")
def toy(tmp_path_factory):
    folder = tmp_path_factory.mktemp("smc")
    settings = SmcSettings(population=300, generations=7, seed=4)
    return folder, settings, _run(folder, "toy", settings)


def test_abc_smc_recovers_known_parameters_and_leaves_the_rest_at_the_prior(toy):
    _, _, history = toy
    frame, w = final_population(history)
    u = ndtr(frame.to_numpy())
    for j, true in enumerate(TRUE):
        mean = float(w @ u[:, j])
        sd = float(np.sqrt(w @ (u[:, j] - mean) ** 2))
        assert abs(mean - true) < 0.05 and sd < 0.05, (j, mean, sd)
    # the ten nuisance parameters: no statistic sees them, so they keep their prior (uniform: sd 0.29)
    nuisance_sd = np.sqrt(w @ (u[:, 2:] - w @ u[:, 2:]) ** 2)
    assert np.all((nuisance_sd > 0.22) & (nuisance_sd < 0.36)), nuisance_sd


def test_the_importance_weights_do_not_collapse_in_twelve_dimensions(toy):
    """The independent Gaussian proposal keeps the effective sample near the population."""
    _, settings, history = toy
    table = generations(history)
    assert len(table) == settings.generations
    assert all(g["effective_sample"] > 0.3 * settings.population for g in table), table
    tolerances = [g["tolerance"] for g in table]
    assert all(b < a for a, b in zip(tolerances, tolerances[1:], strict=False))


def test_abc_smc_is_the_same_with_two_workers_and_after_a_resume(toy, tmp_path):
    _, settings, history = toy
    frame, w = final_population(history)
    two = _run(tmp_path, "two", replace(settings, workers=2))
    frame2, w2 = final_population(two)
    assert np.array_equal(frame.to_numpy(), frame2.to_numpy()) and np.array_equal(w, w2)
    _run(tmp_path, "stopped", replace(settings, generations=3))  # as if stopped after three
    resumed = _run(tmp_path, "stopped", settings, resume=True)
    frame3, w3 = final_population(resumed)
    assert np.array_equal(frame.to_numpy(), frame3.to_numpy()) and np.array_equal(w, w3)


SMALL = dict(
    cases=["korea_peru", "japan_chile"],
    population=40,
    generations=3,
    screen_draws=0,
    names=["bargaining.legal_scrub_days", "bargaining.partner_concession_days"],
)


@pytest.fixture(scope="module")
def small_smc(tmp_path_factory):
    from timeline_sim.studies.calibrate import CalibrationSpec
    from timeline_sim.studies.smc import calibrate_smc

    out = tmp_path_factory.mktemp("smc-real") / "cal"
    spec = CalibrationSpec(**SMALL)
    return spec, out, calibrate_smc(spec, out)


def test_a_real_smc_calibration_records_its_generations(small_smc):
    from timeline_sim.models.posterior import Posterior
    from timeline_sim.studies.smc import calibrate_smc
    from timeline_sim.studies.spec import StudyError

    spec, out, posterior = small_smc
    saved = Posterior.from_json(json.loads((out / "posterior.json").read_text()))
    assert np.array_equal(saved.samples, posterior.samples) and saved.samples.shape == (40, 2)
    assert saved.weights.sum() == pytest.approx(1.0)
    info = saved.provenance
    assert info["training_cases"] == ["korea_peru", "japan_chile"]
    assert [g["generation"] for g in info["generations"]] == [0, 1, 2]
    assert info["tolerance"] < info["prior_median_distance"]
    assert info["evaluations"] >= 3 * 40 and info["simulations"] == 2 * info["evaluations"]
    with pytest.raises(StudyError, match="--resume"):
        calibrate_smc(spec, out)


def _cluster(workers: int, threads: int):
    """A loopback Dask cluster of worker processes."""
    distributed = pytest.importorskip("distributed")
    return distributed.LocalCluster(
        n_workers=workers,
        threads_per_worker=threads,
        host="127.0.0.1",
        dashboard_address=None,
        processes=True,
    )


def test_a_dask_cluster_of_many_threads_per_worker_is_refused(small_smc, tmp_path):
    """pyabc draws from numpy's process-wide generator: threads sharing it would race."""
    from timeline_sim.studies.smc import calibrate_smc
    from timeline_sim.studies.spec import StudyError

    spec, _, _ = small_smc
    with _cluster(workers=1, threads=2) as cluster:
        with pytest.raises(StudyError, match="--nthreads 1"):
            calibrate_smc(replace(spec, scheduler=cluster.scheduler_address), tmp_path / "t")


def test_a_real_smc_calibration_is_the_same_on_a_dask_cluster(small_smc, tmp_path):
    from timeline_sim.studies.smc import calibrate_smc

    spec, _, posterior = small_smc
    with _cluster(workers=2, threads=1) as cluster:
        remote = calibrate_smc(replace(spec, scheduler=cluster.scheduler_address), tmp_path / "d")
    assert np.array_equal(remote.samples, posterior.samples)
    assert np.array_equal(remote.weights, posterior.weights)


def test_evaluate_refits_every_fold_without_its_cases(tmp_path):
    """`evaluate` on an ABC-SMC calibration: each fold is calibrated without the cases it forecasts."""
    from tests.conftest import cli
    from timeline_sim.studies.calibrate import CalibrationSpec
    from timeline_sim.studies.smc import calibrate_smc

    spec = CalibrationSpec(**{**SMALL, "cases": ["korea_peru", "japan_chile", "korea_efta"]})
    calibrate_smc(spec, tmp_path / "cal")
    out = cli(
        "evaluate",
        "--from",
        str(tmp_path / "cal"),
        "--folds",
        "3",
        "--runs",
        "20",
        "--out",
        str(tmp_path / "ev"),
    )
    assert out.returncode == 0, out.stderr
    report = json.loads((tmp_path / "ev" / "evaluation.json").read_text())
    folds = {row["case"]: row["fold"] for row in report["scores"]}
    assert set(folds) == {"korea_peru", "japan_chile", "korea_efta"}
    for k in range(3):
        info = json.loads((tmp_path / "ev" / "folds" / f"fold_{k}" / "posterior.json").read_text())
        trained = set(info["provenance"]["training_cases"])
        held_out = {
            case for case, fold in folds.items() if fold == ",".join(sorted(set(folds) - trained))
        }
        assert len(trained) == 2 and held_out and not held_out & trained
        assert info["names"] == SMALL["names"]
    model = [r for r in report["scores"] if r["predictor"] == "model"]
    assert len(model) == 6 and all(0.0 <= r["pit"] <= 1.0 for r in model)
    # other folds into the same directory would score cases on folds trained on them: refused
    again = cli(
        "evaluate",
        "--from",
        str(tmp_path / "cal"),
        "--folds",
        "2",
        "--runs",
        "20",
        "--out",
        str(tmp_path / "ev"),
    )
    assert again.returncode == 2 and "other cases or settings" in again.stderr
    assert "Traceback" not in again.stderr
