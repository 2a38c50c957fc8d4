"""Files on disk: a replay never deletes what it did not write; outputs get ordinary modes."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys

import pytest

from .conftest import ROOT, cli

REPLAY_FILES = {"events.csv", "states.csv", "targets.csv", "summary.json", "metadata.json"}


def test_replay_refuses_a_directory_holding_someone_elses_files(tmp_path):
    """`replay --out d` where d holds a user's file: exit 2, one line, the file kept."""
    d = tmp_path / "d"
    d.mkdir()
    (d / "thesis.docx").write_text("x")
    out = cli("replay", "korea_ftas", "--out", str(d))
    assert out.returncode == 2, out.stdout[-500:]
    assert (d / "thesis.docx").read_text() == "x"
    assert [p.name for p in d.iterdir()] == ["thesis.docx"]
    message = out.stderr.strip().splitlines()
    assert len(message) == 1 and f"--out {d}" in message[0] and "not empty" in message[0]
    assert "Traceback" not in out.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["d"]  # no staging or backup left


def _cli(*args: str, cwd, umask: int | None = None) -> subprocess.CompletedProcess:
    """`timeline-sim ARGS` from another directory, on this checkout's code, under ``umask``."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "timeline_sim.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=120,
        preexec_fn=None if umask is None else (lambda: os.umask(umask)),
    )


def test_replay_into_the_current_directory_leaves_nothing_beside_it(tmp_path):
    """`replay --out .` in an empty directory writes there and leaves no `..old.*` folder."""
    here = tmp_path / "here"
    here.mkdir()
    out = _cli("replay", "korea_ftas", "--out", ".", cwd=here)
    assert out.returncode == 0, out.stderr
    assert {p.name for p in here.iterdir()} == REPLAY_FILES
    assert [p.name for p in tmp_path.iterdir()] == ["here"]


def test_replay_refuses_a_non_empty_current_directory(tmp_path):
    """`replay --out .` in a directory of other files: refused, nothing written anywhere."""
    here = tmp_path / "here"
    here.mkdir()
    (here / "notes.txt").write_text("mine")
    out = _cli("replay", "korea_ftas", "--out", ".", cwd=here)
    assert out.returncode == 2 and "not empty" in out.stderr
    assert [p.name for p in here.iterdir()] == ["notes.txt"]
    assert [p.name for p in tmp_path.iterdir()] == ["here"]


def test_replay_replaces_its_own_previous_output_and_nothing_else(tmp_path):
    """A second replay into the same directory replaces its five files; a file added there stays."""
    d = tmp_path / "run"
    assert cli("replay", "korea_ftas", "--seed", "1", "--out", str(d)).returncode == 0
    marker = json.loads((d / "metadata.json").read_text())
    assert marker["seed"] == 1 and marker["written_by"] == "timeline-sim replay"
    (d / "notes.txt").write_text("my notes")
    again = cli("replay", "korea_ftas", "--seed", "2", "--out", str(d))
    assert again.returncode == 0, again.stderr
    assert json.loads((d / "metadata.json").read_text())["seed"] == 2
    assert {p.name for p in d.iterdir()} == REPLAY_FILES | {"notes.txt"}
    assert (d / "notes.txt").read_text() == "my notes"
    assert [p.name for p in tmp_path.iterdir()] == ["run"]


def test_a_directory_with_a_foreign_metadata_file_is_not_taken_for_a_replay(tmp_path):
    """A metadata.json that the tool did not write does not make a directory replaceable."""
    d = tmp_path / "d"
    d.mkdir()
    (d / "metadata.json").write_text('{"author": "me"}')
    out = cli("replay", "korea_ftas", "--out", str(d))
    assert out.returncode == 2 and "not empty" in out.stderr
    assert (d / "metadata.json").read_text() == '{"author": "me"}'


def _modes(paths, root):
    return {p.relative_to(root).as_posix(): stat.S_IMODE(p.stat().st_mode) for p in paths}


def _cli_under_umask(umask: int, *args: str) -> subprocess.CompletedProcess:
    return _cli(*args, cwd=ROOT, umask=umask)


@pytest.mark.parametrize("umask,file_mode,dir_mode", [(0o022, 0o644, 0o755), (0o027, 0o640, 0o750)])
def test_replay_files_and_folder_get_the_modes_of_the_umask(tmp_path, umask, file_mode, dir_mode):
    """The replay folder and its files get what any new file or folder gets, not 0600/0700."""
    out = _cli_under_umask(umask, "replay", "korea_ftas", "--out", str(tmp_path / "r"))
    assert out.returncode == 0, out.stderr
    assert stat.S_IMODE((tmp_path / "r").stat().st_mode) == dir_mode
    files = list((tmp_path / "r").iterdir())
    assert _modes(files, tmp_path) == {f"r/{p.name}": file_mode for p in files}


@pytest.mark.parametrize("umask,file_mode,dir_mode", [(0o022, 0o644, 0o755), (0o027, 0o640, 0o750)])
def test_study_files_get_the_modes_of_the_umask(tmp_path, umask, file_mode, dir_mode):
    """Parquet chunks, event logs, study.json, summary.json and comparison.json too."""
    mc = _cli_under_umask(
        umask,
        *("montecarlo", "korea_ftas", "--runs", "6", "--chunk", "3", "--keep-events", "1"),
        *("--out", str(tmp_path / "mc")),
    )
    assert mc.returncode == 0, mc.stderr
    cmp = _cli_under_umask(
        umask,
        *("compare", "korea_ftas", "--variant", "singapore_first", "--runs", "4"),
        *("--out", str(tmp_path / "cmp")),
    )
    assert cmp.returncode == 0, cmp.stderr
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    folders = [p for p in tmp_path.rglob("*") if p.is_dir()]
    names = {p.name for p in files}
    assert {"chunk-00000001.parquet", "run-1.parquet", "study.json", "summary.json"} <= names
    assert "comparison.json" in names
    assert _modes(files, tmp_path) == dict.fromkeys(_modes(files, tmp_path), file_mode)
    assert _modes(folders, tmp_path) == dict.fromkeys(_modes(folders, tmp_path), dir_mode)
