"""Studies: reproducible streams, backends, interruption, paired counterfactuals, sweeps."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time

import numpy as np
import pandas as pd
import pytest

from timeline_sim.cases.loading import load_case
from timeline_sim.engine.runner import run_one
from timeline_sim.studies import (
    ExecutionOptions,
    StudyError,
    StudySpec,
    compare,
    read_runs,
    run_many,
    sweep,
)
from timeline_sim.studies.uncertainty import draw_uncertain

from .conftest import ROOT, cli

TWO = ExecutionOptions(workers=2)


def test_one_and_two_workers_give_identical_runs_tables():
    """Results do not depend on the number of workers or the chunking."""
    spec = StudySpec("korea_ftas", runs=60, seed=5)
    one = run_many(spec, ExecutionOptions(workers=1, chunk_size=60))
    two = run_many(spec, ExecutionOptions(workers=2, chunk_size=7))
    pd.testing.assert_frame_equal(one, two)
    assert list(one["run_id"]) == list(range(1, 61))
    assert one["chile.ratification_delay_days"].nunique() > 10  # the runs do differ


def test_dask_local_cluster_gives_the_same_runs_table():
    """The Dask backend on a loopback LocalCluster returns the local backend's table."""
    distributed = pytest.importorskip("distributed")
    spec = StudySpec("japan_ftas", runs=24, seed=2)
    local = run_many(spec, ExecutionOptions(workers=1, chunk_size=5))
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, host="127.0.0.1", dashboard_address=None, processes=True
    ) as cluster:
        remote = run_many(spec, ExecutionOptions(scheduler=cluster.scheduler_address, chunk_size=5))
    pd.testing.assert_frame_equal(local, remote)


def test_run_k_of_a_study_replays_alone():
    """Row K of a study is what `replay --seed S --run K` gives."""
    table = run_many(StudySpec("korea_ftas", runs=5, seed=9))
    case = load_case("korea_ftas")
    for k in (1, 4):
        alone = run_one(case, seed=9, run_id=k, uncertainty=draw_uncertain)
        row = table[table["run_id"] == k].iloc[0]
        assert row["chile.ratified"] == alone.tracks["chile"]["milestones"]["ratified"]
        assert row["drawn.farm.decay_days"] == pytest.approx(alone.drawn["farm.decay_days"])
    out = cli("replay", "korea_ftas", "--seed", "9", "--run", "4", "--json")
    assert out.returncode == 0, out.stderr
    replayed = json.loads(out.stdout)["tracks"]["chile"]["milestones"]["ratified"]
    assert replayed == table[table["run_id"] == 4].iloc[0]["chile.ratified"]


def test_uncertain_parameters_are_drawn_per_run_and_recorded():
    """Each run draws its own parameters; the table records them; --point turns it off."""
    table = run_many(StudySpec("korea_ftas", runs=20, seed=1))
    drawn = [c for c in table.columns if c.startswith("drawn.")]
    assert "drawn.farm.decay_days" in drawn
    assert table["drawn.farm.decay_days"].nunique() == 20
    point = run_many(StudySpec("korea_ftas", runs=5, seed=1, uncertain=False))
    assert not [c for c in point.columns if c.startswith("drawn.")]


def test_a_killed_study_resumes_to_the_uninterrupted_result(tmp_path):
    """Kill the process part-way; every finished chunk stays readable; --resume completes it."""
    out = tmp_path / "study"
    command = [
        sys.executable,
        "-m",
        "timeline_sim.cli",
        "montecarlo",
        "korea_ftas",
        "--runs",
        "400",
        "--seed",
        "3",
        "--chunk",
        "20",
        "--out",
        str(out),
    ]
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.time() + 60
    while time.time() < deadline and len(list((out / "runs").glob("chunk-*.parquet"))) < 3:
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    partial = read_runs(out)  # every finished chunk is readable
    assert 0 < len(partial) < 400
    resumed = cli(*command[3:-2], "--resume", str(out))
    assert resumed.returncode == 0, resumed.stderr
    whole = run_many(StudySpec("korea_ftas", runs=400, seed=3), ExecutionOptions(chunk_size=20))
    pd.testing.assert_frame_equal(read_runs(out), whole)


def test_resuming_another_cases_study_is_refused(tmp_path):
    """--resume with a different case or seed is a clear error."""
    out = tmp_path / "study"
    run_many(StudySpec("korea_ftas", runs=10, seed=1), ExecutionOptions(chunk_size=5), out=out)
    with pytest.raises(StudyError, match="differs"):
        run_many(
            StudySpec("japan_ftas", runs=10, seed=1),
            ExecutionOptions(chunk_size=5),
            out=out,
            resume=True,
        )
    refused = cli("montecarlo", "japan_ftas", "--runs", "10", "--resume", str(out))
    assert (
        refused.returncode == 2
        and "differs" in refused.stderr
        and "Traceback" not in refused.stderr
    )


