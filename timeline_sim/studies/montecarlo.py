"""Monte Carlo studies: many runs of a case, chunk by chunk, on any backend.

A study is a function of its specification alone (:class:`StudySpec`); how it
is executed (:class:`ExecutionOptions`) never changes the runs table. With an
output directory every finished chunk is written at once (see
:mod:`timeline_sim.studies.store`), so an interrupted study can be resumed.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from timeline_sim.output.files import write_atomic
from timeline_sim.studies.backends import chunks, run_chunks
from timeline_sim.studies.spec import ExecutionOptions, StudyError, StudySpec
from timeline_sim.studies.store import chunk_path, ordered, prepare_directory
from timeline_sim.studies.summary import Accumulator


def _label(spec: StudySpec, name: str) -> str:
    """What a progress bar says it is running: the case, its variant, any changes."""
    changes = {**spec.param_changes, **getattr(spec, "case_changes", {})}
    return " ".join(
        [name]
        + ([f"[{spec.variant}]"] if spec.variant else [])
        + [f"{k}={v:g}" for k, v in changes.items()]
    )


def progress_bar(spec: StudySpec, name: str, done: int, shown: bool) -> Any:
    """A progress bar of the study's runs on stderr (rate, ETA), or None.

    Quiet unless ``shown`` and stderr is a terminal, so piped or logged output
    stays clean.
    """
    if not shown or not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    try:  # a terminal that reports no size (some consoles) gets 80 by 24: tqdm would stay blank
        size = os.get_terminal_size(sys.stderr.fileno())
        known = size.columns > 0 and size.lines > 0
    except (OSError, ValueError, AttributeError):
        known = False
    return tqdm(
        total=spec.runs,
        initial=done,
        desc=_label(spec, name),
        unit="run",
        file=sys.stderr,
        dynamic_ncols=known,
        ncols=None if known else 80,
        nrows=None if known else 24,
    )


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
    finished = sum(b - a for a, b in chunks(spec.runs, options.chunk_size) if a in done)
    bar = progress_bar(spec, case.name, finished, options.progress)
    try:
        for start, (rows, events) in backend:
            frame = pd.DataFrame(rows)
            if out is not None:
                write_atomic(
                    chunk_path(Path(out), start), lambda p, f=frame: f.to_parquet(p, index=False)
                )
                for run_id, log in events.items():
                    events_file = Path(out) / "events" / f"run-{run_id}.parquet"
                    write_atomic(events_file, lambda p, e=log: e.to_parquet(p, index=False))
            if bar is not None:
                bar.update(len(rows))
            yield frame
    finally:
        if bar is not None:
            bar.close()


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
