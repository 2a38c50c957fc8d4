"""A saved study read back for the study dashboards: runs, labels, history, binning."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from timeline_sim.figures.common import (
    CaseInfo,
    case_info,
    to_day,
)

#: outcome columns of studies, with readable names and units
#: outcome columns of studies, with readable names and units
OUTCOME_LABELS = {
    "talks_days": "Talks: launch to conclusion (days)",
    "ratification_delay_days": "Ratification delay: signature to ratification (days)",
    "days_to_agreement": "Talks to agreement (days)",
    "days_before_deadline": "Agreement before the deadline (days)",
    "failed_votes": "Failed or blocked votes",
    "side_payments_usd": "Side payments to farmers (US$)",
    "concession": "Concession on the sensitive issue (share)",
    "terms_value": "Terms of the deal",
    "protests": "Farm protests",
    "breakdowns": "Breakdowns of talks",
    "deadlines_missed": "Deadlines missed",
    "sanctions_imposed": "Sanctions imposed",
    "market_access": "Market access (cosmetic deals score low)",
    "value_claiming_share": "Initiator's value-claiming share",
}
DELAY_OUTCOMES = (
    "talks_days",
    "ratification_delay_days",
    "days_to_agreement",
    "days_before_deadline",
)
COUNT_OUTCOMES = ("failed_votes", "deadlines_missed", "breakdowns")


def historical_delays(info: CaseInfo) -> dict[tuple[str, str], dict[str, Any]]:
    """Historical values of each track's delays, from the record's dates.

    ``ratification_delay_days`` = ratified - signed, ``talks_days`` = concluded -
    launch of talks (an input), ``days_to_agreement`` = agreement - launch.
    """
    firsts: dict[tuple[str, str], dict[str, Any]] = {}
    for t in info.targets:
        firsts.setdefault((t["track"], t["milestone"]), t)
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for track, data in info.tracks.items():

        def date(milestone: str, track: str = track) -> pd.Timestamp | None:
            t = firsts.get((track, milestone))
            return None if t is None else to_day(t["date"])

        start = to_day(data.get("talks_start"))
        pairs = {
            "ratification_delay_days": (
                date("signed"),
                date("ratified"),
                "signature to ratification",
            ),
            "talks_days": (start, date("concluded"), "launch of talks to conclusion"),
            "days_to_agreement": (start, date("agreement"), "launch of talks to agreement"),
        }
        for outcome, (a, b, what) in pairs.items():
            if a is not None and b is not None:
                out[(track, outcome)] = {
                    "value": float((b - a).days),
                    "label": f"historical {what}: {a.date()} to {b.date()}",
                }
    for t in info.outcome_targets:
        out[(t["track"], t["outcome"])] = {
            "value": float(t["value"]),
            "label": f"historical ({t['source']})",
        }
    return out


@dataclass
class Study:
    """A saved study directory, read back: spec, runs table, case record."""

    directory: Path
    spec: dict[str, Any]
    runs: pd.DataFrame
    info: CaseInfo
    summary: dict[str, Any] = field(default_factory=dict)

    @property
    def tracks(self) -> list[str]:
        return list(
            dict.fromkeys(
                c.split(".", 1)[0]
                for c in self.runs.columns
                if "." in c and not c.startswith("drawn.")
            )
        )


def load_study(directory: str | Path) -> Study:
    """Read a Monte Carlo study directory (study.json, runs/chunk-*.parquet, summary.json)."""
    directory = Path(directory)
    if not (directory / "study.json").is_file():
        raise FileNotFoundError(f"{directory}: not a study directory (no study.json)")
    record = json.loads((directory / "study.json").read_text())
    spec = record.get("spec", {})
    paths = sorted((directory / "runs").glob("chunk-*.parquet"))
    if not paths:
        raise FileNotFoundError(
            f"{directory}: the study has no finished runs (runs/chunk-*.parquet)"
        )
    runs = pd.concat([pd.read_parquet(p) for p in paths], ignore_index=True)
    runs = runs.sort_values("run_id", kind="stable").reset_index(drop=True)
    if "error" in runs.columns:
        runs = runs[runs["error"].fillna("") == ""].reset_index(drop=True)
    summary = {}
    if (directory / "summary.json").is_file():
        summary = json.loads((directory / "summary.json").read_text())
    info = case_info(spec.get("case", "?"), spec.get("variant"))
    # days from the launch of talks to agreement, for dispute tracks
    for track in list(
        dict.fromkeys(c.split(".", 1)[0] for c in runs.columns if c.endswith(".agreement"))
    ):
        a = pd.to_datetime(runs.get(f"{track}.talks_launched"), errors="coerce")
        b = pd.to_datetime(runs[f"{track}.agreement"], errors="coerce")
        runs[f"{track}.days_to_agreement"] = (b - a).dt.days.astype("float")
    return Study(directory, spec, runs, info, summary)


def percentile_of(values: np.ndarray, x: float) -> float:
    """Share of ``values`` below ``x`` (ties count half), in percent."""
    values = values[~np.isnan(values)]
    if not values.size:
        return math.nan
    return float(100.0 * (np.sum(values < x) + 0.5 * np.sum(values == x)) / values.size)


def column_values(table: pd.DataFrame, column: str) -> np.ndarray:
    if column not in table.columns:
        return np.array([], dtype=float)
    values = pd.to_numeric(table[column], errors="coerce").to_numpy(dtype=float)
    return values[~np.isnan(values)]


def binned(
    values: np.ndarray, bins: int = 40, edges: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Histogram counts and edges computed in Python (a few dozen numbers per trace)."""
    if edges is None:
        lo, hi = (float(values.min()), float(values.max())) if values.size else (0.0, 1.0)
        if hi <= lo:
            lo, hi = lo - 0.5, hi + 0.5
        edges = np.linspace(lo, hi, bins + 1)
    counts, edges = np.histogram(values, bins=edges)
    return counts, edges


def is_discrete(values: np.ndarray, limit: int = 30) -> bool:
    return (
        values.size > 0
        and np.allclose(values, np.round(values))
        and np.unique(values).size <= limit
    )
