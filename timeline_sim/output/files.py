"""Results on disk: a replay's directory and single files, each written all or nothing.

A replay directory is first written to a temporary directory beside the
destination, which is renamed into place only when every file is written; a
single file is written to a temporary file and renamed.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from timeline_sim.cases.loading import LoadedCase
from timeline_sim.engine.runner import RunResult
from timeline_sim.version import __version__


def write_atomic(path: Path, write: Callable[[Path], None]) -> None:
    """Write one file all or nothing: ``write`` fills a temporary file that is then renamed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def metadata(case: LoadedCase, params: Any, result: RunResult) -> dict[str, Any]:
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
        "package_version": __version__,
        "python": platform.python_version(),
        "simpy": simpy.__version__,
        "numpy": numpy.__version__,
        "pandas": pd.__version__,
        "tuning_knobs": result.tuning_knobs,
        "params": params.flat(),
    }


def write_replay(out: Path, case: LoadedCase, params: Any, result: RunResult) -> None:
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
