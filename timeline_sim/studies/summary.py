"""Summaries of a runs table: distributions, milestone probabilities, where history falls.

Per track and outcome: the mean and the 5th, 50th and 95th percentiles; per
target milestone: the probability of being reached at all and by its historical
date; and the percentile at which each historical value falls in the simulated
distribution. The :class:`Accumulator` gathers compact numeric columns chunk by
chunk, so a study of any size is summarised in flat memory.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from timeline_sim.cases.loading import LoadedCase
from timeline_sim.engine.calendar import HistoricalDate
from timeline_sim.studies.spec import StudySpec

PERCENTILES = (5, 50, 95)


def numeric_columns(table: pd.DataFrame) -> dict[str, list[str]]:
    """The numeric outcome columns of a runs table, by track."""
    by_track: dict[str, list[str]] = {}
    for column in table.columns:
        if "." not in column or column.startswith("drawn."):
            continue
        track, outcome = column.split(".", 1)
        series = table[column]
        if pd.api.types.is_bool_dtype(series) or not pd.api.types.is_numeric_dtype(series):
            continue
        by_track.setdefault(track, []).append(outcome)
    return by_track


def describe(values: pd.Series | np.ndarray) -> dict[str, float | None]:
    """Mean, p5, p50, p95 and count of the finite values."""
    clean = np.asarray(pd.to_numeric(pd.Series(values), errors="coerce").dropna(), dtype=float)
    if clean.size == 0:
        return {"mean": None, "p5": None, "p50": None, "p95": None, "n": 0}
    p5, p50, p95 = np.percentile(clean, PERCENTILES)
    return {
        "mean": float(clean.mean()),
        "p5": float(p5),
        "p50": float(p50),
        "p95": float(p95),
        "n": int(clean.size),
    }


def percentile_of(values: Iterable[float], x: float) -> float:
    """Share of ``values`` below ``x`` (ties count half), in percent."""
    arr = np.asarray(
        [v for v in values if v is not None and not (isinstance(v, float) and math.isnan(v))],
        dtype=float,
    )
    if arr.size == 0:
        return math.nan
    return float(100.0 * (np.sum(arr < x) + 0.5 * np.sum(arr == x)) / arr.size)


class Accumulator:
    """Compact numeric columns of a runs table, gathered chunk by chunk."""

    def __init__(self, case: LoadedCase):
        self.case = case
        self.start = pd.Timestamp(case.model.start_date.day)
        self.columns: dict[str, list[np.ndarray]] = {}
        self.dates: dict[str, list[np.ndarray]] = {}
        self.runs = 0
        self.errors = 0

    def add(self, frame: pd.DataFrame) -> None:
        """Reduce one chunk (or a whole table) and keep its numeric columns."""
        self.runs += len(frame)
        if "error" in frame.columns:
            self.errors += int((frame["error"].fillna("") != "").sum())
        for column in frame.columns:
            if "." not in column or column.startswith("drawn."):
                continue
            series = frame[column]
            if pd.api.types.is_bool_dtype(series):
                continue
            if pd.api.types.is_numeric_dtype(series):
                self.columns.setdefault(column, []).append(series.to_numpy(dtype=float))
            elif _is_milestone(column, self.case):
                days = (pd.to_datetime(series, errors="coerce") - self.start).dt.days
                self.dates.setdefault(column, []).append(days.to_numpy(dtype=float))

    def values(self, column: str) -> np.ndarray:
        return np.concatenate(self.columns[column]) if column in self.columns else np.array([])

    def days(self, column: str) -> np.ndarray | None:
        return np.concatenate(self.dates[column]) if column in self.dates else None

    def summary(self, spec: StudySpec) -> dict[str, Any]:
        """Per track and outcome: mean, p5, p50, p95; milestone probabilities; history placed."""
        case = self.case
        tracks: dict[str, dict[str, Any]] = {}
        for column in self.columns:
            track, outcome = column.split(".", 1)
            tracks.setdefault(track, {})[outcome] = describe(self.values(column))
        milestones: dict[str, dict[str, Any]] = {}
        history: list[dict[str, Any]] = []
        for target in case.model.targets:
            days = self.days(target_column(target, case))
            if days is None:
                continue
            when = HistoricalDate.parse(target.date)
            historical_day = (pd.Timestamp(when.date) - self.start).days
            reached = ~np.isnan(days)
            by_history = float(np.mean(days <= historical_day)) if days.size else math.nan
            median = None
            if reached.any():
                median = str(
                    (self.start + pd.Timedelta(days=float(np.median(days[reached])))).date()
                )
            milestones.setdefault(target.track, {})[target_label(target)] = {
                "p_reached": float(reached.mean()) if days.size else math.nan,
                f"p_by_{when}": by_history,
                "median_date": median,
            }
            history.append(
                {
                    "track": target.track,
                    "milestone": target_label(target),
                    "historical": str(when),
                    "percentile": 100.0 * by_history,
                }
            )
        for target in getattr(case.model, "outcome_targets", []):
            column = f"{target.track}.{target.outcome}"
            if column in self.columns:
                history.append(
                    {
                        "track": target.track,
                        "outcome": target.outcome,
                        "historical": target.value,
                        "percentile": percentile_of(self.values(column), target.value),
                    }
                )
        return {
            "case": case.name,
            "variant": case.variant,
            "runs": self.runs,
            "seed": spec.seed,
            "errors": self.errors,
            "tracks": tracks,
            "milestones": milestones,
            "history": history,
        }


def target_column(target: Any, case: LoadedCase) -> str:
    """The runs-table column of a target's milestone (a party's, or one of its chambers)."""
    party = getattr(target, "party", None)
    if target.milestone == "chamber_passed":
        party = party or getattr(case.model, "home", "")
        return f"{target.track}.{party}.chambers.{target.chamber}"
    if party is not None:
        return f"{target.track}.{party}.{target.milestone}"
    return f"{target.track}.{target.milestone}"


def target_label(target: Any) -> str:
    """A target's milestone as summaries name it (``CHL.ratified``, ``CHL.Senate``)."""
    party = getattr(target, "party", None)
    if target.milestone == "chamber_passed":
        return f"{party + '.' if party else ''}{target.chamber}"
    return target.milestone if party is None else f"{party}.{target.milestone}"


def _is_milestone(column: str, case: LoadedCase) -> bool:
    """A date column: a track's milestone, a party's, or a chamber's passage."""
    parts = column.split(".")
    return parts[-1] in _milestone_names(case) or (len(parts) > 3 and parts[2] == "chambers")


def _milestone_names(case: LoadedCase) -> set[str]:
    return {target.milestone for target in case.model.targets} | {
        "talks_launched",
        "concluded",
        "signed",
        "ratified",
        "agreement",
        "sanctions_list",
        "submitted",
        "notes_exchanged",
        "entry_into_force",
    }


def summarise(table: pd.DataFrame, case: LoadedCase, spec: StudySpec) -> dict[str, Any]:
    """The summary of a whole runs table (see :class:`Accumulator`)."""
    acc = Accumulator(case)
    acc.add(table)
    return acc.summary(spec)


def summary_json(summary: dict[str, Any]) -> dict[str, Any]:
    """The stable ``--json`` shape: case, runs, seed, tracks -> outcome -> mean/p5/p50/p95."""
    return {
        "case": summary["case"],
        "runs": summary["runs"],
        "seed": summary["seed"],
        "tracks": {
            track: {o: {k: s[k] for k in ("mean", "p5", "p50", "p95")} for o, s in outcomes.items()}
            for track, outcomes in summary["tracks"].items()
        },
    }
