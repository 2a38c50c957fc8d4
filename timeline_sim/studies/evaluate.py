"""Out-of-sample skill: leave-one-case-out (or k-fold) forecasts against two base rates.

For each fold the posterior is refitted without the held-out cases. With
ABC-SMC (:mod:`timeline_sim.studies.refit`) each fold is a new calibration, and
the forecast of a held-out agreement is its simulated delay under particles
drawn from the fold's posterior. With rejection ABC
(:mod:`timeline_sim.studies.calibrate`) the saved evaluations are reused and
only the acceptance changes, since an evaluation's distance to the record is a
sum over cases; the forecast is the held-out agreement's own simulated delays in
the kept evaluations (one run per kept parameter vector). Either way the
held-out cases play no part in which parameters are kept, and the forecast is a
draw from the posterior predictive given the agreement's inputs alone.

Two base rates are forecast on the same folds:

- ``training median``: the held-out quantity's distribution among the training
  agreements (its median as the point forecast);
- ``Weibull AFT``: a Weibull accelerated-failure-time model (lifelines) of the
  delay on observable covariates of the agreement: the year talks began, the
  number of parties, whether a party ratifies under a fast-track clock, and the
  home party's farm (and other opposed sector) exposure.

Scores per forecast: whether the record falls in the central 50% and 80%
predictive intervals, the absolute error of the median (days), the continuous
ranked probability score (CRPS, days) and the probability integral transform
(PIT: the predictive probability below the record; uniform if calibrated).
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from timeline_sim.cases.loading import LoadedCase
from timeline_sim.studies.calibrate import Draws

#: The delays forecast, by statistic name.
QUANTITIES = {
    "launch_to_conclusion": "launch of talks to conclusion",
    "signature_to_force": "signature to entry into force",
}
PREDICTORS = ("model", "training median", "Weibull AFT")
COVARIATES = ("era", "parties", "fast_track", "exposure")
#: Quantile levels that stand for a parametric predictive distribution.
LEVELS = (np.arange(200) + 0.5) / 200


def covariates(case: LoadedCase, track: str) -> dict[str, float]:
    """Observable covariates of one agreement (inputs of the case, never its outcome)."""
    model = case.model
    spec = model.tracks[track]
    fast = any(getattr(model.parties[c], "fast_track", None) is not None for c in spec.parties)
    return {
        "era": float(spec.talks_start.day.year - 2000),
        "parties": float(len(spec.parties)),
        "fast_track": float(fast),
        "exposure": float(math.log1p(100.0 * spec.exposure(model.home))),
    }


def crps(samples: np.ndarray, y: float) -> float:
    """CRPS of the empirical distribution of ``samples`` at ``y``: E|X - y| - E|X - X'| / 2."""
    x = np.sort(np.asarray(samples, dtype=float))
    n = len(x)
    spread = 2.0 * np.sum((2 * np.arange(1, n + 1) - n - 1) * x) / (n * n)
    return float(np.mean(np.abs(x - y)) - 0.5 * spread)


def pit(samples: np.ndarray, y: float) -> float:
    """Predictive probability below ``y`` (ties count half)."""
    x = np.asarray(samples, dtype=float)
    return float((np.sum(x < y) + 0.5 * np.sum(x == y)) / len(x))


def score(samples: np.ndarray, y: float) -> dict[str, float]:
    """Coverage, error of the median, CRPS and PIT of one predictive sample at the record ``y``."""
    q10, q25, q50, q75, q90 = np.quantile(samples, [0.1, 0.25, 0.5, 0.75, 0.9])
    return {
        "median": float(q50),
        "p10": float(q10),
        "p90": float(q90),
        "in50": float(q25 <= y <= q75),
        "in80": float(q10 <= y <= q90),
        "abs_error": float(abs(q50 - y)),
        "crps": crps(samples, y),
        "pit": pit(samples, y),
    }


