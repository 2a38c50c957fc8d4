"""Paired counterfactuals: a baseline against a variant on common random numbers.

Run ``k`` of the baseline and run ``k`` of the variant draw from the same
streams, so their difference is the variant's effect on that run; the paired
interval is much narrower than an unpaired one of the same runs. A comparison
directory (``compare --out``) holds ``baseline/`` and ``variant/`` study
directories and ``comparison.json``.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from timeline_sim.output.files import write_atomic
from timeline_sim.studies.montecarlo import run_many
from timeline_sim.studies.spec import ExecutionOptions, StudyError, StudySpec
from timeline_sim.studies.summary import numeric_columns


def compare(
    spec: StudySpec,
    variant: str,
    options: ExecutionOptions | None = None,
    out: Path | None = None,
    resume: bool = False,
) -> dict[str, Any]:
    """The study ``spec`` (its baseline) against ``variant`` on the same streams.

    For each numeric outcome: both means, the mean paired effect with a 95%
    interval, and the half-width an unpaired comparison of the same runs would
    have had (``narrowing`` = unpaired / paired half-width). ``resume`` finishes
    an interrupted comparison in ``out``.
    """
    base_spec = spec.with_variant(None)
    var_spec = spec.with_variant(variant)
    var_spec.load()  # a bad variant fails before any run
    parts: dict[str, tuple[Path | None, bool]] = {
        "baseline": (None, False),
        "variant": (None, False),
    }
    if out is not None:
        out = Path(out)
        if resume and not (out / "baseline" / "study.json").exists():
            raise StudyError(
                f"--resume {out}: no baseline/study.json there; it is not a comparison"
            )
        if not resume and out.exists() and any(out.iterdir()):
            raise StudyError(
                f"--out {out}: exists and is not empty (use --resume to finish a comparison there)"
            )
        parts = {
            name: (out / name, resume and (out / name / "study.json").exists()) for name in parts
        }
    baseline = run_many(base_spec, options, *parts["baseline"])
    alternative = run_many(var_spec, options, *parts["variant"])
    tracks: dict[str, dict[str, Any]] = {}
    numeric = numeric_columns(baseline)
    for track, outcomes in numeric.items():
        for outcome in outcomes:
            column = f"{track}.{outcome}"
            if column not in alternative.columns:
                continue
            b = pd.to_numeric(baseline[column], errors="coerce").to_numpy(dtype=float)
            v = pd.to_numeric(alternative[column], errors="coerce").to_numpy(dtype=float)
            both = ~(np.isnan(b) | np.isnan(v))
            if both.sum() < 2:
                continue
            diff = v[both] - b[both]
            n = int(both.sum())
            paired_half = 1.96 * diff.std(ddof=1) / math.sqrt(n)
            unpaired_half = 1.96 * math.sqrt(b[both].var(ddof=1) / n + v[both].var(ddof=1) / n)
            effect = float(diff.mean())
            tracks.setdefault(track, {})[outcome] = {
                "baseline_mean": float(b[both].mean()),
                "variant_mean": float(v[both].mean()),
                "effect": effect,
                "ci_low": effect - paired_half,
                "ci_high": effect + paired_half,
                "unpaired_ci_half_width": unpaired_half,
                "narrowing": (unpaired_half / paired_half) if paired_half > 0 else None,
                "n": n,
            }
    result = {
        "case": base_spec.load().name,
        "variant": variant,
        "runs": spec.runs,
        "seed": spec.seed,
        "tracks": tracks,
    }
    if out is not None:
        write_atomic(
            Path(out) / "comparison.json",
            lambda p: p.write_text(json.dumps(result, indent=2) + "\n"),
        )
    return result
