"""Likelihood-free Bayesian calibration of the shared parameters: what every method shares, and rejection ABC.

The inferred parameters of a family (:func:`timeline_sim.models.priors.inferred`)
are drawn from their priors; one *evaluation* of a parameter vector runs every
training case once (a seed derived from the vector, so an evaluation is a
function of its parameters) and reduces each run to the summary statistics of
:mod:`timeline_sim.studies.statistics`. The distance to the record is a weighted
L1 norm in which every training case weighs the same (its statistics share a
weight of one); the statistics are logarithms of days, so the norm is unit-free.

The default method is ABC-SMC with pyabc (:mod:`timeline_sim.studies.smc`),
which uses the model, screen, statistics and distance of this module. The
method here, rejection ABC, is the baseline it is checked against: the
posterior is the ``accept`` fraction of prior draws closest to the record,
equally weighted (Pritchard et al. 1999; the tolerance is the largest accepted
distance). It has no importance weights, so nothing can collapse, and its
saved draws let a leave-one-case-out evaluation refit every fold without a
single new simulation (:mod:`timeline_sim.studies.evaluate`).

A screen on the prior predictive (:func:`screen`) first drops the parameters no
statistic responds to: they cannot be learnt from these data and stay at their
prior medians, and the posterior says so. The statistics are the record's dated
milestones and outcome targets of the training cases only: never a
counterfactual, an ablation or a paper's hypothesis.

Draws come in chunks, each from its own SeedSequence stream and saved as it
finishes, so a calibration is resumable (``--resume``) and repeatable to the bit
whatever the number of workers or the backend (local processes or a Dask
cluster).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
import os
import sys
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from timeline_sim.cases.loading import LoadedCase, list_cases, load_case
from timeline_sim.engine.runner import run_one
from timeline_sim.models.params import Params
from timeline_sim.models.posterior import Posterior
from timeline_sim.models.priors import PRIORS, inferred
from timeline_sim.studies.backends import connect
from timeline_sim.studies.identify import parameter_users, screen
from timeline_sim.studies.spec import StudyError
from timeline_sim.studies.statistics import (
    observed_record,
    simulated_statistics,
    statistic_weights,
)
from timeline_sim.version import __version__


def training_cases(
    family: str, names: list[str] | None = None, exclude: list[str] = ()
) -> list[LoadedCase]:
    """The shipped cases of a family (or the named ones), without ``exclude``."""
    cases = [load_case(n) for n in names] if names else [load_case(p) for p in list_cases()]
    return [c for c in cases if c.kind == family and c.name not in set(exclude)]


def _key(name: str) -> str:
    return name.replace(".", "__")


def from_probit(name: str, z):
    """A parameter's natural value from its probit coordinate (vectorised).

    Every parameter is drawn as the normal quantile of its position within its
    prior's bounds (on the log scale for log-uniform priors): a standard normal
    coordinate is then a uniform (or log-uniform) draw from the prior, and the
    coordinates are the unbounded scale on which posterior spreads compare.
    """
    from scipy.special import ndtr

    low, high = PRIORS[name].bounds
    u = ndtr(np.asarray(z, dtype=float))
    x = low + (high - low) * u
    return np.exp(x) if PRIORS[name].kind == "loguniform" else x


@dataclass
class CalibrationModel:
    """A parameter vector in, the training cases' statistics out (picklable for workers)."""

    cases: list[LoadedCase]
    names: list[str]
    base: Params = field(default_factory=Params)

    def values(self, particle: dict[str, float]) -> dict[str, float]:
        """Natural-unit parameter values of a particle given in probit coordinates."""
        out = {}
        for name in self.names:
            out[name] = float(from_probit(name, float(particle[_key(name)])))
        return out

    def particle(self, z) -> dict[str, float]:
        """The particle of a vector of probit coordinates (in the order of ``names``)."""
        return {_key(n): float(z[j]) for j, n in enumerate(self.names)}

    def __call__(self, particle: dict[str, float]) -> dict[str, float]:
        values = self.values(particle)
        params = self.base.replace(**values)
        vector = np.array([values[n] for n in self.names], dtype=float)
        seed = zlib.crc32(vector.tobytes())  # the particle fixes its own runs
        stats: dict[str, float] = {}
        for i, case in enumerate(self.cases):
            result = run_one(case, params, seed=seed, run_id=i + 1)
            stats.update(simulated_statistics(case, result.tracks))
        return stats


@dataclass
class CalibrationSpec:
    """What a calibration fits, on what, with what budget."""

    family: str = "fta"
    cases: list[str] | None = None  # default: every shipped case of the family
    exclude: list[str] = field(default_factory=list)
    simulations: int = 1_000_000  # runs of one case, in all
    accept: float = 0.01  # rejection: fraction of evaluations kept as the posterior
    population: int = 500  # smc: particles per generation
    generations: int = 8  # smc: generations, the first from the prior
    chunk: int = 250  # evaluations per saved chunk
    seed: int = 0
    workers: int = 1
    scheduler: str | None = None
    names: list[str] | None = None  # default: the family's inferred parameters
    screen_draws: int = 400  # prior-predictive draws of the screen (0: infer every parameter)
    screen_threshold: float = 0.25  # smallest |Spearman rho| with some statistic to be inferred