def weibull_forecast(train: pd.DataFrame, row: dict[str, float]) -> np.ndarray:
    """Quantiles (at :data:`LEVELS`) of a Weibull AFT fitted to ``train`` at covariates ``row``.

    Covariates that vary among the training agreements are standardised and
    given a light ridge penalty (0.1: a few dozen agreements and four
    covariates); lifelines then leaves the intercepts unpenalised. With none
    that varies the fit is the plain Weibull of the delays.
    """
    from lifelines import WeibullAFTFitter

    columns = [c for c in COVARIATES if train[c].nunique() > 1]
    centre = {c: float(train[c].mean()) for c in columns}
    scale = {c: float(train[c].std()) for c in columns}
    frame = pd.DataFrame({c: (train[c] - centre[c]) / scale[c] for c in columns})
    frame["days"] = train["days"].clip(lower=1.0).to_numpy()
    frame["event"] = 1
    fitter = WeibullAFTFitter(penalizer=0.1 if columns else 0.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fitter.fit(frame, duration_col="days", event_col="event")
    params = fitter.params_
    lam = math.exp(
        params.loc[("lambda_", "Intercept")]
        + sum(params.loc[("lambda_", c)] * (row[c] - centre[c]) / scale[c] for c in columns)
    )
    rho = math.exp(params.loc[("rho_", "Intercept")])
    return lam * (-np.log1p(-LEVELS)) ** (1.0 / rho)


@dataclass
class Agreement:
    """One forecast target: a case's track and one of its delays."""

    case: LoadedCase
    track: str
    quantity: str
    key: str  # the statistic's name
    observed_days: float


def agreements(
    keys: list[str], observed: dict[str, float], cases: list[LoadedCase]
) -> list[Agreement]:
    """Every (agreement, delay) of ``cases`` with a record among the statistics ``keys``."""
    by_name = {c.name: c for c in cases}
    out = []
    for key in keys:
        case, track, stat = key.split("/")
        if stat in QUANTITIES and case in by_name:
            out.append(Agreement(by_name[case], track, stat, key, math.expm1(observed[key])))
    return out


def folds_of(names: list[str], folds: int | None) -> list[list[str]]:
    """Leave-one-out (``folds`` None or >= the cases), else cases dealt round-robin in name order."""
    names = sorted(names)
    if folds is None or folds >= len(names):
        return [[n] for n in names]
    return [names[i::folds] for i in range(folds)]


def agreement_table(targets: list[Agreement]) -> pd.DataFrame:
    """One row per agreement and delay: its record and covariates (what the base rates learn from)."""
    return pd.DataFrame(
        [
            {
                "case": a.case.name,
                "track": a.track,
                "quantity": a.quantity,
                "days": a.observed_days,
                **covariates(a.case, a.track),
            }
            for a in targets
        ]
    )


def fold_scores(
    targets: list[Agreement],
    table: pd.DataFrame,
    group: list[str],
    simulated: dict[str, np.ndarray],
) -> list[dict[str, Any]]:
    """Scores of the held-out ``group``: the model's simulated delays (days, by statistic) and the base rates."""
    rows: list[dict[str, Any]] = []
    for a in (t for t in targets if t.case.name in group):
        train = table[(~table["case"].isin(group)) & (table["quantity"] == a.quantity)]
        forecasts = {
            "model": simulated[a.key],
            "training median": train["days"].to_numpy(),
            "Weibull AFT": weibull_forecast(train, covariates(a.case, a.track)),
        }
        for predictor, samples in forecasts.items():
            rows.append(
                {
                    "case": a.case.name,
                    "track": a.track,
                    "quantity": a.quantity,
                    "predictor": predictor,
                    "observed": a.observed_days,
                    "fold": ",".join(group),
                    **score(samples, a.observed_days),
                }
            )
    return rows


def cross_validate(
    draws: Draws, cases: list[LoadedCase], accept: float, folds: int | None = None
) -> pd.DataFrame:
    """Rejection ABC: one row per held-out agreement, delay and predictor, with its scores."""
    targets = agreements(draws.keys, draws.observed, cases)
    table = agreement_table(targets)
    rows: list[dict[str, Any]] = []
    for group in folds_of(sorted({a.case.name for a in targets}), folds):
        kept = draws.accepted(accept, exclude=tuple(group))
        simulated = {
            a.key: np.expm1(draws.stats[kept, draws.keys.index(a.key)])
            for a in targets
            if a.case.name in group
        }
        rows += fold_scores(targets, table, group, simulated)
    return pd.DataFrame(rows)


def summarise(scores: pd.DataFrame) -> pd.DataFrame:
    """Per delay (and over both) and predictor: coverage, median MAE, CRPS, skill against the median."""
    frames = []
    for quantity, part in [*scores.groupby("quantity"), ("both", scores)]:
        summary = part.groupby("predictor").agg(
            forecasts=("observed", "size"),
            coverage50=("in50", "mean"),
            coverage80=("in80", "mean"),
            median_abs_error=("abs_error", "median"),
            mean_abs_error=("abs_error", "mean"),
            crps=("crps", "mean"),
        )
        base = summary.loc["training median", "median_abs_error"]
        summary["mae_vs_training_median"] = summary["median_abs_error"] / base - 1.0
        summary.insert(0, "quantity", quantity)
        frames.append(summary.reset_index())
    out = pd.concat(frames, ignore_index=True)
    order = {p: i for i, p in enumerate(PREDICTORS)}
    return out.sort_values(
        ["quantity", "predictor"], key=lambda s: s.map(order) if s.name == "predictor" else s
    )
