"""Monte Carlo studies: many runs of a case, paired counterfactuals and sweeps.

A study is a function of its specification alone: case, variant, parameter
changes, seed and number of runs. Run ``k`` (1, 2, ...) draws from the k-th
child spawned from ``SeedSequence(seed)``, so the runs table is identical
whatever the number of workers, the chunking or the backend, and any run can be
replayed alone (``timeline-sim replay CASE --seed S --run K``).

On disk a study directory holds

- ``study.json``: the specification (with the case file's hash) and package version;
- ``runs/chunk-NNNNNNNN.parquet``: the runs table, one file per finished chunk,
  each written atomically, so an interrupted study loses only unfinished chunks
  and ``--resume`` completes it;
- ``events/run-K.parquet``: event logs of the first ``keep_events`` runs, if asked;
- ``summary.json``: the summary printed at the end.

A comparison directory (``compare --out``) holds ``baseline/`` and ``variant/``
study directories and ``comparison.json`` (the effects and their intervals).
"""

from __future__ import annotations

import json
import math
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

import timeline_sim
from timeline_sim.calendar import HistoricalDate
from timeline_sim.case import CaseError, LoadedCase, load_case
from timeline_sim.params import Params
from timeline_sim.runner import run_one

DEFAULT_CHUNK = 250
PERCENTILES = (5, 50, 95)


class StudyError(Exception):
    """A study cannot be run or resumed as asked."""


@dataclass(frozen=True)
class StudySpec:
    """Everything that determines a study's results."""

    case: str
    runs: int
    seed: int = 0
    variant: str | None = None
    param_changes: dict[str, Any] = field(default_factory=dict)
    uncertain: bool = True
    keep_events: int = 0

    def load(self) -> LoadedCase:
        return load_case(self.case, variant=self.variant)

    def params(self) -> Params:
        return Params().replace(**self.param_changes)


# ------------------------------------------------------------------ one chunk


def flatten(result) -> dict[str, Any]:
    """One row of the runs table from one run's result."""
    row: dict[str, Any] = {"run_id": result.run_id, "seed_path": f"{result.seed}/{result.run_id}"}
    for name, value in result.drawn.items():
        row[f"drawn.{name}"] = value
    for track, data in result.tracks.items():
        for milestone, date in data["milestones"].items():
            row[f"{track}.{milestone}"] = date
            row[f"{track}.reached_{milestone}"] = int(date is not None)
        for outcome, value in data["outcomes"].items():
            if isinstance(value, list):
                if outcome == "products_liberalised":
                    row[f"{track}.{outcome}"] = ", ".join(value)
                continue
            row[f"{track}.{outcome}"] = value
    row["error"] = ""
    return row


def run_chunk(
    spec: StudySpec, start: int, stop: int
) -> tuple[list[dict[str, Any]], dict[int, pd.DataFrame]]:
    """Runs ``start`` to ``stop - 1`` of a study; a run that fails records its error."""
    case = spec.load()
    params = spec.params()
    rows, events = [], {}
    for run_id in range(start, stop):
        try:
            result = run_one(case, params, seed=spec.seed, run_id=run_id, uncertain=spec.uncertain)
        except Exception as exc:  # recorded in the table, never lost silently
            rows.append(
                {"run_id": run_id, "seed_path": f"{spec.seed}/{run_id}", "error": repr(exc)}
            )
            continue
        rows.append(flatten(result))
        if run_id <= spec.keep_events:
            events[run_id] = result.events
    return rows, events


def chunks(runs: int, size: int) -> list[tuple[int, int]]:
    """Run-id ranges ``[start, stop)`` covering runs 1..runs."""
    return [(start, min(start + size, runs + 1)) for start in range(1, runs + 1, size)]


# ------------------------------------------------------------------ backends


def _local(spec: StudySpec, todo: list[tuple[int, int]], workers: int) -> Iterator:
    if workers <= 1:
        for start, stop in todo:
            yield start, run_chunk(spec, start, stop)
        return
    with ProcessPoolExecutor(workers) as pool:
        futures = {pool.submit(run_chunk, spec, start, stop): start for start, stop in todo}
        try:
            for future in as_completed(futures):
                # drop our reference once consumed, so finished chunks do not pile up in memory
                yield futures.pop(future), future.result()
        except BaseException:
            for future in futures:
                future.cancel()
            raise


