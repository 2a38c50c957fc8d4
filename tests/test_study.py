"""Studies: reproducible streams, backends, interruption, paired counterfactuals, sweeps."""

from __future__ import annotations

import io
import json
import os
import shlex
import shutil
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


def test_the_runs_table_does_not_depend_on_which_chunk_finished_first():
    """Chunks missing a milestone's column join to the same table in any order of arrival."""
    from timeline_sim.studies.store import ordered

    early = pd.DataFrame({"run_id": [1, 2], "a": [1.0, 2.0], "reached": ["x", "y"], "b": [0, 1]})
    late = pd.DataFrame({"run_id": [3], "a": [3.0], "b": [2]})  # no run of this chunk reached it
    pd.testing.assert_frame_equal(ordered([early, late]), ordered([late, early]))
    assert list(ordered([late, early]).columns) == ["run_id", "a", "reached", "b"]


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
        assert row["drawn.posterior_particle"] == alone.drawn["posterior_particle"]
        assert row["drawn.bargaining.legal_scrub_days"] == pytest.approx(
            alone.drawn["bargaining.legal_scrub_days"]
        )
    out = cli("replay", "korea_ftas", "--seed", "9", "--run", "4", "--json")
    assert out.returncode == 0, out.stderr
    replayed = json.loads(out.stdout)["tracks"]["chile"]["milestones"]["ratified"]
    assert replayed == table[table["run_id"] == 4].iloc[0]["chile.ratified"]


def test_uncertain_parameters_are_drawn_per_run_and_recorded():
    """Each run draws a posterior particle; the table records it; --point turns it off."""
    from timeline_sim.models.posterior import load_posterior

    posterior = load_posterior("fta")
    table = run_many(StudySpec("korea_ftas", runs=40, seed=1))
    drawn = [c for c in table.columns if c.startswith("drawn.")]
    assert {f"drawn.{n}" for n in posterior.names} <= set(drawn)
    assert table["drawn.posterior_particle"].nunique() > 20  # 40 draws from hundreds of particles
    # each run's values are exactly one particle's
    for _, row in table.iterrows():
        particle = posterior.particle(int(row["drawn.posterior_particle"]))
        for name, value in particle.items():
            assert row[f"drawn.{name}"] == pytest.approx(value)
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


def _sweep_cli(tmp_path, *args: str):
    """`timeline-sim sweep ARGS` with its own temporary directory, to see what it leaves there."""
    scratch = tmp_path / "scratch"
    scratch.mkdir(exist_ok=True)
    env = {**os.environ, "TMPDIR": str(scratch), "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-m", "timeline_sim.cli", "sweep", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=300,
    )
    return out, sorted(p.name for p in scratch.iterdir())


def test_a_sweep_along_a_case_field_leaves_no_temporary_files(tmp_path):
    """Changing a case field happens in memory: nothing is left in the temporary directory."""
    field = "tracks.chile.sectors.0.aligned_share.value"
    args = ("korea_ftas", "--param", field, "--values", "0.1,0.3", "--runs", "3", "--json")
    out, left = _sweep_cli(tmp_path, *args)
    assert out.returncode == 0, out.stderr
    assert left == []
    assert sorted(set(pd.read_json(io.StringIO(out.stdout))["value"])) == pytest.approx([0.1, 0.3])


def test_a_bad_sweep_value_names_the_case_file_and_field(tmp_path):
    """A grid value the case cannot take: the shipped file and the field, never a temporary copy."""
    out, left = _sweep_cli(
        tmp_path,
        "korea_ftas",
        "--param",
        "tracks.chile.sectors.0.aligned_share.value",
        "--values",
        "0.2,5",
    )
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert str(ROOT / "cases" / "korea_ftas.toml") in out.stderr
    assert "aligned_share" in out.stderr and "5" in out.stderr
    assert "timeline-sim-sweep" not in out.stderr and left == []


