"""Results on disk: a replay's directory and single files, each written all or nothing.

A new replay directory is first written to a temporary directory beside the
destination, which is renamed into place only when every file is written. An
existing directory is used only if it is empty or holds an earlier replay (its
``metadata.json`` says ``"written_by": "timeline-sim replay"``); then the five
files are written to a hidden folder inside it and moved over the old ones, and
nothing else in it is touched. A single file is written to a temporary file and
renamed. Every file and folder gets the mode of an ordinary new one under the
user's umask (``mkstemp`` and ``mkdtemp`` would leave 0600 and 0700).
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

#: the files of a replay directory, in the order they are written
REPLAY_FILES = ("events.csv", "states.csv", "targets.csv", "summary.json", "metadata.json")
#: the key and value of ``metadata.json`` by which a replay directory is recognised
MARKER_KEY, MARKER = "written_by", "timeline-sim replay"
_STAGING = ".timeline-sim-staging-"


class OutputError(Exception):
    """An output path that cannot be used as asked (the message names the option and path)."""


def current_umask() -> int:
    """The process's umask, read without changing it where the system allows."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)  # elsewhere: set and restore at once
    os.umask(mask)
    return mask


def ordinary_mode(path: Path, directory: bool = False) -> None:
    """Give ``path`` the mode a new file (0666) or folder (0777) gets under the umask."""
    os.chmod(path, (0o777 if directory else 0o666) & ~current_umask())


def write_atomic(path: Path, write: Callable[[Path], None]) -> None:
    """Write one file all or nothing: ``write`` fills a temporary file that is then renamed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(fd)
    try:
        ordinary_mode(Path(tmp))
        write(Path(tmp))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def check_directory(path: Path, option: str = "--out") -> None:
    """Refuse an output directory that cannot be made: a file in the way, a folder not writable.

    Raises :class:`OutputError` naming ``option``, the path and the problem.
    """
    path = Path(path)
    target = path.absolute()
    if target.exists() and not target.is_dir():
        raise OutputError(f"{option} {path}: exists and is not a directory")
    ancestor = target if target.exists() else target.parent
    while not ancestor.exists() and not ancestor.is_symlink():
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        raise OutputError(f"{option} {path}: {ancestor} is a file, not a directory")
    if not os.access(ancestor, os.W_OK | os.X_OK):
        raise OutputError(f"{option} {path}: cannot write in {ancestor}")


def is_replay_directory(path: Path) -> bool:
    """Whether ``path`` holds a replay written by this tool (its metadata carries the marker)."""
    try:
        meta = json.loads((Path(path) / "metadata.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(meta, dict) and meta.get(MARKER_KEY) == MARKER


def check_replay_destination(out: Path, option: str = "--out") -> None:
    """Refuse a destination that is not new, empty, or an earlier replay of this tool."""
    check_directory(out, option)
    out = Path(out)
    if not out.is_dir():
        return
    others = [p for p in out.iterdir() if not p.name.startswith(_STAGING)]
    if others and not is_replay_directory(out):
        raise OutputError(
            f"{option} {out}: is not empty and holds no replay written by timeline-sim "
            f"(e.g. {sorted(p.name for p in others)[0]}); give a new or empty directory"
        )


def metadata(case: LoadedCase, params: Any, result: RunResult) -> dict[str, Any]:
    """What is needed to reproduce a run: case hash, package version, seed, parameters."""
    import numpy
    import simpy

    return {
        MARKER_KEY: MARKER,
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
        "single_case_parameters": result.single_case_parameters,
        "params": params.flat(),
    }


def _fill(staging: Path, case: LoadedCase, params: Any, result: RunResult) -> None:
    result.events.to_csv(staging / "events.csv", index=False)
    result.states.to_csv(staging / "states.csv", index=False)
    pd.DataFrame(result.targets).to_csv(staging / "targets.csv", index=False)
    (staging / "summary.json").write_text(json.dumps(result.to_json(), indent=2) + "\n")
    (staging / "metadata.json").write_text(
        json.dumps(metadata(case, params, result), indent=2, default=str) + "\n"
    )
    for name in REPLAY_FILES:
        ordinary_mode(staging / name)


def write_replay(out: Path, case: LoadedCase, params: Any, result: RunResult) -> None:
    """Write the event log, state trajectories, targets, summary and metadata to ``out``.

    ``out`` must be new, empty, or an earlier replay directory (:class:`OutputError`
    otherwise). Nothing is left half-written: on any failure the destination is as it was.
    """
    out = Path(out)
    check_replay_destination(out)
    if not out.is_dir():
        parent = out.absolute().parent
        parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f"{_STAGING}{out.name}-", dir=parent))
        try:
            ordinary_mode(staging, directory=True)
            _fill(staging, case, params, result)
            os.replace(staging, out)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        return
    # an empty directory or an earlier replay: replace the five files, touch nothing else
    staging = Path(tempfile.mkdtemp(prefix=_STAGING, dir=out))
    try:
        _fill(staging, case, params, result)
        (staging / "old").mkdir()
        moved, placed = [], []
        try:
            for name in REPLAY_FILES:
                if (out / name).exists():
                    os.replace(out / name, staging / "old" / name)
                    moved.append(name)
                os.replace(staging / name, out / name)
                placed.append(name)
        except BaseException:
            for name in placed:
                (out / name).unlink(missing_ok=True)
            for name in moved:
                os.replace(staging / "old" / name, out / name)
            raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
