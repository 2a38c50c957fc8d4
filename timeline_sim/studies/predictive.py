"""Where the record falls in the posterior predictive distribution of a case.

Runs of the case draw their parameters from the posterior (as a study's runs
do). For every target the record gives (a dated milestone, or an outcome such as
the failed votes, the concession or the side payments), the percentile of the
record among the runs: near 50% the runs centre on history; near 0% or 100%
history sits in a tail, and the row says which way. A milestone a run never
reaches counts as later than any date.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np

from timeline_sim.cases.loading import LoadedCase
from timeline_sim.engine.calendar import HistoricalDate
from timeline_sim.engine.runner import run_one
from timeline_sim.studies.evaluate import pit
from timeline_sim.studies.uncertainty import draw_uncertain


def target_percentiles(case: LoadedCase, runs: int = 500, seed: int = 0) -> list[dict[str, Any]]:
    """One row per target: the record, the predictive median and 80% range, the record's percentile."""
    results = [
        run_one(case, seed=seed, run_id=k, uncertainty=draw_uncertain) for k in range(1, runs + 1)
    ]
    rows = []
    seen: dict[tuple, int] = {}
    for target in case.model.targets:
        if (
            getattr(target, "party", None) is not None
            or getattr(target, "chamber", None) is not None
        ):
            continue
        key = (target.track, target.milestone)
        nth = seen.get(key, 0)
        seen[key] = nth + 1
        values = []
        for result in results:
            track = result.tracks[target.track]
            if target.milestone == "vote_failed":
                dates = track["outcomes"].get("failed_vote_dates") or []
                day = dates[nth] if nth < len(dates) else None
            else:
                day = track["milestones"].get(target.milestone)
            values.append(
                np.inf if day is None else float(dt.date.fromisoformat(str(day)).toordinal())
            )
        v = np.array(values)
        record = HistoricalDate.parse(target.date).date
        finite = v[np.isfinite(v)]
        label = target.milestone + (f" #{nth + 1}" if target.milestone == "vote_failed" else "")
        row = {
            "track": target.track,
            "target": label,
            "record": record.isoformat(),
            "reached": float(np.isfinite(v).mean()),
            "percentile": pit(v, float(record.toordinal())),
        }
        if len(finite):
            q = np.percentile(finite, [10, 50, 90])
            row.update(
                {
                    k: dt.date.fromordinal(int(round(x))).isoformat()
                    for k, x in zip(("p10", "p50", "p90"), q, strict=True)
                }
            )
        rows.append(row)
    for target in case.model.outcome_targets:
        values = np.array(
            [float(r.tracks[target.track]["outcomes"].get(target.outcome) or 0.0) for r in results]
        )
        q = np.percentile(values, [10, 50, 90])
        rows.append(
            {
                "track": target.track,
                "target": target.outcome,
                "record": float(target.value),
                "reached": 1.0,
                "percentile": pit(values, float(target.value)),
                "p10": float(q[0]),
                "p50": float(q[1]),
                "p90": float(q[2]),
            }
        )
    return rows
