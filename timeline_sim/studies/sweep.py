"""Sweeps: each outcome's distribution along a grid of one parameter or one case field.

A grid point is an ordinary study of the same seed, so differences along the
grid are paired. A parameter (``ratification.rural_weight``) is changed through
the study's parameter changes; a case field (``legislature.rural_members.value``)
is changed in memory (:meth:`LoadedCase.with_values`), in every worker, and
checked like the file itself before any run: no copy of the case is written.

With an output directory (``sweep --out DIR``) each grid point is a study
directory of its own, as ``montecarlo --out`` writes one, beside ``sweep.json``::

    DIR/sweep.json          case, parameter, grid, runs, seed, one entry per point, the table
    DIR/value-20/           the study of the first grid value (study.json, runs/, summary.json)
    DIR/value-40/           ...
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import pandas as pd

from timeline_sim.cases.checks import check_case
from timeline_sim.cases.loading import CaseError, LoadedCase
from timeline_sim.models.params import Params
from timeline_sim.output.files import write_atomic
from timeline_sim.studies.montecarlo import run_many
from timeline_sim.studies.spec import ExecutionOptions, StudyError, StudySpec
from timeline_sim.studies.store import StudyRecordMismatch, compare_records
from timeline_sim.studies.summary import describe, numeric_columns, summarise
from timeline_sim.version import __version__

SWEEP_MARKER = "timeline-sim sweep"


@dataclass(frozen=True)
class CaseFieldSpec(StudySpec):
    """A study whose case has input values changed in memory (dotted paths into the file)."""

    case_changes: dict[str, Any] = field(default_factory=dict)

    def load(self) -> LoadedCase:
        case = super().load()
        return case.with_values(self.case_changes) if self.case_changes else case


def numeric_fields(raw: Any, prefix: str = "") -> list[str]:
    """Dotted paths of the numbers of a case file (what a sweep may change).

    Entries of a list of tables are named by their index (``tracks.chile.sectors.0``).
    """
    items = raw.items() if isinstance(raw, dict) else enumerate(raw)
    out = []
    for key, value in items:
        path = f"{prefix}{key}"
        if isinstance(value, (dict, list)):
            out += numeric_fields(value, path + ".")
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            out.append(path)
    return out


def _field_value(raw: dict[str, Any], path: str) -> Any:
    node: Any = raw
    for part in path.split("."):
        if isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        elif isinstance(node, dict) and part in node:
            node = node[part]
        else:
            return None
    return node


def _unknown(param: str, case: LoadedCase) -> StudyError:
    """The error for a --param that is neither a parameter nor a number of the case."""
    params = list(Params().flat())
    numbers = numeric_fields(case.raw)
    close = difflib.get_close_matches(param, params + numbers, n=3, cutoff=0.6)
    group = param.partition(".")[0]
    groups = list(dict.fromkeys(p.partition(".")[0] for p in params))
    lines = [
        f"--param {param}: neither a parameter nor a number of the case {case.name}"
        + (f" (did you mean {' or '.join(close)}?)" if close else "")
    ]
    lines.append(f"  numbers of the case file: {', '.join(numbers) or 'none'}")
    if group in groups:
        names = [p for p in params if p.startswith(group + ".")]
        lines.append(f"  parameters of {group}: {', '.join(names)}")
    else:
        lines.append(
            f"  parameters: GROUP.NAME with GROUP one of {', '.join(groups)} "
            "(a wrong NAME in a right GROUP lists that group's parameters)"
        )
    return StudyError("\n".join(lines))


def _is_parameter(param: str, case: LoadedCase) -> bool:
    """Whether ``param`` names a parameter (True) or a number of the case file (False)."""
    if param in Params().flat():
        return True
    value = _field_value(case.raw, param)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return False
    raise _unknown(param, case)


def _point(spec: StudySpec, param: str, value: float, is_param: bool, case: LoadedCase):
    """The study of one grid value, checked now (not in a worker)."""
    if is_param:
        point = replace(spec, param_changes={**spec.param_changes, param: value})
        return point
    current = _field_value(case.raw, param)
    if isinstance(current, int) and float(value).is_integer():
        value = int(value)
    base = {f.name: getattr(spec, f.name) for f in fields(StudySpec)}
    changes = {**getattr(spec, "case_changes", {}), param: value}
    point = CaseFieldSpec(**base, case_changes=changes)
    try:
        changed = point.load()
        problems = check_case(changed.model)
        if problems:
            raise CaseError(case.path, problems)
    except CaseError as exc:
        raise StudyError(
            "\n".join(
                f"--values {value:g} for {param}: {line}" for line in exc.format().splitlines()
            )
        ) from None
    return point


def point_directory(value: float) -> str:
    """The name of a grid point's study directory in a sweep directory."""
    return f"value-{value:g}"


