"""The FTA corpus against history: delay distributions per agreement, rank correlation, ablations.

For every agreement (track) of every shipped FTA case, a study of ``runs`` runs
gives the distribution of two delays, signature to entry into force and launch
of talks to conclusion, which are set beside the historical ones (from the
case's targets). Across agreements, the rank correlation of the simulated
medians with history says whether the model orders agreements as history did.
An ablation switches one mechanism off on the same streams (paired runs) and
reports which agreements move.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from timeline_sim.cases.loading import LoadedCase, list_cases, load_case
from timeline_sim.engine.calendar import HistoricalDate
from timeline_sim.studies.montecarlo import run_many
from timeline_sim.studies.spec import ExecutionOptions, StudySpec

#: The delays the corpus report compares, with the milestones that bound them.
DELAYS = {
    "signature_to_force": ("signed", "entry_into_force"),
    "launch_to_conclusion": ("talks_launched", "concluded"),
}
#: The mechanisms of the general FTA model an ablation can switch off.
ABLATIONS = (
    "partner_ratification",
    "agenda_control",
    "fast_track",
    "renegotiation",
    "shocks",
    "divided_government",
    "supporting_sectors",
    "sector_lobbies",
    "farm_lobby",
    "side_payments",
)
PERCENTILES = (10, 50, 90)


def fta_cases(names: Iterable[str] | None = None) -> list[LoadedCase]:
    """The shipped FTA cases (or the named ones), loaded."""
    if names is None:
        loaded = [load_case(path) for path in list_cases()]
    else:
        loaded = [load_case(name) for name in names]
    return [case for case in loaded if case.kind == "fta"]


def _target_date(case: LoadedCase, track: str, milestone: str) -> dt.date | None:
    if milestone == "talks_launched":
        return case.model.tracks[track].talks_start.day
    for target in case.model.targets:
        if target.track == track and target.milestone == milestone and target.party is None:
            return HistoricalDate.parse(target.date).date
    return None


def historical_delays(case: LoadedCase, track: str) -> dict[str, float | None]:
    """The record's delays of one agreement, in days (None where a date is not a target)."""
    out: dict[str, float | None] = {}
    for name, (start, end) in DELAYS.items():
        a, b = _target_date(case, track, start), _target_date(case, track, end)
        out[name] = None if a is None or b is None else float((b - a).days)
    return out


def simulated_delays(table: pd.DataFrame, track: str) -> dict[str, np.ndarray]:
    """Each run's delays of one agreement (NaN where the later milestone is not reached)."""
    out = {}
    missing = pd.Series([None] * len(table), index=table.index)
    for name, (start, end) in DELAYS.items():
        a = pd.to_datetime(table.get(f"{track}.{start}", missing), errors="coerce")
        b = pd.to_datetime(table.get(f"{track}.{end}", missing), errors="coerce")
        out[name] = (b - a).dt.days.to_numpy(dtype=float)
    return out


def _quantiles(values: np.ndarray) -> dict[str, float | None]:
    """p10, p50, p90 over the runs, counting a run that never gets there as infinitely late."""
    filled = np.where(np.isnan(values), np.inf, values)
    with np.errstate(invalid="ignore"):  # runs that never get there are +inf
        qs = np.percentile(filled, PERCENTILES) if filled.size else [math.nan] * 3
    return {
        f"p{p}": (None if not math.isfinite(q) else float(q))
        for p, q in zip(PERCENTILES, qs, strict=True)
    }


def _percentile_of(values: np.ndarray, x: float) -> float:
    filled = np.where(np.isnan(values), np.inf, values)
    return float(100.0 * (np.sum(filled < x) + 0.5 * np.sum(filled == x)) / filled.size)


@dataclass(frozen=True)
class CorpusRow:
    """One agreement's delays: the record and the simulated distribution."""

    case: str
    track: str
    agreement: str
    delay: str
    historical: float | None
    p10: float | None
    p50: float | None
    p90: float | None
    reached: float  # share of runs in which the later milestone is reached
    percentile: float | None  # where history falls in the simulated distribution
    within_80: bool | None  # history inside the simulated p10-p90


