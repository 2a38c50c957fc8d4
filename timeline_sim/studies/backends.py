"""Running chunks of a study: one chunk in a worker, chunks over local processes or Dask.

Run ``k`` (1, 2, ...) of a study draws from the k-th child spawned from
``SeedSequence(seed)``, so a chunk's rows depend only on the spec and the
run ids, never on which worker ran it or in what order.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Any

import pandas as pd

from timeline_sim.engine.runner import run_one
from timeline_sim.studies.spec import ExecutionOptions, StudyError, StudySpec
from timeline_sim.studies.uncertainty import Uncertain

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
        for party, record in data.get("parties", {}).items():  # FTA tracks: every party's
            for milestone, date in record["milestones"].items():
                row[f"{track}.{party}.{milestone}"] = date
            for chamber, date in record["chambers"].items():
                row[f"{track}.{party}.chambers.{chamber}"] = date
            for outcome, value in record["outcomes"].items():
                if not isinstance(value, list):
                    row[f"{track}.{party}.{outcome}"] = value
    row["error"] = ""
    return row


def run_chunk(
    spec: StudySpec, start: int, stop: int
) -> tuple[list[dict[str, Any]], dict[int, pd.DataFrame]]:
    """Runs ``start`` to ``stop - 1`` of a study; a run that fails records its error."""
    case = spec.load()
    params = spec.params()
    uncertainty = Uncertain(keep=frozenset(spec.param_changes)) if spec.uncertain else None
    rows, events = [], {}
    for run_id in range(start, stop):
        try:
            result = run_one(case, params, seed=spec.seed, run_id=run_id, uncertainty=uncertainty)
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


def local_chunks(spec: StudySpec, todo: list[tuple[int, int]], workers: int) -> Iterator:
    """``(start, (rows, events))`` of each chunk, in this process or over ``workers`` processes."""
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


def connect(scheduler: str):
    """A client of the Dask scheduler at ``scheduler``, or a plain StudyError saying why not."""
    try:
        from distributed import Client
    except ImportError:  # pragma: no cover
        raise StudyError(
            "--scheduler needs Dask's distributed scheduler: pip install 'dask[distributed]'"
        ) from None
    try:
        return Client(scheduler, timeout="10s")
    except OSError as exc:
        raise StudyError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None


def dask_chunks(spec: StudySpec, todo: list[tuple[int, int]], scheduler: str) -> Iterator:
    """``(start, (rows, events))`` of each chunk, computed on a Dask cluster."""
    from distributed import as_completed as dask_completed

    client = connect(scheduler)
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


def run_chunks(spec: StudySpec, todo: list[tuple[int, int]], options: ExecutionOptions) -> Iterator:
    """The chunks ``todo`` of a study, on the backend ``options`` name."""
    if options.scheduler:
        return dask_chunks(spec, todo, options.scheduler)
    return local_chunks(spec, todo, options.workers)
