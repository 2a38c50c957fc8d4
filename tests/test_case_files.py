"""Case files: every shipped case validates and runs; targets never drive a run."""

from __future__ import annotations

import datetime as dt
import sys

import pandas as pd
import pytest

from timeline_sim.cases.loading import CaseError, list_cases, load_case
from timeline_sim.engine.runner import run_one

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

SHIPPED = [path.stem for path in list_cases()]


@pytest.mark.parametrize("name", SHIPPED)
def test_every_shipped_case_validates_and_runs(name):
    """Each case file loads, runs and reaches at least one milestone on every track."""
    case = load_case(name)
    result = run_one(case, seed=0)
    # no declared knob; the count adds the shared parameters only this case uses
    assert len(case.model.tuning) == 0
    assert result.tuning_knobs == len(result.single_case_parameters)
    for track in result.tracks.values():
        assert any(value is not None for value in track["milestones"].values())


@pytest.mark.parametrize("name", SHIPPED)
def test_every_variant_of_every_case_runs(name):
    """Every declared counterfactual applies and runs."""
    for variant in load_case(name).model.variants:
        assert run_one(load_case(name, variant=variant), seed=0).variant == variant


def _shift_targets(text: str, days: int) -> str:
    data = tomllib.loads(text)
    for target in data.get("targets", []):
        old = target["date"]
        if len(old) == 10:
            new = (dt.date.fromisoformat(old) + dt.timedelta(days=days)).isoformat()
            text = text.replace(f'date = "{old}"\nsource', f'date = "{new}"\nsource')
    return text


@pytest.mark.parametrize("name", ["korea_ftas", "japan_ftas"])
def test_moving_the_targets_changes_nothing_in_the_run(name, tmp_path):
    """Emergence: targets are only compared against, never scheduled."""
    original = load_case(name)
    shifted_text = _shift_targets(original.path.read_text(), 400)
    assert shifted_text != original.path.read_text()
    path = tmp_path / f"{name}.toml"
    path.write_text(shifted_text)
    shifted = load_case(path)
    assert [t.date for t in shifted.model.targets] != [t.date for t in original.model.targets]
    for seed in (0, 1):
        pd.testing.assert_frame_equal(
            run_one(original, seed=seed).events, run_one(shifted, seed=seed).events
        )


def test_moving_an_input_moves_the_outcome(tmp_path):
    """Inputs do drive the run: opening the Chile talks a year later delays the conclusion."""
    case = load_case("korea_ftas")
    text = case.path.read_text().replace('date = "1999-12-14"', 'date = "2000-12-14"')
    path = tmp_path / "late.toml"
    path.write_text(text)
    early = [run_one(case, seed=s).tracks["chile"]["milestones"]["concluded"] for s in range(10)]
    late = [
        run_one(load_case(path), seed=s).tracks["chile"]["milestones"]["concluded"]
        for s in range(10)
    ]
    assert sorted(late)[5] > sorted(early)[5]


def test_a_malformed_case_names_the_file_the_field_and_the_problem(tmp_path):
    """Bad input: one line per problem, FILE: FIELD: PROBLEM, all problems at once."""
    text = load_case("korea_ftas").path.read_text()
    text = text.replace("value = 273", 'value = "many"').replace(
        "partner_ask = 1.0", "partner_asks = 1.0", 1
    )
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(CaseError) as info:
        load_case(path)
    message = info.value.format()
    assert f"{path}: parties.KOR.legislature.chambers[0].seats.value:" in message
    assert "partner_asks: unknown field (did you mean 'partner_ask'?)" in message
    assert "partner_ask: Field required" in message


@pytest.mark.slow
def test_the_installed_package_ships_every_case_file(tmp_path):
    """`pip install .` then `timeline-sim replay korea_ftas` from anywhere: the wheel holds the cases."""
    import subprocess
    import sys
    import zipfile

    from .conftest import ROOT

    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("timeline_sim-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {f"timeline_sim/cases/shipped/{name}.toml" for name in SHIPPED} <= names
    # every subpackage is listed in pyproject.toml, so the wheel holds every module
    modules = {str(p.relative_to(ROOT)) for p in (ROOT / "timeline_sim").rglob("*.py")}
    assert modules <= names, modules - names
