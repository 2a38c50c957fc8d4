"""Presenting a run: the dated chronology, the targets table, files on disk.

Writing is all-or-nothing: files go to a temporary directory beside the
destination, which is renamed into place only when every file is written.
"""

from __future__ import annotations

import json
import math
import os
import platform
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd

import timeline_sim
from timeline_sim.case import LoadedCase
from timeline_sim.params import Params
from timeline_sim.runner import RunResult

#: Event kinds left out of the printed chronology (they are in the event table).
QUIET_EVENTS = {"offer", "mobilisation", "session_opens", "session_closes"}


def chronology(result: RunResult, verbose: bool = False) -> str:
    """The dated chronology of a run as text, one event a line."""
    lines = []
    for row in result.events.itertuples(index=False):
        if not verbose and row.event in QUIET_EVENTS:
            continue
        value = "" if isinstance(row.value, float) and math.isnan(row.value) else _short(row.value)
        detail = row.detail if len(row.detail) <= 90 else row.detail[:87] + "..."
        lines.append(
            f"{row.date}  {row.track:<11} {row.actor[:22]:<22} {row.event:<20} {value:>10}  {detail}"
        )
    return "\n".join(lines)


def _short(value: float) -> str:
    if abs(value) >= 1e6:
        return f"{value:,.3g}"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.3g}"


def targets_table(result: RunResult) -> str:
    """Historical against simulated milestones, with the error in days."""
    lines = [
        f"{'track':<11} {'milestone':<17} {'historical':<11} {'simulated':<11} {'error (days)':>12}"
    ]
    for row in result.targets:
        error = "not reached" if row["error_days"] is None else f"{row['error_days']:+d}"
        simulated = row["simulated"] or "-"
        lines.append(
            f"{row['track']:<11} {row['milestone']:<17} {row['historical']:<11} {simulated:<11} {error:>12}"
        )
    mae = result.mean_abs_error_days
    reached = sum(1 for row in result.targets if row["error_days"] is not None)
    lines.append(
        f"mean absolute error: {'-' if mae is None else f'{mae:.0f} days'} "
        f"over {reached} of {len(result.targets)} targets reached"
    )
    if result.outcome_targets:
        lines.append("")
        lines.append(f"{'track':<11} {'outcome':<20} {'historical':>14} {'simulated':>14}")
        for row in result.outcome_targets:
            simulated = "-" if row["simulated"] is None else f"{row['simulated']:,.4g}"
            lines.append(
                f"{row['track']:<11} {row['outcome']:<20} {row['historical']:>14,.4g} {simulated:>14}"
            )
    lines.append(f"per-case tuning knobs: {result.tuning_knobs}")
    return "\n".join(lines)


def metadata(case: LoadedCase, params: Params, result: RunResult) -> dict[str, Any]:
    """What is needed to reproduce a run: case hash, package version, seed, parameters."""
    import numpy
    import simpy

    return {
        "case": case.name,
        "case_file": str(case.path),
        "case_sha256": case.digest,
        "variant": case.variant,
        "seed": result.seed,
        "run": result.run_id,
        "package_version": timeline_sim.__version__,
        "python": platform.python_version(),
        "simpy": simpy.__version__,
        "numpy": numpy.__version__,
        "pandas": pd.__version__,
        "tuning_knobs": result.tuning_knobs,
        "params": params.flat(),
    }


def write_replay(out: Path, case: LoadedCase, params: Params, result: RunResult) -> None:
    """Write the event log, state trajectories, targets, summary and metadata to ``out``.

    Nothing is left half-written: on any failure the destination is untouched.
    """
    out = Path(out)
    parent = out.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=parent))
    try:
        result.events.to_csv(staging / "events.csv", index=False)
        result.states.to_csv(staging / "states.csv", index=False)
        pd.DataFrame(result.targets).to_csv(staging / "targets.csv", index=False)
        (staging / "summary.json").write_text(json.dumps(result.to_json(), indent=2) + "\n")
        (staging / "metadata.json").write_text(
            json.dumps(metadata(case, params, result), indent=2, default=str) + "\n"
        )
        if out.exists():
            backup = Path(tempfile.mkdtemp(prefix=f".{out.name}.old.", dir=parent))
            os.replace(out, backup / out.name)
            os.replace(staging, out)
            shutil.rmtree(backup, ignore_errors=True)
        else:
            os.replace(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