def _dask(spec: StudySpec, todo: list[tuple[int, int]], scheduler: str) -> Iterator:
    try:
        from distributed import Client
        from distributed import as_completed as dask_completed
    except ImportError:  # pragma: no cover
        raise StudyError(
            "--scheduler needs Dask's distributed scheduler: pip install 'dask[distributed]'"
        ) from None
    try:
        client = Client(scheduler, timeout="10s")
    except OSError as exc:
        raise StudyError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
    try:
        futures = {
            client.submit(run_chunk, spec, start, stop, pure=False): start for start, stop in todo
        }
        for future in dask_completed(futures):
            start, result = futures.pop(future), future.result()
            future.release()
            yield start, result
    finally:
        client.close()


# ------------------------------------------------------------------ the study


def _write_atomic(path: Path, write: Callable[[Path], None]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _spec_record(spec: StudySpec, case: LoadedCase, chunk_size: int) -> dict[str, Any]:
    return {
        "spec": asdict(spec),
        "case_sha256": case.digest,
        "chunk_size": chunk_size,
        "package_version": timeline_sim.__version__,
    }


def _prepare_directory(
    out: Path, spec: StudySpec, case: LoadedCase, chunk_size: int, resume: bool
) -> set[int]:
    record = _spec_record(spec, case, chunk_size)
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
    _write_atomic(
        study_file, lambda p: p.write_text(json.dumps(record, indent=2, default=str) + "\n")
    )
    return set()


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


def _chunk_path(directory: Path, start: int) -> Path:
    """Where the chunk of runs starting at ``start`` is kept."""
    return directory / "runs" / f"chunk-{start:08d}.parquet"


def iterate_chunks(
    spec: StudySpec,
    workers: int = 1,
    scheduler: str | None = None,
    out: Path | None = None,
    resume: bool = False,
    chunk_size: int = DEFAULT_CHUNK,
    progress: bool = False,
) -> Iterator[pd.DataFrame]:
    """Run a study chunk by chunk, yielding each chunk's rows as they finish.

    With ``out`` every chunk is first written atomically to the study directory;
    on ``resume`` the chunks already there are read back (one at a time) and only
    the missing ones are run.
    """
    if spec.runs < 1:
        raise StudyError(f"runs must be at least 1, got {spec.runs}")
    case = spec.load()
    todo = chunks(spec.runs, chunk_size)
    done: set[int] = set()
    if out is not None:
        done = _prepare_directory(Path(out), spec, case, chunk_size, resume)
        for start in sorted(done):
            yield pd.read_parquet(_chunk_path(Path(out), start))
        todo = [(a, b) for a, b in todo if a not in done]
    backend = _dask(spec, todo, scheduler) if scheduler else _local(spec, todo, workers)
    started = time.time()
    finished = sum(b - a for a, b in chunks(spec.runs, chunk_size) if a in done)
    for start, (rows, events) in backend:
        frame = pd.DataFrame(rows)
        if out is not None:
            _write_atomic(
                _chunk_path(Path(out), start), lambda p, f=frame: f.to_parquet(p, index=False)
            )
            for run_id, log in events.items():
                events_file = Path(out) / "events" / f"run-{run_id}.parquet"
                _write_atomic(events_file, lambda p, e=log: e.to_parquet(p, index=False))
        finished += len(rows)
        if progress:
            _progress(finished, spec.runs, started)
        yield frame


def run_many(
    spec: StudySpec,
    workers: int = 1,
    scheduler: str | None = None,
    out: Path | None = None,
    resume: bool = False,
    chunk_size: int = DEFAULT_CHUNK,
    progress: bool = False,
) -> pd.DataFrame:
    """Run a study and return its runs table (one row per run, ordered by run id)."""
    frames = list(iterate_chunks(spec, workers, scheduler, out, resume, chunk_size, progress))
    return _ordered(frames)


def summarise_study(
    spec: StudySpec,
    workers: int = 1,
    scheduler: str | None = None,
    out: Path | None = None,
    resume: bool = False,
    chunk_size: int = DEFAULT_CHUNK,
    progress: bool = False,
) -> dict[str, Any]:
    """Run a study in summary mode: the runs table is never held whole in memory.

    Each chunk is reduced to compact numeric columns (outcomes, and milestones as
    day numbers) as it arrives; only those are kept, about 8 bytes per run and column.
    """
    case = spec.load()
    acc = Accumulator(case)
    for frame in iterate_chunks(spec, workers, scheduler, out, resume, chunk_size, progress):
        acc.add(frame)
    return acc.summary(spec)


def _ordered(frames: list[pd.DataFrame]) -> pd.DataFrame:
    table = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    return table.sort_values("run_id", kind="stable").reset_index(drop=True)


def read_runs(directory: Path) -> pd.DataFrame:
    """The runs table of a study directory (every finished chunk)."""
    paths = sorted((Path(directory) / "runs").glob("chunk-*.parquet"))
    return _ordered([pd.read_parquet(p) for p in paths])


# ------------------------------------------------------------------ summaries


def _numeric_columns(table: pd.DataFrame) -> dict[str, list[str]]:
    by_track: dict[str, list[str]] = {}
    for column in table.columns:
        if "." not in column or column.startswith("drawn."):
            continue
        track, outcome = column.split(".", 1)
        series = table[column]
        if pd.api.types.is_bool_dtype(series) or not pd.api.types.is_numeric_dtype(series):
            continue
        by_track.setdefault(track, []).append(outcome)
    return by_track


def _stats(values: pd.Series | np.ndarray) -> dict[str, float | None]:
    clean = np.asarray(pd.to_numeric(pd.Series(values), errors="coerce").dropna(), dtype=float)
    if clean.size == 0:
        return {"mean": None, "p5": None, "p50": None, "p95": None, "n": 0}
    p5, p50, p95 = np.percentile(clean, PERCENTILES)
    return {
        "mean": float(clean.mean()),
        "p5": float(p5),
        "p50": float(p50),
        "p95": float(p95),
        "n": int(clean.size),
    }


def percentile_of(values: Iterable[float], x: float) -> float:
    """Share of ``values`` below ``x`` (ties count half), in percent."""
    arr = np.asarray(
        [v for v in values if v is not None and not (isinstance(v, float) and math.isnan(v))],
        dtype=float,
    )
    if arr.size == 0:
        return math.nan
    return float(100.0 * (np.sum(arr < x) + 0.5 * np.sum(arr == x)) / arr.size)


class Accumulator:
    """Compact numeric columns of a runs table, gathered chunk by chunk."""

    def __init__(self, case: LoadedCase):
        self.case = case
        self.start = pd.Timestamp(case.model.start_date.day)
        self.columns: dict[str, list[np.ndarray]] = {}
        self.dates: dict[str, list[np.ndarray]] = {}
        self.runs = 0
        self.errors = 0

    def add(self, frame: pd.DataFrame) -> None:
        """Reduce one chunk (or a whole table) and keep its numeric columns."""
        self.runs += len(frame)
        if "error" in frame.columns:
            self.errors += int((frame["error"].fillna("") != "").sum())
        for column in frame.columns:
            if "." not in column or column.startswith("drawn."):
                continue
            series = frame[column]
            if pd.api.types.is_bool_dtype(series):
                continue
            if pd.api.types.is_numeric_dtype(series):
                self.columns.setdefault(column, []).append(series.to_numpy(dtype=float))
            elif column.split(".", 1)[1] in _milestone_names(self.case):
                days = (pd.to_datetime(series, errors="coerce") - self.start).dt.days
                self.dates.setdefault(column, []).append(days.to_numpy(dtype=float))

    def values(self, column: str) -> np.ndarray:
        return np.concatenate(self.columns[column]) if column in self.columns else np.array([])

    def days(self, column: str) -> np.ndarray | None:
        return np.concatenate(self.dates[column]) if column in self.dates else None

    def summary(self, spec: StudySpec) -> dict[str, Any]:
        """Per track and outcome: mean, p5, p50, p95; milestone probabilities; history placed."""
        case = self.case
        tracks: dict[str, dict[str, Any]] = {}
        for column in self.columns:
            track, outcome = column.split(".", 1)
            tracks.setdefault(track, {})[outcome] = _stats(self.values(column))
        milestones: dict[str, dict[str, Any]] = {}
        history: list[dict[str, Any]] = []
        for target in case.model.targets:
            days = self.days(f"{target.track}.{target.milestone}")
            if days is None:
                continue
            when = HistoricalDate.parse(target.date)
            historical_day = (pd.Timestamp(when.date) - self.start).days
            reached = ~np.isnan(days)
            by_history = float(np.mean(days <= historical_day)) if days.size else math.nan
            median = None
            if reached.any():
                median = str(
                    (self.start + pd.Timedelta(days=float(np.median(days[reached])))).date()
                )
            milestones.setdefault(target.track, {})[target.milestone] = {
                "p_reached": float(reached.mean()) if days.size else math.nan,
                f"p_by_{when}": by_history,
                "median_date": median,
            }
            history.append(
                {
                    "track": target.track,
                    "milestone": target.milestone,
                    "historical": str(when),
                    "percentile": 100.0 * by_history,
                }
            )
        for target in getattr(case.model, "outcome_targets", []):
            column = f"{target.track}.{target.outcome}"
            if column in self.columns:
                history.append(
                    {
                        "track": target.track,
                        "outcome": target.outcome,
                        "historical": target.value,
                        "percentile": percentile_of(self.values(column), target.value),
                    }
                )
        return {
            "case": case.name,
            "variant": case.variant,
            "runs": self.runs,
            "seed": spec.seed,
            "errors": self.errors,
            "tracks": tracks,
            "milestones": milestones,
            "history": history,
        }


def _milestone_names(case: LoadedCase) -> set[str]:
    return {target.milestone for target in case.model.targets} | {
        "talks_launched",
        "concluded",
        "signed",
        "ratified",
        "agreement",
        "sanctions_list",
    }


def summarise(table: pd.DataFrame, case: LoadedCase, spec: StudySpec) -> dict[str, Any]:
    """The summary of a whole runs table (see :class:`Accumulator`)."""
    acc = Accumulator(case)
    acc.add(table)
    return acc.summary(spec)


def summary_json(summary: dict[str, Any]) -> dict[str, Any]:
    """The stable ``--json`` shape: case, runs, seed, tracks -> outcome -> mean/p5/p50/p95."""
    return {
        "case": summary["case"],
        "runs": summary["runs"],
        "seed": summary["seed"],
        "tracks": {
            track: {o: {k: s[k] for k in ("mean", "p5", "p50", "p95")} for o, s in outcomes.items()}
            for track, outcomes in summary["tracks"].items()
        },
    }


# ------------------------------------------------------------------ counterfactuals


def compare(
    case: str,
    variant: str,
    runs: int,
    seed: int = 0,
    workers: int = 1,
    scheduler: str | None = None,
    param_changes: dict[str, Any] | None = None,
    out: Path | None = None,
) -> dict[str, Any]:
    """Baseline against variant on the same streams (common random numbers).

    For each numeric outcome: both means, the mean paired effect with a 95%
    interval, and the half-width an unpaired comparison of the same runs would
    have had (``narrowing`` = unpaired / paired half-width).
    """
    base_spec = StudySpec(case, runs, seed, None, dict(param_changes or {}))
    var_spec = StudySpec(case, runs, seed, variant, dict(param_changes or {}))
    load_case(case, variant=variant)  # a bad variant fails before any run
    if out is not None and Path(out).exists() and any(Path(out).iterdir()):
        raise StudyError(f"--out {out}: exists and is not empty")
    baseline = run_many(
        base_spec, workers, scheduler, None if out is None else Path(out) / "baseline"
    )
    alternative = run_many(
        var_spec, workers, scheduler, None if out is None else Path(out) / "variant"
    )
    tracks: dict[str, dict[str, Any]] = {}
    numeric = _numeric_columns(baseline)
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
        "runs": runs,
        "seed": seed,
        "tracks": tracks,
    }
    if out is not None:
        _write_atomic(
            Path(out) / "comparison.json",
            lambda p: p.write_text(json.dumps(result, indent=2) + "\n"),
        )
    return result


