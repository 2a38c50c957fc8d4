"""ABC-SMC calibration with pyabc, made repeatable and workable in many dimensions.

pyabc (Klinger et al. 2018; Schaelte et al. 2022) runs the sequential Monte
Carlo ABC of Toni et al. (2009) and Beaumont et al. (2009): populations of
particles under a falling tolerance (here the weighted median of the previous
population's distances), each particle proposed from a fitted transition and
given an importance weight prior / proposal. Two pieces are this project's own:

- :class:`GaussianProposal`, the transition. pyabc's default (a Gaussian kernel
  density of the population) made the importance weights collapse on these
  cases: with 20 parameters each new particle lies far closer to its parent
  than to any other particle, so prior / proposal varies over orders of
  magnitude, and the effective sample fell to 18, then 6, of 500
  (``benchmarks/smc_proposals.py``). A single Gaussian fitted to the weighted
  population, its covariance inflated by ``scaling`` (1.2), proposes
  independently of the parents (a population Monte Carlo step; Cappe et al.
  2004): the weights stay smooth and the effective sample stays in the
  hundreds. A wider inflation spreads the weights again (x2 leaves 26-67).
- :class:`~timeline_sim.studies.sampler.OrderedSampler`, the sampler. pyabc's parallel samplers keep the
  particles that finish first and reseed their workers from the operating
  system, so a run cannot be repeated. Here a generation is cut into numbered
  tasks of a few particles; task ``i`` of generation ``t`` draws from a stream
  derived from ``(seed, t, i)`` alone; tasks are read back in their order and the
  generation keeps the first ``n`` accepted particles in that order. The
  result is the same with one worker, two, or a Dask cluster of one-thread
  workers, and after a resume (pyabc keeps every generation in ``abc.db``, so a
  stopped calibration goes on from its last complete generation).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from pyabc.transition import Transition

from timeline_sim.studies.sampler import OrderedSampler


class GaussianProposal(Transition):
    """Independent Gaussian proposal fitted to the weighted population (see the module's doc)."""

    def __init__(self, scaling: float = 1.2):
        self.scaling = scaling

    def fit(self, X, w) -> None:
        from scipy.stats import multivariate_normal

        values = X.to_numpy(dtype=float)
        w = np.asarray(w, dtype=float) / np.sum(w)
        self.mean = np.average(values, axis=0, weights=w)
        cov = np.atleast_2d(np.cov(values.T, aweights=w))
        # shrink toward the diagonal as the effective sample nears the dimension
        # (with fewer particles than parameters the sample covariance is singular)
        shrink = min(1.0, len(self.mean) / (1.0 / np.sum(w**2)))
        cov = (1.0 - shrink) * cov + shrink * np.diag(np.diag(cov))
        self.cov = self.scaling * cov + 1e-9 * np.eye(len(self.mean))
        self._normal = multivariate_normal(mean=self.mean, cov=self.cov, allow_singular=True)

    def rvs_single(self):
        from pyabc.parameters import Parameter

        z = np.random.multivariate_normal(self.mean, self.cov)  # the task-seeded generator
        return Parameter(dict(zip(self.X.columns, (float(v) for v in z), strict=True)))

    def pdf(self, x):
        import pandas as pd
        from pyabc.parameters import Parameter

        columns = list(self.X.columns)
        if isinstance(x, (Parameter, pd.Series, dict)):
            return float(self._normal.pdf(np.array([x[c] for c in columns], dtype=float)))
        return np.atleast_1d(self._normal.pdf(x[columns].to_numpy(dtype=float)))


@dataclass
class WeightedL1:
    """The calibration's distance: a weighted L1 norm over the record's statistics (picklable)."""

    weights: dict[str, float]

    def __call__(self, x: dict, x0: dict) -> float:
        return float(sum(w * abs(x[k] - x0[k]) for k, w in self.weights.items()))


@dataclass
class SmcSettings:
    """Population, generations and budget of one ABC-SMC run."""

    population: int = 500
    generations: int = 8
    evaluations: float = np.inf  # budget, checked after each generation (pyabc's rule)
    scaling: float = 1.2
    proposal: Callable[[], Any] | None = None  # another pyabc transition (for comparisons)
    seed: int = 0
    workers: int = 1
    scheduler: str | None = None


def run_smc(
    model: Callable[[dict], dict],
    keys: list[str],
    observed: dict[str, float],
    weights: dict[str, float],
    db: str,
    settings: SmcSettings,
    resume: bool = False,
    progress: bool = False,
):
    """Run (or go on with) ABC-SMC on standard-normal priors of ``keys``; return pyabc's History.

    ``db`` is an SQLAlchemy address (``sqlite:///path/abc.db``). The parameters
    are the probit coordinates of the calibration (a standard normal is a draw
    from each prior).
    """
    import logging

    import pyabc

    for name in ("ABC", "ABC.History", "ABC.Sampler", "ABC.Population", "ABC.Predictor"):
        logging.getLogger(name).setLevel(logging.ERROR)
    prior = pyabc.Distribution(**{k: pyabc.RV("norm", 0.0, 1.0) for k in keys})
    sampler = OrderedSampler(settings.seed, settings.workers, settings.scheduler, progress=progress)
    abc = pyabc.ABCSMC(
        model,
        prior,
        WeightedL1(weights),
        population_size=settings.population,
        transitions=settings.proposal()
        if settings.proposal
        else GaussianProposal(settings.scaling),
        eps=pyabc.QuantileEpsilon(alpha=0.5),
        sampler=sampler,
    )
    history = abc.load(db, 1) if resume else abc.new(db, observed)
    done = history.max_t + 1 if resume else 0
    try:
        if done < settings.generations:
            history = abc.run(
                max_nr_populations=settings.generations - done,
                max_total_nr_simulations=settings.evaluations,
            )
    finally:
        sampler.stop()
    return history


def generations(history) -> list[dict[str, float]]:
    """Per generation: tolerance, evaluations, acceptance rate and effective sample size."""
    pops = history.get_all_populations()
    rows = []
    for _, row in pops[pops["t"] >= 0].iterrows():
        t = int(row["t"])
        _, w = history.get_distribution(m=0, t=t)
        rows.append(
            {
                "generation": t,
                "tolerance": float(row["epsilon"]),
                "evaluations": int(row["samples"]),
                "acceptance": float(len(w) / row["samples"]),
                "effective_sample": float(1.0 / np.sum(np.asarray(w) ** 2)),
            }
        )
    return rows


def final_population(history) -> tuple[Any, np.ndarray]:
    """The last generation's particles (a frame of probit coordinates) and weights."""
    frame, w = history.get_distribution(m=0, t=history.max_t)
    return frame, np.asarray(w, dtype=float) / np.sum(w)


def calibrate_smc(spec, out, resume: bool = False, progress: bool = False):
    """ABC-SMC calibration of ``spec`` (a :class:`~timeline_sim.studies.calibrate.CalibrationSpec`).

    Writes ``out/abc.db`` (pyabc's record of every generation) and
    ``out/posterior.json``; returns the posterior (the last generation, weighted).
    """
    import datetime as dt
    import json
    from pathlib import Path

    from timeline_sim.models.posterior import Posterior
    from timeline_sim.studies.calibrate import _key, from_probit, prepare, provenance
    from timeline_sim.studies.spec import StudyError
    from timeline_sim.studies.statistics import statistic_weights

    out = Path(out)
    db_path = out / "abc.db"
    if db_path.exists() and not resume:
        raise StudyError(f"--out {out}: holds a calibration already; --resume {out} to finish it")
    if resume and not db_path.exists():
        raise StudyError(f"--resume {out}: no calibration there (no abc.db)")
    if spec.population < 2:
        raise StudyError(f"--population {spec.population}: needs at least 2 particles")
    setting = prepare(spec, progress)
    meta = {
        "method": "smc",
        "candidates": setting.candidates,
        "names": setting.names,
        "keys": setting.keys,
        "seed": spec.seed,
        "population": spec.population,
        "cases": [c.name for c in setting.cases],
    }
    meta_path = out / "smc.json"
    if resume and meta_path.exists():
        before = json.loads(meta_path.read_text(encoding="utf-8"))
        changed = [k for k, v in meta.items() if before.get(k) != v]
        if changed:
            raise StudyError(
                f"--resume {out}: the calibration there differs in {', '.join(changed)}"
            )
    out.mkdir(parents=True, exist_ok=True)
    meta_path.write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    settings = SmcSettings(
        population=spec.population,
        generations=spec.generations,
        evaluations=max(spec.population, spec.simulations // len(setting.cases)),
        seed=spec.seed,
        workers=spec.workers,
        scheduler=spec.scheduler,
    )
    started = dt.datetime.now()
    history = run_smc(
        setting.model(),
        [_key(n) for n in setting.names],
        setting.observed,
        statistic_weights(setting.observed),
        f"sqlite:///{db_path.resolve()}",
        settings,
        resume=resume,
        progress=progress,
    )
    frame, weights = final_population(history)
    samples = np.column_stack([from_probit(n, frame[_key(n)].to_numpy()) for n in setting.names])
    table = generations(history)
    posterior = Posterior(spec.family, setting.names, samples, weights)
    evaluations = int(history.total_nr_simulations)  # the prior sample of the first tolerance too
    posterior = dataclasses.replace(
        posterior,
        provenance={
            "method": "ABC-SMC (pyabc): populations under a falling tolerance (median of the last "
            "distances), an independent Gaussian proposal fitted to each population (covariance x"
            f"{settings.scaling}), weighted L1 on log-day statistics, each case weighted 1",
            "evaluations": evaluations,
            "simulations": evaluations * len(setting.cases),
            "accepted": int(len(weights)),
            "population": spec.population,
            "generations": table,
            "effective_sample": float(1.0 / np.sum(weights**2)),
            "tolerance": table[-1]["tolerance"],
            "prior_median_distance": table[0]["tolerance"],
            "seconds": (dt.datetime.now() - started).total_seconds(),
            **provenance(spec, setting, posterior),
        },
    )
    posterior.save(out / "posterior.json")
    return posterior
