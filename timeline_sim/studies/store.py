"""A study directory on disk: its record, its chunks of runs, reading them back.

- ``study.json``: the specification (with the case file's hash) and package version;
- ``runs/chunk-NNNNNNNN.parquet``: the runs table, one file per finished chunk,
  each written atomically, so an interrupted study loses only unfinished chunks
  and ``--resume`` completes it;
- ``events/run-K.parquet``: event logs of the first ``keep_events`` runs, if asked;
- ``summary.json``: the summary printed at the end.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pandas as pd

from timeline_sim.cases.loading import LoadedCase
from timeline_sim.output.files import write_atomic
from timeline_sim.studies.spec import StudyError, StudySpec
from timeline_sim.version import __version__


def spec_record(spec: StudySpec, case: LoadedCase, chunk_size: int) -> dict[str, Any]:
    """What ``study.json`` records: the spec, the case file's hash, the chunk size, the version."""
    return {
        "spec": asdict(spec),
        "case_sha256": case.digest,
        "chunk_size": chunk_size,
        "package_version": __version__,
    }


class StudyRecordMismatch(Exception):
    """A saved study's record differs from the one asked for (the message names each option)."""


def _as_option(key: str, value: Any) -> str:
    """How a field of a study's record is given on the command line."""
    if key == "case":
        return f"the case {value}"
    if key == "case_sha256":
        return f"a case file of SHA-256 {str(value)[:12]}..."
    if key == "variant":
        return "no --variant" if value is None else f"--variant {value}"
    if key == "uncertain":
        return "no --point" if value else "--point"
    if key == "values":
        return "--values " + ",".join(f"{v:g}" for v in value)
    if key in ("param_changes", "case_changes"):
        changes = ", ".join(f"{k} = {v:g}" for k, v in sorted(value.items())) or "none"
        return f"{key.replace('_', ' ')} {changes}"
    option = {"chunk_size": "--chunk", "keep_events": "--keep-events"}.get(key, f"--{key}")
    return f"{option} {value}"


def _fields(record: dict[str, Any]) -> dict[str, Any]:
    """A record's fields, with those of its ``spec`` at the top level."""
    flat = {k: v for k, v in record.items() if k != "spec"}
    flat.update(record.get("spec", {}))
    return flat


def compare_records(saved: dict[str, Any], record: dict[str, Any], keys: tuple[str, ...]) -> None:
    """Raise :class:`StudyRecordMismatch` naming every option in ``keys`` that differs."""
    old, new = _fields(saved), _fields(record)
    differ = [k for k in keys if old.get(k) != new.get(k)]
    if differ:
        what = "; ".join(
            f"it was run with {_as_option(k, old.get(k))}, not {_as_option(k, new.get(k))}"
            for k in differ
        )
        raise StudyRecordMismatch(
            f"that study differs: {what}; resume it with its own options, or start a new one "
            "with --out"
        )


#: the fields of ``study.json`` that a resumed study must share
RESUME_KEYS = (
    "case",
    "variant",
    "runs",
    "seed",
    "param_changes",
    "case_changes",
    "uncertain",
    "keep_events",
    "case_sha256",
    "chunk_size",
)


def prepare_directory(
    out: Path, spec: StudySpec, case: LoadedCase, chunk_size: int, resume: bool
) -> set[int]:
    """Make ``out`` a study directory (or check it is this study's, to resume); the chunks done."""
    record = spec_record(spec, case, chunk_size)
    study_file = out / "study.json"
    if resume:
        if not study_file.exists():
            raise StudyError(f"--resume {out}: no study.json there; it is not a study directory")
        saved = json.loads(study_file.read_text())
        keys = RESUME_KEYS + tuple(k for k in record["spec"] if k not in RESUME_KEYS)
        try:
            compare_records(saved, record, keys)
        except StudyRecordMismatch as exc:
            raise StudyError(f"--resume {out}: {exc}") from None
        done = set()
        for path in (out / "runs").glob("chunk-*.parquet"):
            done.add(int(path.stem.split("-")[1]))
        return done
    if out.exists() and any(out.iterdir()):
        raise StudyError(
            f"--out {out}: exists and is not empty (use --resume to finish a study there)"
        )
    write_atomic(
        study_file, lambda p: p.write_text(json.dumps(record, indent=2, default=str) + "\n")
    )
    return set()


def chunk_path(directory: Path, start: int) -> Path:
    """Where the chunk of runs starting at ``start`` is kept."""
    return directory / "runs" / f"chunk-{start:08d}.parquet"


def ordered(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """One runs table from chunks, ordered by run id.

    The chunks are put in run order before they are joined, so the columns (a
    chunk lacks those of milestones none of its runs reached) come in the same
    order whichever chunk finished first.
    """
    filled = sorted((f for f in frames if len(f)), key=lambda f: int(f["run_id"].min()))
    if not filled:
        return frames[0].copy() if frames else pd.DataFrame()
    table = pd.concat(filled, ignore_index=True)
    return table.sort_values("run_id", kind="stable").reset_index(drop=True)


def read_runs(directory: Path) -> pd.DataFrame:
    """The runs table of a study directory (every finished chunk)."""
    paths = sorted((Path(directory) / "runs").glob("chunk-*.parquet"))
    return ordered([pd.read_parquet(p) for p in paths])
