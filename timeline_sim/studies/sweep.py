"""Sweeps: each outcome's distribution along a grid of one parameter or one case field."""

from __future__ import annotations

import json
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import pandas as pd

from timeline_sim.cases.loading import CaseError, _apply_changes, load_case, read_toml
from timeline_sim.models.params import Params
from timeline_sim.studies.montecarlo import run_many
from timeline_sim.studies.spec import ExecutionOptions, StudySpec
from timeline_sim.studies.summary import describe, numeric_columns


def sweep(
    spec: StudySpec,
    param: str,
    values: list[float],
    options: ExecutionOptions | None = None,
) -> pd.DataFrame:
    """Each outcome's distribution along a grid of one parameter of the study ``spec``.

    ``param`` is a dotted parameter name (``ratification.rural_weight``) or a
    dotted path into the case file (``legislature.rural_members.value``).
    Every grid point uses the same seed, so differences along the grid are paired.
    """
    is_param = param in Params().flat()
    rows = []
    for value in values:
        if is_param:
            point = replace(spec, param_changes={**spec.param_changes, param: value})
        else:
            point = _with_case_change(replace(spec, keep_events=0), param, value)
        table = run_many(point, options)
        for track, outcomes in numeric_columns(table).items():
            for outcome in outcomes:
                stats = describe(table[f"{track}.{outcome}"])
                rows.append(
                    {"param": param, "value": value, "track": track, "outcome": outcome, **stats}
                )
    return pd.DataFrame(rows)


def _with_case_change(spec: StudySpec, path: str, value: float) -> StudySpec:
    """A spec whose case is a copy of the file with one field changed (validated)."""
    original = load_case(spec.case)
    text = original.path.read_text()
    raw = read_toml(original.path)
    problems = _apply_changes(raw, {path: value})
    if problems:
        raise CaseError(original.path, problems)
    directory = Path(tempfile.mkdtemp(prefix="timeline-sim-sweep-"))
    changed = directory / original.path.name
    changed.write_text(_toml_dump(raw) if text else "")
    load_case(changed)  # validate now, not in a worker
    return StudySpec(
        str(changed), spec.runs, spec.seed, spec.variant, spec.param_changes, spec.uncertain, 0
    )


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return (
            "{ " + ", ".join(f"{json.dumps(k)} = {_toml_value(v)}" for k, v in value.items()) + " }"
        )
    raise TypeError(f"cannot write {type(value).__name__} to TOML")


def _toml_dump(data: dict[str, Any]) -> str:
    """Write a case (as read) back to TOML: every top-level key as inline values."""
    return "".join(f"{json.dumps(k)} = {_toml_value(v)}\n" for k, v in data.items())