@dataclass
class _Chunk:
    """One chunk of evaluations: its draws come from its own stream (picklable)."""

    model: CalibrationModel
    keys: list[str]  # the statistics, in the order of the saved columns
    seed: int
    size: int

    def __call__(self, index: int) -> tuple[int, np.ndarray, np.ndarray]:
        rng = np.random.default_rng(np.random.SeedSequence([self.seed, 91_813, index]))
        z = rng.standard_normal(size=(self.size, len(self.model.names)))
        stats = np.empty((self.size, len(self.keys)))
        for i in range(self.size):
            row = self.model(self.model.particle(z[i]))
            stats[i] = [row[k] for k in self.keys]
        return index, z, stats


@dataclass
class Draws:
    """Every evaluation of a calibration: its prior draw and its simulated statistics."""

    names: list[str]  # the inferred parameters (columns of z)
    keys: list[str]  # the statistics (columns of stats)
    z: np.ndarray  # evaluations x parameters, probit coordinates
    stats: np.ndarray  # evaluations x statistics
    observed: dict[str, float]

    def distances(self, exclude: tuple[str, ...] = ()) -> np.ndarray:
        """Each evaluation's distance to the record, without the cases in ``exclude``."""
        keep = [k for k in self.keys if k.split("/", 1)[0] not in exclude]
        weights = statistic_weights({k: self.observed[k] for k in keep})
        columns = [self.keys.index(k) for k in keep]
        w = np.array([weights[k] for k in keep])
        o = np.array([self.observed[k] for k in keep])
        return np.abs(self.stats[:, columns] - o) @ w

    def accepted(self, fraction: float, exclude: tuple[str, ...] = ()) -> np.ndarray:
        """Indices of the ``fraction`` of evaluations closest to the record (without ``exclude``)."""
        distances = self.distances(exclude)
        keep = max(2, int(round(fraction * len(distances))))
        return np.argsort(distances, kind="stable")[:keep]

    def values(self, rows: np.ndarray) -> np.ndarray:
        """Natural-unit parameter values of the evaluations ``rows``."""
        return np.column_stack([from_probit(n, self.z[rows, j]) for j, n in enumerate(self.names)])


def load_draws(out: Path) -> Draws:
    """The saved evaluations of the calibration in ``out``."""
    meta = json.loads((Path(out) / "draws.json").read_text(encoding="utf-8"))
    chunks = Path(out) / "chunks"
    files = [chunks / f"chunk_{i:06d}.npz" for i in range(meta["chunks"])]
    missing = [f.name for f in files if not f.exists()]
    if missing:
        raise StudyError(
            f"{out}: the calibration is unfinished ({len(missing)} chunks missing); --resume it"
        )
    loaded = [np.load(f) for f in files]
    return Draws(
        names=meta["names"],
        keys=meta["keys"],
        z=np.concatenate([d["z"] for d in loaded]),
        stats=np.concatenate([d["stats"] for d in loaded]),
        observed=meta["observed"],
    )


def _map(spec: CalibrationSpec, job: _Chunk, indices: list[int]):
    """Chunks as they finish, on local processes or a Dask cluster."""
    if spec.scheduler:
        client = connect(spec.scheduler)
        from distributed import as_completed

        with client:
            futures = client.map(job, indices, pure=False)
            for future in as_completed(futures):
                yield future.result()
        return
    if spec.workers > 1:
        from concurrent.futures import ProcessPoolExecutor, as_completed

        with ProcessPoolExecutor(spec.workers) as pool:
            for future in as_completed([pool.submit(job, i) for i in indices]):
                yield future.result()
        return
    for i in indices:
        yield job(i)


def _save_chunk(folder: Path, index: int, z: np.ndarray, stats: np.ndarray) -> None:
    path = folder / f"chunk_{index:06d}.npz"
    partial = folder / f".chunk_{index:06d}.npz"
    with open(partial, "wb") as handle:
        np.savez(handle, z=z, stats=stats)
    os.replace(partial, path)  # a chunk is either whole or absent


@dataclass
class Setting:
    """What every calibration method shares: the cases, the screen, the record."""

    cases: list[LoadedCase]
    candidates: list[str]  # the family's inferred parameters before the screen
    screening: dict[str, float]  # max |Spearman rho| of each candidate with a statistic
    names: list[str]  # the parameters inferred
    observed: dict[str, float]

    @property
    def keys(self) -> list[str]:
        return sorted(self.observed)

    def model(self) -> CalibrationModel:
        return CalibrationModel(self.cases, self.names)