def test_montecarlo_json_has_the_stable_keys(tmp_path):
    """--json: case, runs, seed, tracks -> outcome -> mean, p5, p50, p95."""
    out = cli(
        "montecarlo",
        "korea_ftas",
        "--runs",
        "40",
        "--seed",
        "2",
        "--json",
        "--out",
        str(tmp_path / "s"),
    )
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert (data["case"], data["runs"], data["seed"]) == ("korea_ftas", 40, 2)
    delay = data["tracks"]["chile"]["ratification_delay_days"]
    assert set(delay) == {"mean", "p5", "p50", "p95"}
    assert delay["p5"] <= delay["p50"] <= delay["p95"]
    summary = json.loads((tmp_path / "s" / "summary.json").read_text())
    placed = {h.get("milestone") or h.get("outcome") for h in summary["history"]}
    assert {"ratified", "concession"} <= placed


def test_bad_study_options_are_clear_errors(tmp_path):
    """Negative runs, a non-empty output directory: exit 2, nothing written."""
    base = ["montecarlo", "korea_ftas"]
    out = cli(*base, "--runs", "-5")
    assert out.returncode == 2 and "at least 1" in out.stderr
    occupied = tmp_path / "occupied"
    occupied.mkdir()
    (occupied / "keep.txt").write_text("x")
    out = cli(*base, "--runs", "5", "--out", str(occupied))
    assert out.returncode == 2 and "not empty" in out.stderr
    assert [p.name for p in occupied.iterdir()] == ["keep.txt"]


@pytest.mark.slow
def test_singapore_first_shortens_chile_ratification_and_cuts_payments():
    """1,000 paired runs: the easy-first sequence helps Korea; intervals exclude zero."""
    result = compare(StudySpec("korea_ftas", runs=1000, seed=11), "singapore_first", TWO)
    chile = result["tracks"]["chile"]
    for outcome in ("ratification_delay_days", "side_payments_usd"):
        assert chile[outcome]["ci_high"] < 0, (outcome, chile[outcome])
    assert chile["concession"]["ci_high"] < 0
    assert chile["ratification_delay_days"]["narrowing"] > 1.0  # pairing narrows the interval


@pytest.mark.slow
def test_without_singapore_japan_concedes_more_pork():
    """1,000 paired runs: with no FTA in hand Japan's concession to Mexico rises."""
    mexico = compare(StudySpec("japan_ftas", runs=1000, seed=12), "no_singapore", TWO)["tracks"][
        "mexico"
    ]
    assert mexico["concession"]["ci_low"] > 0


@pytest.mark.slow
def test_value_creating_us_lowers_the_chance_of_a_sanctions_list():
    """1,000 paired runs: with US losses near the status quo, fewer sanctions lists."""
    autos = compare(StudySpec("us_japan_autos", runs=1000, seed=13), "value_creating", TWO)[
        "tracks"
    ]["autos"]
    assert autos["reached_sanctions_list"]["ci_high"] < 0
    assert autos["market_access"]["ci_low"] > 0


def test_sweeping_rural_members_lengthens_ratification():
    """More rural members in the Assembly, longer ratification of the Chile FTA (paired seeds)."""
    table = sweep(
        StudySpec("korea_ftas", runs=60, seed=4),
        "tracks.chile.sectors.0.aligned_share.value",
        [20 / 273, 60 / 273, 120 / 273],
    )
    delay = table[(table["track"] == "chile") & (table["outcome"] == "ratification_delay_days")]
    means = list(delay.sort_values("value")["mean"])
    assert means[0] < means[1] < means[2]
    votes = table[(table["track"] == "chile") & (table["outcome"] == "failed_votes")].sort_values(
        "value"
    )
    assert np.all(np.diff(votes["mean"].to_numpy()) >= 0)


def test_case_files_declare_uncertain_inputs_that_each_run_draws():
    """A case's [uncertainty] table: every run draws the value and the table records it."""
    table = run_many(StudySpec("korea_ftas", runs=30, seed=6))
    column = "drawn.case.tracks.chile.sectors.0.trade_share.value"
    assert table[column].nunique() == 30
    assert 0.085 * 0.5 < table[column].median() < 0.085 * 2  # a lognormal around the file's value


def test_uncertain_inputs_must_name_numbers_and_never_targets(tmp_path):
    """An [uncertainty] entry naming a text field or a target is refused with its field."""
    from timeline_sim.cases.loading import CaseError

    text = load_case("korea_ftas").path.read_text()
    for key in ("tracks.chile.partner", "targets"):
        bad = tmp_path / "bad.toml"
        bad.write_text(text + f'\n[uncertainty."{key}"]\ndistribution = "lognormal"\nsigma = 0.1\n')
        with pytest.raises(CaseError, match=f"uncertainty.{key}"):
            load_case(bad)