# ------------------------------------------------------------------ sweeps


def sweep(
    case: str,
    param: str,
    values: list[float],
    runs: int,
    seed: int = 0,
    workers: int = 1,
    scheduler: str | None = None,
) -> pd.DataFrame:
    """Each outcome's distribution along a grid of one shared parameter.

    ``param`` is a dotted parameter name (``ratification.rural_weight``) or a
    dotted path into the case file (``legislature.rural_members.value``).
    Every grid point uses the same seed, so differences along the grid are paired.
    """
    is_param = param in Params().flat()
    rows = []
    for value in values:
        if is_param:
            spec = StudySpec(case, runs, seed, None, {param: value})
        else:
            spec = StudySpec(case, runs, seed, None, {}, True, 0)
            spec = _with_case_change(spec, param, value)
        table = run_many(spec, workers, scheduler)
        for track, outcomes in _numeric_columns(table).items():
            for outcome in outcomes:
                stats = _stats(table[f"{track}.{outcome}"])
                rows.append(
                    {"param": param, "value": value, "track": track, "outcome": outcome, **stats}
                )
    return pd.DataFrame(rows)


def _with_case_change(spec: StudySpec, path: str, value: float) -> StudySpec:
    """A spec whose case is a copy of the file with one field changed (validated)."""
    original = load_case(spec.case)
    text = original.path.read_text()
    from timeline_sim.case import _apply_changes, read_toml

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