def prepare(spec: CalibrationSpec, progress: bool = False) -> Setting:
    """The training cases, the prior-predictive screen and the record of a calibration."""
    cases = training_cases(spec.family, spec.cases, spec.exclude)
    if not cases:
        raise StudyError(f"no {spec.family} case to calibrate on")
    candidates = spec.names or inferred(spec.family)
    screening = (
        screen(CalibrationModel(cases, candidates), spec.screen_draws, workers=spec.workers)
        if spec.screen_draws
        else {}
    )
    names = [n for n in candidates if screening.get(n, 1.0) >= spec.screen_threshold]
    if progress and screening:
        sys.stderr.write(
            f"[calibrate] screen: {len(names)} of {len(candidates)} parameters move a statistic "
            f"(|rho| >= {spec.screen_threshold}); the rest stay at their prior medians\n"
        )
    observed = observed_record(cases)
    return Setting(cases, candidates, screening, names, observed)


def provenance(spec: CalibrationSpec, setting: Setting, posterior: Posterior) -> dict:
    """What every posterior records of its making, besides the method's own figures."""
    family = _family_params(spec.family)
    users = parameter_users(setting.cases, family, base=posterior.params())
    return {
        "training_cases": [c.name for c in setting.cases],
        "summary_statistics": setting.keys,
        "observed": setting.observed,
        "seed": spec.seed,
        "screen": {
            "draws": spec.screen_draws,
            "threshold": spec.screen_threshold,
            "max_abs_spearman": setting.screening,
            "not_identifiable": sorted(n for n in setting.candidates if n not in setting.names),
        },
        "fixed_at_prior_median": sorted(n for n in family if n not in setting.names),
        "parameter_users": users,
        "single_case_parameters": {
            case.name: sorted(n for n, u in users.items() if u == [case.name])
            for case in setting.cases
        },
        "unused_parameters": sorted(n for n, u in users.items() if not u),
        "package_version": __version__,
        "created": dt.date.today().isoformat(),
    }


def calibrate(
    spec: CalibrationSpec, out: Path, resume: bool = False, progress: bool = False
) -> Posterior:
    """Run (or resume) the rejection calibration; return the posterior (also in ``out/posterior.json``)."""
    if not 0 < spec.accept <= 1:
        raise StudyError(f"--accept {spec.accept}: must be a fraction in (0, 1]")
    out = Path(out)
    chunks = out / "chunks"
    if chunks.exists() and any(chunks.iterdir()) and not resume:
        raise StudyError(f"--out {out}: holds a calibration already; --resume {out} to finish it")
    if resume and not chunks.exists():
        raise StudyError(f"--resume {out}: no calibration there (no chunks/)")
    setting = prepare(spec, progress)
    cases, names, observed, keys = setting.cases, setting.names, setting.observed, setting.keys
    evaluations = max(1, spec.simulations // len(cases))
    n_chunks = math.ceil(evaluations / spec.chunk)
    meta = {
        "names": names,
        "keys": keys,
        "observed": observed,
        "chunks": n_chunks,
        "chunk": spec.chunk,
        "seed": spec.seed,
        "cases": [c.name for c in cases],
    }
    meta_path = out / "draws.json"
    if resume and meta_path.exists():
        before = json.loads(meta_path.read_text(encoding="utf-8"))
        changed = [
            k for k in ("names", "keys", "chunk", "seed", "cases") if before.get(k) != meta[k]
        ]
        if changed:
            raise StudyError(
                f"--resume {out}: the calibration there differs in {', '.join(changed)}"
            )
    chunks.mkdir(parents=True, exist_ok=True)
    meta_path.write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    job = _Chunk(setting.model(), keys, spec.seed, spec.chunk)
    done = {int(p.stem.split("_")[1]) for p in chunks.glob("chunk_*.npz")}
    todo = [i for i in range(n_chunks) if i not in done]
    started = dt.datetime.now()
    for finished, (index, z, stats) in enumerate(_map(spec, job, todo), start=1):
        _save_chunk(chunks, index, z, stats)
        if progress:
            seconds = (dt.datetime.now() - started).total_seconds()
            count = (len(done) + finished) * spec.chunk * len(cases)
            sys.stderr.write(
                f"[calibrate {seconds:6.0f} s] chunk {len(done) + finished} of {n_chunks}: "
                f"{count:,} simulations\n"
            )
            sys.stderr.flush()
    draws = load_draws(out)
    distances = draws.distances()
    order = draws.accepted(spec.accept)
    keep = len(order)
    samples = draws.values(order)
    posterior = Posterior(spec.family, names, samples, np.full(keep, 1.0 / keep))
    posterior = dataclasses.replace(
        posterior,
        provenance={
            "method": "rejection ABC: the closest fraction of prior draws, weighted L1 on log-day statistics, "
            "each case weighted 1",
            "evaluations": int(len(distances)),
            "simulations": int(len(distances)) * len(cases),
            "accepted": int(keep),
            "accept_fraction": spec.accept,
            "tolerance": float(distances[order[-1]]),
            "prior_median_distance": float(np.median(distances)),
            **provenance(spec, setting, posterior),
        },
    )
    posterior.save(out / "posterior.json")
    return posterior


def _family_params(family: str) -> list[str]:
    return [n for n in PRIORS if (n.startswith("dispute.") == (family == "dispute"))]