def sweep_record(
    spec: StudySpec, case: LoadedCase, param: str, values: list[float], is_param: bool
) -> dict[str, Any]:
    return {
        "written_by": SWEEP_MARKER,
        "case": case.name,
        "case_file": str(case.path),
        "case_sha256": case.digest,
        "variant": spec.variant,
        "param": param,
        "param_kind": "parameter" if is_param else "case field",
        "values": list(values),
        "runs": spec.runs,
        "seed": spec.seed,
        "uncertain": spec.uncertain,
        "points": [{"value": v, "directory": point_directory(v)} for v in values],
        "package_version": __version__,
    }


def _prepare(out: Path, record: dict[str, Any], resume: bool) -> None:
    sweep_file = out / "sweep.json"
    if resume:
        if not sweep_file.exists():
            raise StudyError(f"--resume {out}: no sweep.json there; it is not a sweep directory")
        saved = json.loads(sweep_file.read_text())
        try:
            compare_records(
                saved,
                record,
                ("case_sha256", "param", "values", "runs", "seed", "variant", "uncertain"),
            )
        except StudyRecordMismatch as exc:
            raise StudyError(f"--resume {out}: {exc}") from None
        return
    if out.exists() and any(out.iterdir()):
        raise StudyError(
            f"--out {out}: exists and is not empty (use --resume to finish a sweep there)"
        )
    _write_json(sweep_file, {**record, "complete": False})


def _write_json(path: Path, data: dict[str, Any]) -> None:
    write_atomic(path, lambda p: p.write_text(json.dumps(data, indent=2, default=str) + "\n"))


def sweep(
    spec: StudySpec,
    param: str,
    values: list[float],
    options: ExecutionOptions | None = None,
    out: Path | None = None,
    resume: bool = False,
) -> pd.DataFrame:
    """Each outcome's distribution along a grid of one parameter of the study ``spec``.

    ``param`` is a dotted parameter name (``ratification.rural_weight``) or a
    dotted path into the case file (``legislature.rural_members.value``).
    Every grid point uses the same seed, so differences along the grid are paired.
    With ``out`` every point's runs are kept in a study directory of its own
    (see the module's docstring); ``resume`` finishes an interrupted sweep there.
    """
    values = [float(v) for v in values]
    names = [point_directory(v) for v in values]
    if len(set(names)) < len(names):
        twice = next(v for v, n in zip(values, names, strict=True) if names.count(n) > 1)
        raise StudyError(f"--values: {twice:g} is given twice")
    case = spec.load()
    is_param = _is_parameter(param, case)
    if out is None:
        spec = replace(spec, keep_events=0)
    points = [_point(spec, param, value, is_param, case) for value in values]
    if out is not None:
        out = Path(out)
        record = sweep_record(spec, case, param, values, is_param)
        _prepare(out, record, resume)
    rows = []
    for value, point, name in zip(values, points, names, strict=True):
        directory = None if out is None else out / name
        again = resume and directory is not None and (directory / "study.json").exists()
        table = run_many(point, options, directory, again)
        if directory is not None:
            summary = summarise(table, point.load(), point)
            _write_json(directory / "summary.json", summary)
        for track, outcomes in numeric_columns(table).items():
            for outcome in outcomes:
                stats = describe(table[f"{track}.{outcome}"])
                rows.append(
                    {"param": param, "value": value, "track": track, "outcome": outcome, **stats}
                )
    result = pd.DataFrame(rows)
    if out is not None:
        _write_json(out / "sweep.json", {**record, "complete": True, "table": rows})
    return result