@pytest.mark.parametrize(
    "param,expected,listed",
    [
        (
            "tracks.chile.sectors.0.aligned_shar.value",
            "tracks.chile.sectors.0.aligned_share.value",
            "ratification",
        ),
        ("farm.decay_day", "farm.decay_days", "farm.protest_rate"),
    ],
)
def test_a_misspelt_sweep_parameter_suggests_the_valid_names(tmp_path, param, expected, listed):
    """A misspelt --param: exit 2, 'did you mean', the valid names listed, no 'variant change'."""
    out, _ = _sweep_cli(tmp_path, "korea_ftas", "--param", param, "--values", "1,2")
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert f"--param {param}" in out.stderr
    assert f"did you mean {expected}" in out.stderr
    assert "variant change" not in out.stderr
    assert "parties.KOR.legislature.chambers.0.seats.value" in out.stderr  # the case's numbers
    assert listed in out.stderr  # and the parameters' groups, or the parameters of the group


@pytest.mark.parametrize("form", [("--values", "-1,0.5"), ("--values=-1,0.5",)])
def test_sweep_values_may_be_negative(tmp_path, form):
    """`--values -1,0.5` and `--values=-1,0.5` both give the grid -1, 0.5."""
    out, _ = _sweep_cli(
        tmp_path,
        "us_japan_autos",
        "--param",
        "dispute.gains_threshold",
        *form,
        "--runs",
        "2",
        "--json",
    )
    assert out.returncode == 0, out.stderr
    assert sorted(set(pd.read_json(io.StringIO(out.stdout))["value"])) == [-1, 0.5]


