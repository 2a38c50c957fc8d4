"""k-fold cross-validation of the ABC-SMC calibration: every fold a new calibration.

The cases are dealt into folds (:func:`timeline_sim.studies.evaluate.folds_of`);
for each fold the whole calibration (screen and ABC-SMC, with the settings of
the full one) is rerun without the fold's cases, in ``DIR/fold_K``, so nothing
of a held-out case reaches the posterior that forecasts it. Each held-out case
is then run once under each of ``runs`` particles drawn by weight from that
posterior, from its inputs alone; its simulated delays are the forecast, scored
against the record and the two base rates by
:func:`timeline_sim.studies.evaluate.fold_scores`. A fold already calibrated in
``DIR`` is reused and one stopped half-way is resumed, so an evaluation can be
stopped and started again.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from timeline_sim.engine.runner import run_one
from timeline_sim.models.posterior import Posterior
from timeline_sim.studies.calibrate import CalibrationSpec, training_cases
from timeline_sim.studies.evaluate import agreement_table, agreements, fold_scores, folds_of
from timeline_sim.studies.smc import calibrate_smc
from timeline_sim.studies.spec import StudyError
from timeline_sim.studies.statistics import observed_record, simulated_statistics


def fold_posterior(spec: CalibrationSpec, folder: Path, progress: bool = False) -> Posterior:
    """The calibration of ``spec`` in ``folder``: read if finished, resumed if stopped, else run."""
    done = folder / "posterior.json"
    if done.exists():
        posterior = Posterior.from_json(json.loads(done.read_text(encoding="utf-8")))
        info = posterior.provenance
        meta_file = folder / "smc.json"
        meta = json.loads(meta_file.read_text(encoding="utf-8")) if meta_file.exists() else {}
        same = (
            info.get("training_cases") == list(spec.cases or [])
            and meta.get("seed") == spec.seed
            and meta.get("population") == spec.population
            and len(info.get("generations", [])) == spec.generations
            and (spec.names is None or meta.get("candidates") == list(spec.names))
        )
        if not same:
            raise StudyError(
                f"{folder}: holds a fold calibrated on other cases or settings; "
                "evaluate into a new --out directory"
            )
        return posterior
    return calibrate_smc(spec, folder, resume=(folder / "abc.db").exists(), progress=progress)


def forecast_runs(cases, posterior: Posterior, runs: int, seed: int) -> dict[str, np.ndarray]:
    """Each case run once under each of ``runs`` particles drawn by weight: simulated days by statistic."""
    rng = np.random.default_rng(np.random.SeedSequence([seed, 6_311]))
    drawn = rng.choice(len(posterior.weights), size=runs, p=posterior.weights)
    stats: dict[str, list[float]] = {}
    for j, index in enumerate(drawn):
        params = posterior.params(values=posterior.particle(int(index)))
        for case in cases:
            result = run_one(case, params, seed=seed, run_id=j + 1)
            for key, value in simulated_statistics(case, result.tracks).items():
                stats.setdefault(key, []).append(value)
    return {key: np.expm1(np.array(values)) for key, values in stats.items()}


def cross_validate_smc(
    spec: CalibrationSpec, out: Path, folds: int = 5, runs: int = 400, progress: bool = False
) -> pd.DataFrame:
    """One row per held-out agreement, delay and predictor, with its scores (see the module's doc)."""
    cases = training_cases(spec.family, spec.cases, spec.exclude)
    observed = observed_record(cases)
    targets = agreements(sorted(observed), observed, cases)
    table = agreement_table(targets)
    rows = []
    groups = folds_of(sorted({a.case.name for a in targets}), folds)
    for k, group in enumerate(groups):
        if progress:
            sys.stderr.write(f"[evaluate] fold {k + 1} of {len(groups)}: {', '.join(group)}\n")
        fold_spec = dataclasses.replace(spec, cases=[c.name for c in cases if c.name not in group])
        posterior = fold_posterior(fold_spec, Path(out) / f"fold_{k}", progress)
        held_out = [c for c in cases if c.name in group]
        simulated = forecast_runs(held_out, posterior, runs, seed=spec.seed + 1_000 * (k + 1))
        rows += fold_scores(targets, table, group, simulated)
    return pd.DataFrame(rows)
