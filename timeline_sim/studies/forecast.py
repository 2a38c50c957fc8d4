"""Forecasts conditioned on what has happened by a date: ``timeline-sim forecast CASE --as-of DATE``.

Runs of the case draw their parameters from the posterior (as a study's runs
do). The record up to ``as_of`` becomes evidence, and each run is weighted by
how well it agrees with it:

- a milestone of the agreement that history dates on or before ``as_of`` must
  have happened in the run by then (else weight 0), and the run is weighted by a
  Gaussian kernel in the gap between its date and the record's (``bandwidth``
  days);
- a milestone that history dates after ``as_of`` must not have happened in the
  run by ``as_of`` (weight 0 otherwise): it had not happened yet;
- the failed votes history records by ``as_of`` must be the run's failed votes
  by then, in number.

The forecast of every milestone still to come is the weighted distribution of
its dates over the runs (with the effective number of runs behind it). Nothing
about the future enters: targets after ``as_of`` are only compared with.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from timeline_sim.cases.loading import LoadedCase
from timeline_sim.engine.calendar import HistoricalDate
from timeline_sim.engine.runner import run_one
from timeline_sim.studies.uncertainty import draw_uncertain


@dataclass
class Evidence:
    """What the record says has happened on one track by ``as_of``."""

    happened: dict[str, dt.date]  # milestone -> date, on or before as_of
    pending: list[str]  # milestones the record dates after as_of
    failed_votes: int  # failed votes recorded by as_of
    future: dict[str, dt.date]  # the record's later milestones, to compare with


def evidence(case: LoadedCase, track: str, as_of: dt.date) -> Evidence:
    """The agreement-level record of ``track`` split at ``as_of``."""
    happened: dict[str, dt.date] = {}
    future: dict[str, dt.date] = {}
    failed = 0
    for target in case.model.targets:
        if target.track != track or getattr(target, "party", None) is not None:
            continue
        day = HistoricalDate.parse(target.date).date
        if target.milestone == "vote_failed":
            failed += int(day <= as_of)
            continue
        if day <= as_of:
            happened[target.milestone] = day
        else:
            future[target.milestone] = day
    return Evidence(happened, sorted(future), failed, future)


def _day(value: Any) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(str(value))


def weight(run_track: dict[str, Any], ev: Evidence, as_of: dt.date, bandwidth: float) -> float:
    """How well one run's track agrees with the evidence (0: it contradicts it)."""
    milestones = run_track["milestones"]
    log_w = 0.0
    for milestone, day in ev.happened.items():
        simulated = _day(milestones.get(milestone))
        if simulated is None or simulated > as_of:
            return 0.0
        log_w -= 0.5 * ((simulated - day).days / bandwidth) ** 2
    for milestone in ev.pending:
        simulated = _day(milestones.get(milestone))
        if simulated is not None and simulated <= as_of:
            return 0.0
    votes = run_track["outcomes"].get("failed_vote_dates") or []
    if sum(_day(v) <= as_of for v in votes) != ev.failed_votes:
        return 0.0
    return math.exp(log_w)


def weighted_quantiles(values: np.ndarray, weights: np.ndarray, levels: list[float]) -> list[float]:
    """Quantiles of a weighted sample (the inverse of its weighted CDF)."""
    order = np.argsort(values)
    v, w = values[order], weights[order]
    cdf = (np.cumsum(w) - 0.5 * w) / np.sum(w)
    return [float(np.interp(q, cdf, v)) for q in levels]


def forecast(
    case: LoadedCase,
    track: str,
    as_of: dt.date,
    runs: int = 20_000,
    seed: int = 0,
    bandwidth: float = 90.0,
) -> dict[str, Any]:
    """The remaining milestones of ``track`` given the record up to ``as_of``."""
    ev = evidence(case, track, as_of)
    weights = np.zeros(runs)
    dates: dict[str, list[float | None]] = {m: [] for m in ev.pending}
    for i in range(runs):
        result = run_one(case, seed=seed, run_id=i + 1, uncertainty=draw_uncertain)
        data = result.tracks[track]
        weights[i] = weight(data, ev, as_of, bandwidth)
        for milestone in ev.pending:
            day = _day(data["milestones"].get(milestone))
            dates[milestone].append(None if day is None else float(day.toordinal()))
    total = float(weights.sum())
    ess = total**2 / float(np.sum(weights**2)) if total > 0 else 0.0
    rows = []
    for milestone in ev.pending:
        values = np.array([np.nan if d is None else d for d in dates[milestone]])
        reached = ~np.isnan(values) & (weights > 0)
        row: dict[str, Any] = {
            "milestone": milestone,
            "record": ev.future[milestone].isoformat(),
            "probability_reached": float(weights[reached].sum() / total) if total > 0 else math.nan,
        }
        if reached.sum() >= 2:
            q = weighted_quantiles(values[reached], weights[reached], [0.1, 0.25, 0.5, 0.75, 0.9])
            names = ["p10", "p25", "p50", "p75", "p90"]
            row.update(
                {
                    n: dt.date.fromordinal(int(round(x))).isoformat()
                    for n, x in zip(names, q, strict=True)
                }
            )
            row["width80_days"] = q[4] - q[0]
            record = float(ev.future[milestone].toordinal())
            row["record_percentile"] = float(
                weights[reached][values[reached] < record].sum() / weights[reached].sum()
            )
        rows.append(row)
    return {
        "case": case.name,
        "track": track,
        "as_of": as_of.isoformat(),
        "runs": runs,
        "bandwidth_days": bandwidth,
        "effective_runs": ess,
        "consistent_runs": int(np.sum(weights > 0)),
        "evidence": {
            "happened": {m: d.isoformat() for m, d in ev.happened.items()},
            "failed_votes": ev.failed_votes,
            "pending": ev.pending,
        },
        "forecast": rows,
    }
