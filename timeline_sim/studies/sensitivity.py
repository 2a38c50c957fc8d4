"""Global sensitivity of a case's delays to the shared parameters, and scenario discovery.

Sobol indices (SALib, Saltelli sampling): each inferred parameter ranges over
its prior (on the log scale for a log-uniform one); the other parameters sit at
the posterior mean. Every sample runs the case on the same seed (common random
numbers), so the indices describe the parameters' effect, not the seed's. S1 is
the share of an outcome's variance a parameter explains alone, ST with all its
interactions.

PRIM (the Patient Rule Induction Method, ema-workbench's implementation) then
searches the same samples for a box of parameter values in which an event (for
example, ratification taking over a year) is frequent: its coverage (share of
all such runs inside the box) and density (share of the box's runs with the
event) say how good the description is.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np
import pandas as pd

from timeline_sim.cases.loading import LoadedCase
from timeline_sim.engine.runner import run_one
from timeline_sim.models.params import Params
from timeline_sim.models.posterior import default_params, load_posterior
from timeline_sim.models.priors import PRIORS, inferred

#: The outcomes analysed, per track: (outcome, label).
OUTCOMES = {
    "fta": (
        ("talks_days", "launch of talks to conclusion (days)"),
        ("ratification_delay_days", "signature to ratification (days)"),
    ),
    "dispute": (
        ("market_access", "market access conceded"),
        ("deadlines_missed", "deadlines missed"),
    ),
}


def parameters(family: str) -> list[str]:
    """The parameters analysed: those the calibration infers (all inferable ones without one)."""
    posterior = load_posterior(family)
    return list(posterior.names) if posterior is not None else inferred(family)


def _problem(names: list[str]) -> dict[str, Any]:
    bounds = [list(PRIORS[name].bounds) for name in names]
    return {"num_vars": len(names), "names": names, "bounds": bounds}


def _natural(names: list[str], x: np.ndarray) -> np.ndarray:
    out = np.array(x, dtype=float)
    for j, name in enumerate(names):
        if PRIORS[name].kind == "loguniform":
            out[:, j] = np.exp(out[:, j])
    return out


def _outcome(result, track: str, outcome: str, horizon_days: float) -> float:
    value = result.tracks[track]["outcomes"].get(outcome)
    return horizon_days if value is None else float(value)  # never reached: as long as the run


def sample_runs(
    case: LoadedCase, track: str, base_samples: int = 256, seed: int = 0
) -> tuple[list[str], np.ndarray, pd.DataFrame]:
    """Saltelli samples of the parameters and each sample's outcomes on ``track``."""
    from SALib.sample import sobol as sobol_sample

    names = parameters(case.kind)
    problem = _problem(names)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        x = sobol_sample.sample(problem, base_samples, calc_second_order=False, seed=seed)
    values = _natural(names, x)
    base: Params = default_params(case.kind)
    horizon = 365.0 * 12
    rows = []
    for row in values:
        result = run_one(
            case, base.replace(**dict(zip(names, map(float, row), strict=True))), seed=seed
        )
        rows.append({o: _outcome(result, track, o, horizon) for o, _ in OUTCOMES[case.kind]})
    return names, values, pd.DataFrame(rows)


def sobol_indices(
    names: list[str], outcomes: pd.DataFrame, family: str, base_samples: int
) -> pd.DataFrame:
    """First-order and total Sobol indices (with 95% confidence half-widths) of every outcome."""
    from SALib.analyze import sobol

    problem = _problem(names)
    frames = []
    for outcome, label in OUTCOMES[family]:
        y = outcomes[outcome].to_numpy(dtype=float)
        if np.std(y) == 0:
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = sobol.analyze(problem, y, calc_second_order=False, print_to_console=False)
        frames.append(
            pd.DataFrame(
                {
                    "outcome": outcome,
                    "label": label,
                    "parameter": names,
                    "S1": result["S1"],
                    "S1_conf": result["S1_conf"],
                    "ST": result["ST"],
                    "ST_conf": result["ST_conf"],
                }
            )
        )
    table = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    return table.sort_values(["outcome", "ST"], ascending=[True, False]) if len(table) else table


def prim_box(
    names: list[str], values: np.ndarray, event: np.ndarray, threshold: float = 0.8
) -> dict[str, Any]:
    """The PRIM box of parameter values where ``event`` is frequent (ema-workbench)."""
    import logging

    logging.getLogger("EMA").setLevel(logging.ERROR)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from ema_workbench.analysis import prim

        x = pd.DataFrame(values, columns=names)
        finder = prim.Prim(x, event.astype(bool), threshold=threshold)
        box = finder.find_box()
    trajectory = box.peeling_trajectory
    # the first box on the peeling trajectory whose density reaches the threshold (the one
    # that covers most of the event at that density), else the densest
    good = trajectory[trajectory["density"] >= threshold]
    index = int(good.index[0] if len(good) else trajectory["density"].idxmax())
    box.select(index)
    limits, whole = box.box_lims[index], box.box_lims[0]  # box 0: the whole sample
    restricted = []
    for name in names:
        low, high = float(limits[name].iloc[0]), float(limits[name].iloc[1])
        prior = PRIORS[name]
        lo, hi = float(whole[name].iloc[0]), float(whole[name].iloc[1])
        if prior.kind == "loguniform":
            low_s, high_s, lo_s, hi_s = (math.log(v) for v in (low, high, lo, hi))
        else:
            low_s, high_s, lo_s, hi_s = low, high, lo, hi
        if (low_s - lo_s) + (hi_s - high_s) > 0.05 * (hi_s - lo_s):  # cuts at least 5% of the range
            restricted.append(
                {"parameter": name, "low": low, "high": high, "prior": [prior.low, prior.high]}
            )
    return {
        "base_rate": float(np.mean(event)),
        "coverage": float(trajectory.loc[index, "coverage"]),
        "density": float(trajectory.loc[index, "density"]),
        "mass": float(trajectory.loc[index, "mass"]),
        "restricted": restricted,
    }
