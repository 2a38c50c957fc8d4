"""Monte Carlo studies: many runs of a case, chunk by chunk, on any backend.

A study is a function of its specification alone (:class:`StudySpec`); how it
is executed (:class:`ExecutionOptions`) never changes the runs table. With an
output directory every finished chunk is written at once (see
:mod:`timeline_sim.studies.store`), so an interrupted study can be resumed.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from timeline_sim.output.files import write_atomic
from timeline_sim.studies.backends import chunks, run_chunks
from timeline_sim.studies.spec import ExecutionOptions, StudyError, StudySpec
from timeline_sim.studies.store import chunk_path, ordered, prepare_directory
from timeline_sim.studies.summary import Accumulator


def _progress(done: int, total: int, started: float) -> None:
    if not sys.stderr.isatty():
        return
    rate = done / max(time.time() - started, 1e-9)
    width = 30
    filled = int(width * done / max(total, 1))
    sys.stderr.write(
        f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} runs, {rate:,.0f} runs/s"
    )
    sys.stderr.flush()
    if done >= total:
        sys.stderr.write("\n")


def iterate_chunks(
    spec: StudySpec,
    options: ExecutionOptions | None = None,
    out: Path | None = None,
    resume: bool = False,
) -> Iterator[pd.DataFrame]:
    """Run a study chunk by chunk, yielding each chunk's rows as they finish.

    With ``out`` every chunk is first written atomically to the study directory;
    on ``resume`` the chunks already there are read back (one at a time) and only
    the missing ones are run.
    """
    options = options or ExecutionOptions()
    if spec.runs < 1:
        raise StudyError(f"runs must be at least 1, got {spec.runs}")
    case = spec.load()
    todo = chunks(spec.runs, options.chunk_size)
    done: set[int] = set()
    if out is not None:
        done = prepare_directory(Path(out), spec, case, options.chunk_size, resume)
        for start in sorted(done):
            yield pd.read_parquet(chunk_path(Path(out), start))
        todo = [(a, b) for a, b in todo if a not in done]
    backend = run_chunks(spec, todo, options)
    started = time.time()
    finished = sum(b - a for a, b in chunks(spec.runs, options.chunk_size) if a in done)
    for start, (rows, events) in backend:
        frame = pd.DataFrame(rows)
        if out is not None:
            write_atomic(
                chunk_path(Path(out), start), lambda p, f=frame: f.to_parquet(p, index=False)
            )
            for run_id, log in events.items():
                events_file = Path(out) / "events" / f"run-{run_id}.parquet"
                write_atomic(events_file, lambda p, e=log: e.to_parquet(p, index=False))
        finished += len(rows)
        if options.progress:
            _progress(finished, spec.runs, started)
        yield frame


def run_many(
    spec: StudySpec,
    options: ExecutionOptions | None = None,
    out: Path | None = None,
    resume: bool = False,
) -> pd.DataFrame:
    """Run a study and return its runs table (one row per run, ordered by run id)."""
    return ordered(list(iterate_chunks(spec, options, out, resume)))


def summarise_study(
    spec: StudySpec,
    options: ExecutionOptions | None = None,
    out: Path | None = None,
    resume: bool = False,
) -> dict[str, Any]:
    """Run a study in summary mode: the runs table is never held whole in memory.

    Each chunk is reduced to compact numeric columns (outcomes, and milestones as
    day numbers) as it arrives; only those are kept, about 8 bytes per run and column.
    """
    acc = Accumulator(spec.load())
    for frame in iterate_chunks(spec, options, out, resume):
        acc.add(frame)
    return acc.summary(spec)
