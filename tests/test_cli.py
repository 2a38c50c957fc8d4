"""The command line: cases, replay (text, JSON, files) and clear errors."""

from __future__ import annotations

import json
import os
import re

import pytest

from .conftest import ROOT, cli


def test_cases_lists_every_case_with_its_tracks():
    """`timeline-sim cases` names each case and its tracks."""
    out = cli("cases")
    assert out.returncode == 0, out.stderr
    assert (
        "korea_ftas" in out.stdout
        and "chile (Chile)" in out.stdout
        and "singapore (Singapore)" in out.stdout
    )
    assert "japan_ftas" in out.stdout and "mexico (Mexico)" in out.stdout


def test_replay_prints_a_dated_chronology_and_the_targets_table():
    """A replay shows dated events and historical vs simulated milestones with errors."""
    out = cli("replay", "korea_ftas", "--seed", "2")
    assert out.returncode == 0, out.stderr
    assert "talks launched" in out.stdout and "ratified" in out.stdout
    assert "historical" in out.stdout and "error (days)" in out.stdout
    assert "2004-02-16" in out.stdout  # the historical ratification date
    assert re.search(r"per-case tuning knobs: \d+", out.stdout)


def test_replay_json_has_the_stable_keys():
    """--json prints one object with case, seed, tuning_knobs, tracks and targets."""
    out = cli("replay", "japan_ftas", "--seed", "5", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert {"case", "seed", "tuning_knobs", "tracks", "targets"} <= set(data)
    assert data["case"] == "japan_ftas" and data["seed"] == 5 and data["tuning_knobs"] == 0
    mexico = data["tracks"]["mexico"]
    assert {"concluded", "signed", "ratified"} <= set(mexico["milestones"])
    assert {"ratification_delay_days", "failed_votes", "side_payments_usd", "concession"} <= set(
        mexico["outcomes"]
    )
    for row in data["targets"]:
        assert set(row) >= {"track", "milestone", "historical", "simulated", "error_days"}


def test_replay_json_is_the_same_for_the_same_seed():
    """The same seed prints the same JSON."""
    assert (
        cli("replay", "korea_ftas", "--seed", "8", "--json").stdout
        == cli("replay", "korea_ftas", "--seed", "8", "--json").stdout
    )


def test_replay_out_writes_the_log_states_and_metadata(tmp_path):
    """--out DIR holds events, states, targets, summary and metadata (case hash, version, seed)."""
    out_dir = tmp_path / "replay"
    result = cli("replay", "korea_ftas", "--seed", "4", "--out", str(out_dir))
    assert result.returncode == 0, result.stderr
    names = {p.name for p in out_dir.iterdir()}
    assert {"events.csv", "states.csv", "targets.csv", "summary.json", "metadata.json"} <= names
    meta = json.loads((out_dir / "metadata.json").read_text())
    assert meta["seed"] == 4 and len(meta["case_sha256"]) == 64 and meta["package_version"]
    header = (out_dir / "events.csv").read_text().splitlines()[0]
    assert header == "run_id,t,date,track,actor,event,value,detail"
    assert "business_pressure" in (out_dir / "states.csv").read_text()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no staging left behind


def test_a_malformed_case_file_exits_2_naming_file_and_field(tmp_path):
    """Bad input: message with file, field and problem; exit status 2; no traceback."""
    bad = tmp_path / "bad.toml"
    bad.write_text(
        (ROOT / "cases" / "korea_ftas.toml").read_text().replace("value = 0.46", "value = -3")
    )
    out = cli("replay", str(bad))
    assert out.returncode == 2
    assert f"{bad}: tracks.chile.sectors[0].tariff" in out.stderr
    assert "Traceback" not in out.stderr and out.stdout == ""


def test_broken_toml_and_unknown_cases_are_clear_errors(tmp_path):
    """Broken syntax and unknown names are reported without a traceback."""
    broken = tmp_path / "broken.toml"
    broken.write_text("name = [unclosed\n")
    out = cli("replay", str(broken))
    assert out.returncode == 2 and "not valid TOML" in out.stderr and "Traceback" not in out.stderr
    out = cli("replay", "atlantis_ftas")
    assert out.returncode == 2 and "no such case file" in out.stderr and "korea_ftas" in out.stderr


def test_bad_options_are_clear_errors(tmp_path):
    """A negative seed or an unknown variant: exit 2 and a message, nothing written."""
    out = cli("replay", "korea_ftas", "--seed", "-1", "--out", str(tmp_path / "x"))
    assert out.returncode == 2 and "negative" in out.stderr
    out = cli("replay", "korea_ftas", "--variant", "nonesuch", "--out", str(tmp_path / "y"))
    assert (
        out.returncode == 2
        and "variants.nonesuch" in out.stderr
        and "singapore_first" in out.stderr
    )
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_unwritable_output_directory_is_a_clear_error(tmp_path):
    """An output directory that cannot be written: exit 2, no traceback."""
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    out = cli("replay", "korea_ftas", "--out", str(locked / "run"))
    assert out.returncode == 2 and "cannot write" in out.stderr


def test_output_that_is_a_file_is_a_clear_error(tmp_path):
    """--out pointing at a file: exit 2, the file untouched."""
    target = tmp_path / "file.txt"
    target.write_text("keep me")
    out = cli("replay", "korea_ftas", "--out", str(target))
    assert out.returncode == 2 and "not a directory" in out.stderr
    assert target.read_text() == "keep me"


@pytest.mark.parametrize(
    "command",
    [
        ("montecarlo", "korea_ftas", "--runs", "3"),
        ("compare", "korea_ftas", "--variant", "singapore_first", "--runs", "3"),
        ("replay", "korea_ftas"),
    ],
)
def test_output_below_a_file_is_a_clear_error(tmp_path, command):
    """--out FILE/sub: exit 2, one line naming the option, the path and the file in the way."""
    blocker = tmp_path / "README.md"
    blocker.write_text("keep me")
    target = blocker / "sub"
    out = cli(*command, "--out", str(target))
    assert out.returncode == 2, out.stderr[-2000:]
    assert "Traceback" not in out.stderr
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert f"--out {target}" in lines[0] and "is a file, not a directory" in lines[0]
    assert blocker.read_text() == "keep me" and list(tmp_path.iterdir()) == [blocker]


def test_cases_lists_each_case_with_its_kind_and_parties():
    """`timeline-sim cases`: every shipped case, its kind, and every party by name and code."""
    out = cli("cases")
    assert out.returncode == 0, out.stderr
    from timeline_sim.cases.loading import list_cases, load_case

    for path in list_cases():
        case = load_case(path)
        line = next(row for row in out.stdout.splitlines() if row.startswith(case.name + " "))
        assert case.kind in line
        if case.kind == "fta":
            for code, party in case.model.parties.items():
                assert f"{party.name} ({code})" in out.stdout


def test_a_replay_reports_every_partys_milestones():
    """Per track and party: submission, chambers passed, ratification; then entry into force."""
    out = cli("replay", "korea_ftas", "--seed", "0", "--json")
    summary = json.loads(out.stdout)
    text = cli("replay", "korea_ftas", "--seed", "0").stdout
    for track, data in summary["tracks"].items():
        for code, party in data["parties"].items():
            row = next(r for r in text.splitlines() if r.startswith(f"{track:<11} {code:<6}"))
            assert (party["milestones"]["ratified"] or "not yet") in row
        assert f"in force {data['milestones']['entry_into_force']}" in text
