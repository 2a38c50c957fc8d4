"""Progress of long studies: a maintained bar with rate and ETA on a terminal, silence elsewhere."""

from __future__ import annotations

import fcntl
import io
import os
import pty
import select
import struct
import subprocess
import sys
import termios

import pytest

from timeline_sim.studies import ExecutionOptions, StudySpec, run_many

from .conftest import ROOT, cli


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_study_on_a_terminal_shows_rate_and_eta(monkeypatch):
    """On a terminal: the case, runs done of all, the rate and the time left."""
    screen = _Terminal()
    monkeypatch.setattr(sys, "stderr", screen)
    run_many(
        StudySpec("korea_ftas", runs=20, seed=1), ExecutionOptions(chunk_size=5, progress=True)
    )
    text = screen.getvalue()
    assert "korea_ftas" in text and "20/20" in text
    assert "run/s" in text or "s/run" in text  # the rate
    assert "<" in text  # elapsed<remaining: the ETA


def test_a_sweep_point_says_which_value_it_runs(monkeypatch):
    """Each grid point's bar names the value it runs."""
    from timeline_sim.studies import sweep

    screen = _Terminal()
    monkeypatch.setattr(sys, "stderr", screen)
    sweep(
        StudySpec("korea_ftas", runs=4, seed=1),
        "farm.decay_days",
        [90, 150],
        ExecutionOptions(progress=True),
    )
    assert "farm.decay_days=90" in screen.getvalue()
    assert "farm.decay_days=150" in screen.getvalue()


def test_progress_is_quiet_when_stderr_is_not_a_terminal(monkeypatch):
    """Piped or logged: nothing on stderr, even with progress asked for."""
    piped = io.StringIO()
    monkeypatch.setattr(sys, "stderr", piped)
    run_many(
        StudySpec("korea_ftas", runs=10, seed=1), ExecutionOptions(chunk_size=5, progress=True)
    )
    assert piped.getvalue() == ""
    out = cli("montecarlo", "korea_ftas", "--runs", "20", "--chunk", "5")
    assert out.returncode == 0 and out.stderr == ""


@pytest.mark.skipif(not hasattr(pty, "openpty"), reason="no pseudo-terminals here")
@pytest.mark.parametrize("columns", [100, 0], ids=["sized", "unsized"])
def test_montecarlo_in_a_terminal_draws_the_bar(columns):
    """The command itself, its stderr a pseudo-terminal (sized or not): the bar reaches every run."""
    master, slave = pty.openpty()
    rows = 24 if columns else 0
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "timeline_sim.cli",
            "montecarlo",
            "korea_ftas",
            "--runs",
            "30",
            "--chunk",
            "10",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=slave,
    )
    os.close(slave)
    seen = b""
    while True:
        ready, _, _ = select.select([master], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(master, 4096)
        except OSError:  # the other end closed
            break
        if not chunk:
            break
        seen += chunk
    process.wait(timeout=60)
    os.close(master)
    text = seen.decode("utf-8", "replace")
    assert process.returncode == 0
    assert "30/30" in text and "run" in text and "<" in text
