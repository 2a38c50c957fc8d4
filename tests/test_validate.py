"""Writing cases: schema, validate, new-case, the malformed corpus, the guide's example."""

from __future__ import annotations

import io
import json
import os
import time
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from timeline_sim.cases.loading import MAX_CASE_BYTES, CaseError, list_cases, load_case
from timeline_sim.cases.reference import REFERENCE_PAGE, case_schema, reference_markdown
from timeline_sim.cases.templates import template
from timeline_sim.cases.validate import line_index, validate_file
from timeline_sim.cli.main import main
from timeline_sim.engine.runner import run_one

from .conftest import ROOT, cli

MALFORMED = Path(__file__).resolve().parent / "malformed"
EXPECTED = json.loads((MALFORMED / "expected.json").read_text(encoding="utf-8"))
#: Rejected by ``validate`` only (the loader accepts targets in any order, see check_case).
VALIDATE_ONLY = {
    "date_signed_before_concluded.toml",
    "type_string_for_bool.toml",
    "variant_bad_value.toml",
}
# (and the values a variant sets: checked when the variant is applied, which validate does for each)
EXAMPLE = ROOT / "docs" / "examples" / "us_japan_semiconductors.toml"


def run_cli(*args: str) -> tuple[int, str, str]:
    """The command line in-process: exit status, stdout, stderr."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            status = main(list(args))
        except SystemExit as exc:  # argparse errors
            status = exc.code
    return status, out.getvalue(), err.getvalue()


# ------------------------------------------------------------------ schema and reference


def test_schema_command_prints_json_schema_of_both_kinds():
    status, out, _ = run_cli("schema")
    assert status == 0
    schema = json.loads(out)
    assert schema["$schema"].startswith("https://json-schema.org/")
    kinds = {
        schema["$defs"][ref["$ref"].rsplit("/", 1)[-1]]["properties"]["kind"]["const"]
        for ref in schema["oneOf"]
    }
    assert kinds == {"fta", "dispute"}
    sector = schema["$defs"]["Sector"]["properties"]
    assert "share" in sector["trade_share"]["description"]


def test_reference_page_is_current():
    """docs/case-schema.md is generated from the schema; regenerate it if this fails."""
    assert REFERENCE_PAGE.read_text(encoding="utf-8") == reference_markdown(), (
        "run: python -m timeline_sim.cli.docs"
    )


def test_schema_covers_every_field_of_every_model():
    defs = case_schema()["$defs"]
    for name in ("FtaCase", "DisputeCase", "Track", "DisputeTrack", "SideFacts", "Fact", "Target"):
        assert name in defs and defs[name]["additionalProperties"] is False


# ------------------------------------------------------------------ validate


@pytest.mark.parametrize("name", [p.stem for p in list_cases()])
def test_every_shipped_case_validates(name):
    assert validate_file(name) == []
    status, out, err = run_cli("validate", name)
    assert status == 0 and "valid" in out and err == ""


def test_validate_reports_every_problem_of_every_file_with_lines(tmp_path):
    text = (ROOT / "cases" / "korea_ftas.toml").read_text(encoding="utf-8")
    bad = text.replace("value = 273", "value = nan").replace(
        "partner_ask = 1.0", "partner_asks = 1.0", 1
    )
    path = tmp_path / "bad.toml"
    path.write_text(bad, encoding="utf-8")
    status, _, err = run_cli("validate", str(path), "korea_ftas", str(tmp_path / "nothere.toml"))
    assert status == 2
    lines = err.splitlines()
    members_line = next(i for i, line in enumerate(bad.splitlines(), 1) if "value = nan" in line)
    assert (
        f"{path}:{members_line}: parties.KOR.legislature.chambers[0].seats.value: "
        "must be a finite number" in err
    )
    assert any(
        "partner_asks: unknown field (did you mean 'partner_ask'?)" in line for line in lines
    )
    assert "nothere.toml: (file): no such case file" in err
    assert "1 of 3 files valid" in err


def test_line_index_finds_tables_arrays_and_inline_keys():
    text = (ROOT / "cases" / "japan_ftas.toml").read_text(encoding="utf-8")
    index = line_index(text)
    lines = text.splitlines()
    assert (
        lines[index["parties.JPN.legislature.sessions[1]"] - 1]
        .lstrip()
        .startswith('{ name = "154th')
    )
    assert "[[targets]]" in lines[index["targets[2]"] - 1]
    assert "partner_ask" in lines[index["tracks.mexico.issue.partner_ask"] - 1]
    assert "enabled" in lines[index["variants.no_singapore.changes.tracks.singapore.enabled"] - 1]


# ------------------------------------------------------------------ the malformed corpus


def test_corpus_is_large_enough():
    files = sorted(p.name for p in MALFORMED.glob("*.toml"))
    assert len(files) >= 40 and set(files) == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_malformed_file_is_rejected_naming_the_field(name):
    """Exit 2, a message naming the field (or the file-level problem), no traceback."""
    path = MALFORMED / name
    status, out, err = run_cli("validate", str(path))
    assert status == 2, err
    assert EXPECTED[name] in err, err
    assert str(path) in err and "Traceback" not in err + out
    if name in VALIDATE_ONLY:  # the order of targets: the loader lets tests move targets freely
        return
    with pytest.raises(CaseError):  # the loader (used by replay) rejects it too
        load_case(path)


def test_the_whole_corpus_through_the_real_command_line():
    """One process validates every malformed file: exit 2, every file named, no traceback."""
    files = sorted(str(MALFORMED / name) for name in EXPECTED)
    out = cli("validate", *files)
    assert out.returncode == 2 and "Traceback" not in out.stderr
    for path in files:
        assert path in out.stderr
    assert f"0 of {len(files)} files valid" in out.stderr


def test_replay_rejects_a_malformed_file_without_traceback():
    out = cli("replay", str(MALFORMED / "nan_fact.toml"))
    assert out.returncode == 2 and "tracks.chile.sectors[0].tariff.value" in out.stderr
    assert "Traceback" not in out.stderr and out.stdout == ""


def test_a_50_megabyte_file_is_rejected_without_reading_it(tmp_path):
    big = tmp_path / "huge.toml"
    with big.open("wb") as handle:
        line = b"# padding padding padding padding padding padding padding padding\n"
        for _ in range(50 * 1024 * 1024 // len(line) + 1):
            handle.write(line)
    assert big.stat().st_size >= 50 * 1024 * 1024
    start = time.perf_counter()
    status, _, err = run_cli("validate", str(big))
    elapsed = time.perf_counter() - start
    assert status == 2 and f"a case file may be at most {MAX_CASE_BYTES:,}" in err
    print(f"50 MB file rejected in {elapsed:.3f} s")


def test_a_directory_is_not_a_case(tmp_path):
    status, _, err = run_cli("validate", str(tmp_path))
    assert status == 2 and "is not a file" in err


# ------------------------------------------------------------------ new-case


@pytest.mark.parametrize("kind", ["fta", "dispute"])
def test_new_case_template_validates_and_replays(kind, tmp_path):
    out = tmp_path / f"my_{kind}.toml"
    status, stdout, err = run_cli("new-case", f"my_{kind}", "--kind", kind, "--out", str(out))
    assert status == 0, err
    assert out.read_text(encoding="utf-8") == template(f"my_{kind}", kind, out.name)
    assert out.read_text().startswith("#")  # commented
    assert validate_file(out) == []
    result = run_one(load_case(out), seed=0)
    assert result.targets and all(row["simulated"] is not None for row in result.targets)
    assert [p.name for p in tmp_path.iterdir()] == [out.name]  # no staging file left
    replay = cli("replay", str(out), "--seed", "1")
    assert replay.returncode == 0 and "error (days)" in replay.stdout


def test_new_case_refuses_to_overwrite(tmp_path):
    out = tmp_path / "mine.toml"
    out.write_text("keep me")
    status, _, err = run_cli("new-case", "mine", "--out", str(out))
    assert status == 2 and "refusing to overwrite" in err
    assert out.read_text() == "keep me" and len(list(tmp_path.iterdir())) == 1


def test_new_case_default_path_is_name_in_the_current_directory(tmp_path):
    out = cli("new-case", "here_case", "--kind", "dispute", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "here_case.toml").is_file()
    again = cli("new-case", "here_case", cwd=tmp_path)
    assert again.returncode == 2 and "refusing to overwrite" in again.stderr
    assert "Traceback" not in again.stderr


@pytest.mark.parametrize(
    "args, message",
    [
        (["new-case", "Bad-Name"], "NAME 'Bad-Name'"),
        (["new-case", "ok_name", "--kind", "treaty"], "invalid choice"),
        (["new-case", "ok_name", "--out", "{tmp}/missing/dir/x.toml"], "does not exist"),
        (["new-case", "ok_name", "--out", "{tmp}/x.txt"], "must end in .toml"),
        (["validate"], "required"),
        (["replay", "atlantis"], "no such case file"),
        (["replay", "korea_ftas", "--seed", "-3"], "negative"),
        (["replay", "korea_ftas", "--run", "-1"], "negative"),
    ],
)
def test_bad_options_are_clear_errors_and_write_nothing(args, message, tmp_path):
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    status, _, err = run_cli(*args)
    assert status == 2 and message in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_new_case_in_an_unwritable_directory(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    status, _, err = run_cli("new-case", "x_case", "--out", str(locked / "x.toml"))
    assert status == 2 and "cannot write" in err
    assert list(locked.iterdir()) == []


# ------------------------------------------------------------------ the guide's example


def test_the_guides_example_validates_replays_and_reports_its_target_errors():
    assert validate_file(EXAMPLE) == []
    case = load_case(EXAMPLE)
    assert case.kind == "dispute" and case.model.tuning_knobs == 1  # the declared unit conversion
    result = run_one(case, seed=0)
    (row,) = result.targets
    assert row["milestone"] == "agreement" and row["historical"] == "1986-07-31"
    assert row["error_days"] is not None and abs(row["error_days"]) < 120
    out = cli("replay", str(EXAMPLE), "--seed", "0")
    assert out.returncode == 0
    assert "1986-07-31" in out.stdout and "error (days)" in out.stdout
    assert "per-case tuning knobs: 1" in out.stdout


def test_nothing_in_a_case_file_reaches_outside_it(tmp_path):
    """No field names another file: a path-like value is just text, and is never opened."""
    text = EXAMPLE.read_text(encoding="utf-8").replace(
        'title = "US-Japan semiconductors, 1985-1986"', 'title = "../../../../etc/passwd"'
    )
    path = tmp_path / "case.toml"
    path.write_text(text + '\ninclude = "/etc/passwd"\n', encoding="utf-8")
    status, _, err = run_cli("validate", str(path))
    assert status == 2 and "include: unknown field" in err
