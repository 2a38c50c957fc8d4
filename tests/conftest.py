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


def first_run(case, wanted, runs: int = 300, seed: int = 0):
    """The first run of a study (posterior draws, ``replay --run K``) whose result has ``wanted``.

    For tests of how a kind of episode is shown or handled (a ratification fight,
    a stall): the test needs such an episode, not a particular parameter value,
    so it does not break when the posterior is recalibrated.
    """
    from timeline_sim.engine.runner import run_one
    from timeline_sim.studies.uncertainty import draw_uncertain

    for k in range(1, runs + 1):
        result = run_one(case, seed=seed, run_id=k, uncertainty=draw_uncertain)
        if wanted(result):
            return k, result
    pytest.fail(f"none of {runs} runs of {case.name} shows the episode the test needs")


def ratification_fight(result) -> bool:
    """Korea-Chile with failed and blocked votes, raised side payments and stalled rounds."""
    chile = result.events[result.events["track"] == "chile"]
    outcomes = result.tracks["chile"]["outcomes"]
    kinds = set(chile["event"])
    from timeline_sim.output.text import chronology

    stalled = "rounds, no progress" in chronology(result)
    return (
        outcomes["failed_votes"] >= 2
        and outcomes["side_payment_raises"] >= 1
        and {"vote_failed", "vote_blocked", "vote_scheduled", "side_payment_offered"} <= kinds
        and (chile["event"] == "protest").sum() >= 20
        and bool(stalled)
    )


@pytest.fixture(scope="session")
def korea_fight():
    """(run id, result) of the first Korea run with a ratification fight."""
    return first_run(load_case("korea_ftas"), ratification_fight)