def corpus_report(
    cases: list[LoadedCase], runs: int, seed: int = 0, options: ExecutionOptions | None = None
) -> pd.DataFrame:
    """Per agreement and delay: history against the simulated p10, p50 and p90."""
    rows = []
    for case in cases:
        table = run_many(StudySpec(str(case.path), runs, seed), options)
        for track_name, track in case.model.tracks.items():
            if not track.enabled:
                continue
            history = historical_delays(case, track_name)
            simulated = simulated_delays(table, track_name)
            for delay, values in simulated.items():
                q = _quantiles(values)
                h = history[delay]
                inside = None
                if h is not None:
                    lo = -math.inf if q["p10"] is None else q["p10"]
                    hi = math.inf if q["p90"] is None else q["p90"]
                    inside = lo <= h <= hi
                rows.append(
                    CorpusRow(
                        case=case.name,
                        track=track_name,
                        agreement=f"{case.model.country}-{track.partner}",
                        delay=delay,
                        historical=h,
                        reached=float(np.mean(~np.isnan(values))),
                        percentile=None if h is None else _percentile_of(values, h),
                        within_80=inside,
                        **q,
                    ).__dict__
                )
    return pd.DataFrame(rows)


def rank_correlation(report: pd.DataFrame, delay: str = "signature_to_force") -> dict[str, Any]:
    """Spearman correlation of simulated medians with history across agreements."""
    rows = report[(report["delay"] == delay) & report["historical"].notna()].copy()
    rows["p50"] = rows["p50"].fillna(np.inf)
    n = len(rows)
    if n < 3:
        return {"delay": delay, "n": n, "spearman": None}
    ranks_h = rows["historical"].rank()
    ranks_m = rows["p50"].rank()
    rho = float(np.corrcoef(ranks_h, ranks_m)[0, 1])
    return {"delay": delay, "n": n, "spearman": rho}


def ablation_report(
    cases: list[LoadedCase],
    runs: int,
    seed: int = 0,
    switches: Iterable[str] = ABLATIONS,
    options: ExecutionOptions | None = None,
    delay: str = "signature_to_force",
    threshold_days: float = 14.0,
) -> pd.DataFrame:
    """Per agreement and switch: the paired median change of a delay with the mechanism off.

    An agreement *moves* when the median shifts by more than ``threshold_days`` and
    the paired 95% interval of the mean shift excludes zero.
    """
    rows = []
    for case in cases:
        base = run_many(StudySpec(str(case.path), runs, seed), options)
        for switch in switches:
            off = run_many(
                StudySpec(
                    str(case.path), runs, seed, param_changes={f"mechanisms.{switch}": False}
                ),
                options,
            )
            for track_name, track in case.model.tracks.items():
                if not track.enabled:
                    continue
                b = simulated_delays(base, track_name)[delay]
                v = simulated_delays(off, track_name)[delay]
                both = ~(np.isnan(b) | np.isnan(v))
                diff = v[both] - b[both]
                mean = float(diff.mean()) if diff.size else math.nan
                half = (
                    1.96 * float(diff.std(ddof=1)) / math.sqrt(diff.size)
                    if diff.size > 1
                    else math.nan
                )
                med_b = _quantiles(b)["p50"]
                med_v = _quantiles(v)["p50"]
                shift = None if med_b is None or med_v is None else med_v - med_b
                moved = bool(
                    shift is not None
                    and abs(shift) > threshold_days
                    and math.isfinite(half)
                    and abs(mean) > half
                ) or (med_b is None) != (med_v is None)
                rows.append(
                    {
                        "case": case.name,
                        "track": track_name,
                        "agreement": f"{case.model.country}-{track.partner}",
                        "switch": switch,
                        "median_on": med_b,
                        "median_off": med_v,
                        "median_shift": shift,
                        "mean_shift": mean,
                        "ci_low": mean - half,
                        "ci_high": mean + half,
                        "reached_on": float(np.mean(~np.isnan(b))),
                        "reached_off": float(np.mean(~np.isnan(v))),
                        "moves": moved,
                    }
                )
    return pd.DataFrame(rows)
