"""Dashboards built from saved results: the command line, the page, escaping, conventions.

The browser checks (rendering, console errors, scripts that must not run) are in
``test_dashboards_browser.py``; these run without a browser.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from timeline_sim import load_case
from timeline_sim.cli.main import main
from timeline_sim.figures import replay as figures_replay
from timeline_sim.figures import study as figures_study
from timeline_sim.output.files import write_replay
from timeline_sim.studies import ExecutionOptions, StudySpec, compare, run_many

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">'


def hostile_case(directory: Path) -> Path:
    """korea_ftas with HTML and script in its description, title and a track description."""
    text = (ROOT / "cases" / "korea_ftas.toml").read_text()
    text = re.sub(
        r'^description = ".*"$',
        f"description = {json.dumps('Korea ' + SCRIPT)}",
        text,
        count=1,
        flags=re.M,
    )
    text = text.replace('name = "korea_ftas"', 'name = "korea_hostile"')
    text = text.replace(
        'description = "The difficult FTA',
        'description = "<b onmouseover=\\"window.__pwned = 3\\">bold?</b> The difficult FTA',
        1,
    )
    path = directory / "korea_hostile.toml"
    path.write_text(text)
    load_case(path)  # still a valid case
    return path


@pytest.fixture(scope="session")
def built(tmp_path_factory, korea_fight) -> dict[str, Path]:
    """Saved results and dashboards shared by the dashboard tests (small studies)."""
    base = tmp_path_factory.mktemp("dashboards")
    case = load_case("korea_ftas")
    write_replay(base / "replay-korea", case, korea_fight[1].world.params, korea_fight[1])
    run_many(
        StudySpec("korea_ftas", runs=200), ExecutionOptions(workers=2), out=base / "study-korea"
    )
    compare(
        StudySpec("korea_ftas", runs=200),
        "singapore_first",
        ExecutionOptions(workers=2),
        out=base / "compare-korea",
    )
    hostile = hostile_case(base)
    out = {
        "replay_dir": base / "replay-korea",
        "study_dir": base / "study-korea",
        "compare_dir": base / "compare-korea",
        "hostile_case": hostile,
    }
    for name, argv in {
        "replay": [
            "dashboard",
            "replay",
            "--from",
            str(base / "replay-korea"),
            "--out",
            str(base / "replay.html"),
        ],
        "study": [
            "dashboard",
            "study",
            str(base / "study-korea"),
            "--out",
            str(base / "study.html"),
        ],
        "compare": [
            "dashboard",
            "study",
            str(base / "compare-korea"),
            "--out",
            str(base / "compare.html"),
        ],
        "hostile": [
            "dashboard",
            "replay",
            str(hostile),
            "--seed",
            "1",
            "--out",
            str(base / "hostile.html"),
        ],
        "disputes": ["dashboard", "replay", "us_japan_autos", "--out", str(base / "disputes.html")],
    }.items():
        assert main(argv) == 0, name
        out[name] = base / f"{name}.html"
    return out


def test_every_dashboard_is_one_self_contained_file(built):
    for name in ("replay", "study", "compare", "hostile", "disputes"):
        text = built[name].read_text()
        assert text.startswith("<!DOCTYPE html>")
        # plotly.js is inline; nothing is loaded from a network
        assert "Plotly" in text and len(text) > 3_000_000
        assert not re.search(r"<script[^>]+src=", text), name
        assert not re.search(
            r"<link[^>]+href=", text
        )  # (plotly.js itself names its CDN as a default)
        assert "connect-src 'none'" in text  # the page may fetch nothing


def test_replay_dashboard_from_a_case_saves_then_reads(tmp_path, capsys):
    out = tmp_path / "k.html"
    assert main(["dashboard", "replay", "korea_ftas", "--seed", "3", "--out", str(out)]) == 0
    assert "self-contained" in capsys.readouterr().out
    html = out.read_text()
    assert "South Korea&#x27;s first FTAs" in html or "South Korea's first FTAs" in html
    assert "seed 3" in html


def test_case_text_is_escaped(built):
    html = built["hostile"].read_text()
    assert "<script>window.__pwned" not in html
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in html
    assert "<img src=x" not in html and "<b onmouseover" not in html


def test_replay_figure_has_lanes_phases_history_and_states(built):
    replay = figures_replay.load_replay(built["replay_dir"])
    fig = figures_replay.replay_timeline(replay)
    names = [t.name for t in fig.data]
    for expected in (
        "phase: talks",
        "phase: ratification",
        "votes failed",
        "votes blocked",
        "farm protests (size = crowd)",
        "historical date (target)",
        "side payments offered",
    ):
        assert expected in names, expected
    assert any(n.startswith("business pressure") for n in names)
    assert fig.layout.xaxis.type == "date"
    # deadlines, summits and elections as vertical lines through every panel
    assert sum(1 for s in fig.layout.shapes if s.yref == "paper") >= 4
    history = next(t for t in fig.data if t.name == "historical date (target)")
    assert len(history.x) == len(replay.targets)
    assert any(text.endswith(" d") for text in history.text)  # the error in days


def test_protests_sized_by_crowd_and_inputs_carry_sources(built):
    fig = figures_replay.replay_timeline(figures_replay.load_replay(built["replay_dir"]))
    protests = next(t for t in fig.data if t.name == "farm protests (size = crowd)")
    assert len(set(round(s, 3) for s in protests.marker.size)) > 3
    inputs = next(t for t in fig.data if t.name.startswith("summits, deadlines"))
    assert all("source: " in text for text in inputs.hovertext)


def test_study_dashboard_places_the_historical_366_days(built):
    study = figures_study.load_study(built["study_dir"])
    delays = figures_study.study_distributions(study, figures_study.DELAY_OUTCOMES, "delays")
    marks = [
        t
        for t in delays.data
        if t.meta == "historical" and t.legendgroup.endswith("ratification_delay_days")
    ]
    chile = [t for t in marks if "Chile" in t.name and "ratification delay" in t.name]
    assert chile and chile[0].x[0] == 366
    assert "percentile" in chile[0].text[1]
    # the histogram is pre-binned: a few dozen bars, not one point per run
    bars = [t for t in delays.data if t.type == "bar"]
    assert all(len(b.x) <= 41 for b in bars)


def test_cumulative_curves_reach_the_share_of_runs_that_reached(built):
    study = figures_study.load_study(built["study_dir"])
    x, y = figures_study.cumulative_curve(study.runs["chile.ratified"], len(study.runs))
    assert y[0] == 0 and y[-1] == pytest.approx(100 * study.runs["chile.reached_ratified"].mean())
    assert all(b >= a for a, b in zip(y, y[1:], strict=False))


def test_comparison_dashboard_shows_effects_with_intervals(built):
    figs, _context = figures_study.study_figures(built["compare_dir"])
    effects = dict(figs)["effects"]
    days = effects.data[0]
    assert days.error_x.array is not None and len(days.x) >= 2
    comparison = json.loads((built["compare_dir"] / "comparison.json").read_text())
    r = comparison["tracks"]["chile"]["ratification_delay_days"]
    i = list(days.y).index("Chile: ratification delay (days)")
    assert days.x[i] == pytest.approx(r["effect"])
    assert days.x[i] + days.error_x.array[i] == pytest.approx(r["ci_high"])


def test_percentile_of():
    import numpy as np

    assert figures_study.percentile_of(np.array([1.0, 2.0, 3.0, 4.0]), 2.5) == 50.0
    assert figures_study.percentile_of(np.array([1.0, 2.0, 3.0]), 2.0) == pytest.approx(50.0)


def test_static_export_without_kaleido_is_a_clear_usage_error(tmp_path, capsys, monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_kaleido(name, *args, **kwargs):
        if name == "kaleido":
            raise ImportError("no kaleido")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_kaleido)
    status = main(
        ["dashboard", "replay", "korea_ftas", "--out", str(tmp_path / "k.png"), "--format", "png"]
    )
    assert status == 2
    err = capsys.readouterr().err
    assert "kaleido" in err and "pip install kaleido" in err and "Traceback" not in err
    assert not list(tmp_path.iterdir())


def test_bad_options_exit_2(tmp_path, capsys):
    assert main(["dashboard", "replay", "--out", str(tmp_path / "x.html")]) == 2
    assert (
        main(["dashboard", "replay", "--from", str(tmp_path), "--out", str(tmp_path / "x.html")])
        == 2
    )
    assert "not a replay directory" in capsys.readouterr().err
    assert (
        main(["dashboard", "study", str(tmp_path / "missing"), "--out", str(tmp_path / "x.html")])
        == 2
    )
    assert main(["dashboard", "study", str(tmp_path), "--out", str(tmp_path)]) == 2
    assert "is a directory" in capsys.readouterr().err


def test_sequencing_story_script(tmp_path):
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "sequencing_story", ROOT / "dashboards" / "sequencing_story.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    out = tmp_path / "story.html"
    assert (
        module.main(["--out", str(out), "--runs", "60", "--results", str(tmp_path / "results")])
        == 0
    )
    html = out.read_text()
    assert "Japan" in html and "Singapore first" in html and "singapore_first" in html
    assert (tmp_path / "results" / "compare-korea-singapore_first" / "comparison.json").is_file()


def test_replay_timeline_axis_history_phases_votes_and_labels(built):
    replay = figures_replay.load_replay(built["replay_dir"])
    fig = figures_replay.replay_timeline(replay)
    layout = fig.layout
    bottom = max((k for k in layout if k.startswith("xaxis")), key=lambda k: int(k[5:] or 1))
    assert layout[bottom].rangeslider.visible
    assert layout.xaxis.showticklabels and layout.xaxis.tickformat == "%b %Y"
    # trimmed to the case's span: the first event and the last historical date, padded
    import pandas as pd

    low, high = (pd.Timestamp(x) for x in layout.xaxis.range)
    assert low <= replay.events["date"].min() and high >= pd.Timestamp("2006-03-02")
    assert high - low < pd.Timedelta(days=365 * 9)
    phases = next(t for t in fig.data if t.meta == "historical-phases")
    assert all(y.endswith("· history") for y in phases.y) and len(phases.y) >= 4
    colours = {
        t.name: t.marker.color for t in fig.data if t.name in ("votes failed", "votes blocked")
    }
    failed, blocked = (set(colours[n]) for n in ("votes failed", "votes blocked"))
    assert failed.isdisjoint(blocked)
    for trace in fig.data:
        if "markers" in (getattr(trace, "mode", None) or ""):
            assert trace.showlegend is not False, trace.name
    lines = [s for s in layout.shapes if s.yref == "paper"]
    words = {w for s in lines for w in s.label.text.split(", ") if w}
    assert lines and lines[0].label.text and words == {"summit", "election", "deadline"} & words
    assert {"summit", "election"} <= words
    # human names: no snake_case track or milestone names in lanes or the table
    assert "Chile · phases" in fig.layout.yaxis.categoryarray
    html = built["replay"].read_text()
    assert "entry into force" in html and "<td>entry_into_force</td>" not in html
    assert "<li><b>Chile</b>" in html and "<b>chile</b>" not in html


@pytest.mark.parametrize("mode", ["cdn", "directory"])
def test_plotlyjs_option_on_replay_and_study(built, tmp_path, mode):
    from plotly.offline import get_plotlyjs_version

    for kind, source in (("replay", ["--from", str(built["replay_dir"])]), ("study", [])):
        out = tmp_path / kind / f"{kind}.html"
        argv = ["dashboard", kind, *source]
        if kind == "study":
            argv.append(str(built["study_dir"]))
        assert main([*argv, "--out", str(out), "--plotlyjs", mode]) == 0
        html = out.read_text()
        assert len(html) < 1_000_000  # plotly.js is not inlined
        csp = re.search(r"Content-Security-Policy' content=\"([^\"]*)\"", html).group(1)
        if mode == "cdn":
            url = f"https://cdn.plot.ly/plotly-{get_plotlyjs_version()}.min.js"
            assert f"<script src='{url}'" in html and "https://cdn.plot.ly" in csp
            assert not (out.parent / "plotly.min.js").exists()
        else:
            assert "<script src='plotly.min.js'" in html and "https:" not in csp
            assert (out.parent / "plotly.min.js").stat().st_size > 3_000_000
        assert "connect-src 'none'" in csp


def test_dashboard_story_command(tmp_path, capsys):
    out = tmp_path / "story.html"
    argv = ["dashboard", "story", "--runs", "30", "--results", str(tmp_path / "r")]
    assert main([*argv, "--out", str(out)]) == 0
    html = out.read_text()
    assert "Japan" in html and "Singapore first" in html and len(html) > 3_000_000
    assert (tmp_path / "r" / "replay-japan" / "events.csv").is_file()
    assert main(["dashboard", "story", "--runs", "0", "--out", str(out)]) == 2


def test_study_distributions_have_median_band_and_labelled_history(built):
    import numpy as np

    study = figures_study.load_study(built["study_dir"])
    figs = dict(figures_study.study_figures(built["study_dir"])[0])
    for key in ("delays", "ratification"):
        fig = figs[key]
        panels = {t.xaxis for t in fig.data if t.type == "bar"}
        for meta in ("median", "band"):
            assert {t.xaxis for t in fig.data if t.meta == meta} == panels, (key, meta)
    delays = figs["delays"]
    column = figures_study.column_values(study.runs, "chile.ratification_delay_days")
    median = next(
        t for t in delays.data if t.meta == "median" and t.xaxis == _axis_of(delays, "Chile")
    )
    assert median.x[0] == pytest.approx(float(np.median(column)))
    marks = [t for t in delays.data if t.meta == "historical"]
    assert marks and all(t.name.startswith("historical: ") and "_" not in t.name for t in marks)
    # one colour per milestone across the tracks' panels of the milestones figure
    colours: dict[str, set] = {}
    for t in figs["milestones"].data:
        if t.meta != "historical":
            colours.setdefault(t.name, set()).add(t.line.color)
    assert colours and all(len(c) == 1 for c in colours.values())
    assert all("_" not in name for name in colours)


def _axis_of(fig, track: str) -> str:
    """The x axis of the ratification delay panel of ``track``."""
    for k, a in enumerate(fig.layout.annotations, start=1):
        if a.text.startswith(track) and "Ratification" in a.text:
            return "x" if k == 1 else f"x{k}"
    raise AssertionError(track)


def test_sweep_dashboard_shows_each_outcome_along_the_grid(tmp_path):
    """A sweep directory: one box per grid value in every panel whose outcome varies."""
    import json as _json

    from timeline_sim.cli.main import main as cli_main
    from timeline_sim.figures.sweep import sweep_figures

    out = tmp_path / "sweep"
    argv = ["sweep", "korea_ftas", "--param", "ratification.block_threshold", "--values", "0.5,2"]
    assert cli_main([*argv, "--runs", "12", "--out", str(out)]) == 0
    ((key, fig),) = sweep_figures(out)[0]
    boxes = [t for t in fig.data if t.type == "box"]
    panels = len(fig.layout.annotations) - sum(
        1 for a in fig.layout.annotations if a.text == "history"
    )
    assert len(boxes) == 2 * panels and {b.name for b in boxes} == {"0.5", "2"}
    assert all(len(b.y) > 0 for b in boxes)
    titles = [a.text for a in fig.layout.annotations if a.text != "history"]
    assert "Singapore: failed or blocked votes" not in titles  # zero in every run: no panel
    assert all("_" not in t for t in titles)
    html = tmp_path / "sweep.html"
    assert cli_main(["dashboard", "study", str(out), "--out", str(html)]) == 0
    assert "Sweep of ratification.block_threshold" in html.read_text()
    assert _json.loads((out / "sweep.json").read_text())["values"] == [0.5, 2.0]


def test_study_history_list_uses_the_project_number_format(built):
    """Side payments read as US$1.0bn and the concession as a percentage, never 1e+09."""
    from timeline_sim.figures.study import _history_list
    from timeline_sim.figures.study_data import load_study

    text = _history_list(load_study(built["study_dir"]))
    assert "US$1.0bn" in text and "58.6%" in text
    assert "e+0" not in text