def test_an_interrupted_study_prints_the_command_that_resumes_it(tmp_path):
    """Ctrl-C during `montecarlo --out DIR`: exit 130 and the exact `--resume DIR` command."""
    out = tmp_path / "study"
    # long enough (a few seconds) that the interrupt always lands before the last chunk
    args = ["montecarlo", "korea_ftas", "--runs", "3000", "--seed", "3", "--chunk", "20"]
    process = subprocess.Popen(
        [sys.executable, "-m", "timeline_sim.cli", *args, "--out", str(out)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.time() + 60
    while time.time() < deadline and len(list((out / "runs").glob("chunk-*.parquet"))) < 2:
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr
    command = stderr.strip().splitlines()[-1].strip()
    assert command == shlex.join(["timeline-sim", *args, "--resume", str(out)])
    resumed = cli(*shlex.split(command)[1:])
    assert resumed.returncode == 0, resumed.stderr
    whole = run_many(StudySpec("korea_ftas", runs=3000, seed=3), ExecutionOptions(chunk_size=20))
    pd.testing.assert_frame_equal(read_runs(out), whole)


@pytest.mark.parametrize(
    "options,said",
    [
        (("--runs", "12", "--seed", "1"), ("--runs 10", "--runs 12")),
        (("--runs", "10", "--seed", "2"), ("--seed 1", "--seed 2")),
        (("--runs", "10", "--seed", "1", "--chunk", "4"), ("--chunk 5", "--chunk 4")),
        (("--runs", "10", "--seed", "1", "--point"), ("no --point", "--point")),
    ],
)
def test_a_resume_mismatch_names_the_option_and_both_values(tmp_path, options, said):
    """--resume with other options: exit 2, naming the option, its saved value and the new one."""
    out = tmp_path / "study"
    run_many(StudySpec("korea_ftas", runs=10, seed=1), ExecutionOptions(chunk_size=5), out=out)
    refused = cli("montecarlo", "korea_ftas", "--chunk", "5", *options, "--resume", str(out))
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    saved, given = said
    assert f"run with {saved}, not {given}" in refused.stderr, refused.stderr


def test_an_interrupted_comparison_resumes(tmp_path):
    """compare --resume DIR finishes a comparison whose variant study never started."""
    out = tmp_path / "cmp"
    spec = StudySpec("korea_ftas", runs=6, seed=2)
    run_many(spec, ExecutionOptions(), out=out / "baseline")
    done = cli(
        "compare",
        "korea_ftas",
        "--variant",
        "singapore_first",
        "--runs",
        "6",
        "--seed",
        "2",
        "--json",
        "--resume",
        str(out),
    )
    assert done.returncode == 0, done.stderr
    whole = compare(spec, "singapore_first")
    assert json.loads(done.stdout)["tracks"]["chile"]["concession"]["effect"] == pytest.approx(
        whole["tracks"]["chile"]["concession"]["effect"]
    )
    assert (out / "comparison.json").exists() and (out / "variant" / "study.json").exists()


def test_compare_json_has_the_seed_and_the_pairing_factor():
    """compare --json: case, variant, runs, seed; per outcome the effect, its interval, narrowing."""
    out = cli(
        "compare",
        "korea_ftas",
        "--variant",
        "singapore_first",
        "--runs",
        "30",
        "--seed",
        "4",
        "--json",
    )
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert (data["case"], data["variant"], data["runs"], data["seed"]) == (
        "korea_ftas",
        "singapore_first",
        30,
        4,
    )
    delay = data["tracks"]["chile"]["ratification_delay_days"]
    assert set(delay) == {
        "baseline_mean",
        "variant_mean",
        "effect",
        "ci_low",
        "ci_high",
        "narrowing",
    }
    assert delay["narrowing"] > 1  # pairing narrows the interval


@pytest.mark.parametrize(
    "command,shown",
    [
        (("montecarlo",), ("(default: 1000)", "(default: 250)", "(default: 0)", "(default: 1)")),
        (("sweep",), ("(default: 200)",)),
        (("compare",), ("(default: 1000)",)),
        (("replay",), ("(default: 0)",)),
    ],
)
def test_help_texts_show_the_defaults(command, shown):
    """Every option with a default says it in --help."""
    out = cli(*command, "--help")
    assert out.returncode == 0
    text = " ".join(out.stdout.split())
    for default in shown:
        assert default in text, (default, text)
    assert "(default: None)" not in text and "(default: False)" not in text


def test_generated_html_is_ignored_by_git(tmp_path):
    """Dashboards written in the checkout (`--out korea.html`) are not picked up by git."""
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    for name in ("korea.html", "runs/study.html", "docs/sequencing_story.html"):
        ignored = subprocess.run(["git", "check-ignore", "-q", name], cwd=ROOT)
        assert ignored.returncode == 0, name


def test_sweep_out_writes_a_study_directory_per_grid_value(tmp_path):
    """sweep --out DIR: sweep.json and one study directory per value, as montecarlo writes one."""
    out = tmp_path / "sweep"
    field = "tracks.chile.sectors.0.aligned_share.value"
    done, left = _sweep_cli(
        tmp_path,
        "korea_ftas",
        "--param",
        field,
        "--values",
        "0.1,0.4",
        "--runs",
        "8",
        "--seed",
        "4",
        "--out",
        str(out),
    )
    assert done.returncode == 0, done.stderr
    assert left == []
    record = json.loads((out / "sweep.json").read_text())
    assert record["written_by"] == "timeline-sim sweep" and record["complete"] is True
    assert (record["case"], record["param"], record["param_kind"]) == (
        "korea_ftas",
        field,
        "case field",
    )
    assert record["values"] == [0.1, 0.4] and (record["runs"], record["seed"]) == (8, 4)
    assert [p["directory"] for p in record["points"]] == ["value-0.1", "value-0.4"]
    for point in record["points"]:
        directory = out / point["directory"]
        study = json.loads((directory / "study.json").read_text())
        assert study["spec"]["case_changes"] == {field: point["value"]}
        runs = read_runs(directory)
        assert list(runs["run_id"]) == list(range(1, 9))
        row = next(
            r
            for r in record["table"]
            if r["value"] == point["value"]
            and r["track"] == "chile"
            and r["outcome"] == "ratification_delay_days"
        )
        assert row["mean"] == pytest.approx(runs["chile.ratification_delay_days"].mean())
        assert json.loads((directory / "summary.json").read_text())["runs"] == 8
    # the same grid in memory gives the same table: the files are the sweep, not a copy of it
    table = sweep(StudySpec("korea_ftas", runs=8, seed=4), field, [0.1, 0.4])
    assert len(table) == len(record["table"])
