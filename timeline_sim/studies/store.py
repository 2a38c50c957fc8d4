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
        for key in ("spec", "case_sha256", "chunk_size"):
            if saved.get(key) != record[key]:
                what = {
                    "spec": "its case, variant, seed, runs or options",
                    "case_sha256": "its case file",
                    "chunk_size": "its chunk size",
                }[key]
                raise StudyError(
                    f"--resume {out}: that study differs in {what}; resume it with its own options"
                )
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
    """One runs table from chunks, ordered by run id."""
    table = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    return table.sort_values("run_id", kind="stable").reset_index(drop=True)


def read_runs(directory: Path) -> pd.DataFrame:
    """The runs table of a study directory (every finished chunk)."""
    paths = sorted((Path(directory) / "runs").glob("chunk-*.parquet"))
    return ordered([pd.read_parquet(p) for p in paths])
