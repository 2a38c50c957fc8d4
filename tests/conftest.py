"""Shared fixtures: a SimPy environment, a seeded generator, the shipped cases."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import simpy

from timeline_sim.cases.loading import load_case

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


def cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """Run `timeline-sim ARGS` as a fresh process (as a user would), capturing its output."""
    return subprocess.run(
        [sys.executable, "-m", "timeline_sim.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
    )


@pytest.fixture
def env() -> simpy.Environment:
    return simpy.Environment()


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(20261123)


@pytest.fixture(scope="session")
def korea():
    return load_case("korea_ftas")


@pytest.fixture(scope="session")
def japan():
    return load_case("japan_ftas")
