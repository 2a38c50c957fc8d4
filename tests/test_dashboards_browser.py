"""Dashboards rendered in a real browser: Playwright driving Debian's chromium, network off.

Skipped, with the reason, only if chromium or the playwright package is missing
(the README's test command installs both). Screenshots go to each test's tmp_path.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest

from tests.test_dashboards import built  # noqa: F401  (the shared, saved results and dashboards)
from timeline_sim.cases.loading import load_case
from timeline_sim.cli.main import main
from timeline_sim.studies import ExecutionOptions, StudySpec, run_many

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
READY = (
    "() => document.querySelectorAll('.plotly-graph-div').length > 0 && "
    "[...document.querySelectorAll('.plotly-graph-div')].every(g => g._fullLayout && g.data)"
)


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="the playwright package is not installed"
    )
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium is not installed (apt-get install -y chromium)")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


class Opened:
    def __init__(self, page, errors, requests, seconds):
        self.page, self.errors, self.requests, self.seconds = page, errors, requests, seconds

    def traces(self) -> list[int]:
        return self.page.evaluate(
            "[...document.querySelectorAll('.js-plotly-plot')].map(g => g.data.length)"
        )

    def data(self, figure: str) -> list[dict]:
        return self.page.evaluate(
            f"document.getElementById('figure-{figure}').data.map(t => ({{name: t.name, meta: t.meta ?? null, "
            "x: Array.from(t.x ?? []), text: t.text ?? null}))"
        )


def open_page(browser, path: Path, screenshot: Path | None = None) -> Opened:
    """Open a dashboard from disk with every network request aborted; wait until drawn."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, offline=True)
    page = context.new_page()
    errors, requests = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))

    def abort(route):
        requests.append(route.request.url)
        route.abort()

    page.route("http://**/*", abort)
    page.route("https://**/*", abort)
    start = time.perf_counter()
    page.goto(path.resolve().as_uri())
    page.wait_for_function(READY, timeout=60_000)
    seconds = time.perf_counter() - start
    if screenshot is not None:
        page.screenshot(path=str(screenshot), full_page=True)
        assert screenshot.stat().st_size > 10_000
    return Opened(page, errors, requests, seconds)


def test_replay_dashboard_in_the_browser(browser, built, tmp_path):  # noqa: F811
    from timeline_sim.figures import replay as figures_replay

    opened = open_page(browser, built["replay"], tmp_path / "replay.png")
    assert opened.errors == [] and opened.requests == []
    expected = [
        len(f.data)
        for _k, f in figures_replay.replay_figures(figures_replay.load_replay(built["replay_dir"]))
    ]
    assert opened.traces() == expected
    data = opened.data("timeline")
    history = [t for t in data if t["meta"] == "historical-targets"]
    targets = load_case("korea_ftas").model.targets
    assert history and len(history[0]["x"]) == len(targets)  # every target, with its error
    # the failed votes and the protests between signature and ratification
    chile = json.loads((built["replay_dir"] / "summary.json").read_text())["tracks"]["chile"][
        "milestones"
    ]
    signed, ratified = chile["signed"], chile["ratified"]

    def between(name: str) -> list[str]:
        trace = next(t for t in data if t["name"] == name)
        return [x[:10] for x in trace["x"] if signed <= x[:10] <= ratified]

    assert between("votes failed") and between("votes blocked")
    assert len(between("farm protests (size = crowd)")) >= 5
    legend = opened.page.evaluate(
        "[...document.querySelectorAll('.legendtext')].map(e => e.textContent)"
    )
    assert "votes failed" in legend and "farm protests (size = crowd)" in legend
    # dates, not day numbers, on the time axis
    ticks = opened.page.evaluate(
        "[...document.querySelectorAll('#figure-timeline g[class] > text')]"
        ".filter(e => /^x\\d*tick$/.test(e.parentNode.getAttribute('class'))).map(e => e.textContent)"
    )
    assert any(t.startswith("Jan 20") for t in ticks)


def test_study_dashboard_marks_history(browser, built, tmp_path):  # noqa: F811
    from timeline_sim.figures import study as figures_study

    opened = open_page(browser, built["study"], tmp_path / "study.png")
    assert opened.errors == [] and opened.requests == []
    expected = [len(f.data) for _k, f in figures_study.study_figures(built["study_dir"])[0]]
    assert opened.traces() == expected
    marks = [t for t in opened.data("delays") if t["meta"] == "historical"]
    chile = [t for t in marks if t["name"] == "historical: Chile, ratification delay"]
    assert chile and chile[0]["x"][0] == 366
    assert "historical 366 days" in opened.page.evaluate(
        "document.getElementById('figure-delays').textContent"
    )
    assert [t for t in opened.data("milestones") if t["meta"] == "historical"]


def test_comparison_dashboard(browser, built, tmp_path):  # noqa: F811
    from timeline_sim.figures import study as figures_study

    opened = open_page(browser, built["compare"], tmp_path / "compare.png")
    assert opened.errors == [] and opened.requests == []
    assert opened.traces() == [
        len(f.data) for _k, f in figures_study.study_figures(built["compare_dir"])[0]
    ]
    names = {t["name"] for t in opened.data("delays")}
    assert {"baseline", "variant"} <= names


def test_disputes_replay_dashboard(browser, built, tmp_path):  # noqa: F811
    opened = open_page(browser, built["disputes"], tmp_path / "disputes.png")
    assert opened.errors == [] and opened.requests == []
    names = {t["name"] for t in opened.data("timeline")}
    assert "threats: 301, WTO, sanctions" in names and "historical date (target)" in names


def test_script_in_a_case_description_renders_as_text_and_never_runs(browser, built, tmp_path):  # noqa: F811
    opened = open_page(browser, built["hostile"], tmp_path / "hostile.png")
    page = opened.page
    assert opened.errors == []
    assert "<script>window.__pwned = 1</script>" in page.locator("p.description").inner_text()
    assert "<b onmouseover" in page.locator("ul.tracks").inner_text()
    page.mouse.move(300, 200)
    page.hover("ul.tracks")
    page.wait_for_timeout(300)
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.evaluate("document.querySelectorAll('img').length") == 0


def _study_dashboard(tmp: Path, runs: int, workers: int) -> Path:
    run_many(
        StudySpec("korea_ftas", runs=runs),
        ExecutionOptions(workers=workers),
        out=tmp / f"study-{runs}",
    )
    out = tmp / f"study-{runs}.html"
    assert main(["dashboard", "study", str(tmp / f"study-{runs}"), "--out", str(out)]) == 0
    return out


@pytest.mark.slow
def test_a_10000_run_study_dashboard_opens_and_responds(browser, tmp_path, capsys):
    big = _study_dashboard(tmp_path, 10_000, workers=2)
    small = _study_dashboard(tmp_path, 1_000, workers=2)
    results = {}
    for name, path in (("1,000 runs", small), ("10,000 runs", big)):
        opened = open_page(browser, path, tmp_path / f"{path.stem}.png")
        assert opened.errors == [] and opened.requests == []
        start = time.perf_counter()
        opened.page.evaluate("Plotly.relayout('figure-delays', {'xaxis.range': [900, 1500]})")
        opened.page.hover("#figure-milestones .nsewdrag")
        respond = time.perf_counter() - start
        results[name] = (path.stat().st_size, opened.seconds, respond)
        assert respond < 5
    with capsys.disabled():
        for name, (size, load, respond) in results.items():
            print(
                f"\n{name}: {size / 1e6:.2f} MB, loaded and drawn in {load:.2f} s, relayout+hover {respond:.2f} s"
            )
    # pre-binned: ten times the runs, about the same file
    assert results["10,000 runs"][0] < 1.2 * results["1,000 runs"][0]
    assert results["10,000 runs"][1] < 30


#: visible text labels of every figure: annotations (subplot titles), legend entries, titles
OVERLAPS = """() => {
  const out = [];
  for (const g of document.querySelectorAll('.js-plotly-plot')) {
    const boxes = [...g.querySelectorAll('.annotation-text, .legendtext, .gtitle, .xtitle, .ytitle')]
      .filter(e => e.textContent.trim() && getComputedStyle(e).visibility !== 'hidden'
                   && getComputedStyle(e).opacity !== '0')
      .map(e => [e.textContent.trim(), e.getBoundingClientRect()])
      .filter(([_t, r]) => r.width > 0 && r.height > 0);
    for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
      const [a, r] = boxes[i], [b, s] = boxes[j];
      const w = Math.min(r.right, s.right) - Math.max(r.left, s.left);
      const h = Math.min(r.bottom, s.bottom) - Math.max(r.top, s.top);
      if (w > 1 && h > 1) out.push(`${g.id}: '${a}' overlaps '${b}'`);
    }
  }
  return out;
}"""
#: traces drawn with markers that the legend does not list
UNLISTED = (
    "[...document.querySelectorAll('.js-plotly-plot')].flatMap(g => g.data"
    ".filter(t => (t.type ?? 'scatter') === 'scatter' && (t.mode ?? '').includes('markers')"
    " && t.showlegend === false).map(t => `${g.id}: ${t.name}`))"
)


@pytest.mark.parametrize("name", ["replay", "study", "disputes"])
def test_labels_do_not_overlap_and_markers_are_in_the_legend(browser, built, tmp_path, name):  # noqa: F811
    opened = open_page(browser, built[name], tmp_path / f"{name}.png")
    assert opened.errors == [] and opened.requests == []
    assert opened.page.evaluate(OVERLAPS) == []
    assert opened.page.evaluate(UNLISTED) == []


@pytest.mark.parametrize("name", ["replay", "disputes"])
def test_time_axis_ticks_are_dates(browser, built, tmp_path, name):  # noqa: F811
    import datetime as dt

    opened = open_page(browser, built[name])
    ticks = opened.page.evaluate(
        "[...document.querySelectorAll('#figure-timeline .xtick text, #figure-timeline .x2tick text,"
        " #figure-timeline [class^=x][class$=tick] text')].map(e => e.textContent).filter(t => t)"
    )
    assert ticks
    for tick in ticks:
        dt.datetime.strptime(tick, "%b %Y")  # a month and a year, never a day number
    opened.page.locator("#figure-timeline").screenshot(path=str(tmp_path / f"{name}-timeline.png"))


def test_plotlyjs_from_a_directory_renders_offline(browser, built, tmp_path):  # noqa: F811
    out = tmp_path / "replay.html"
    argv = ["dashboard", "replay", "--from", str(built["replay_dir"]), "--out", str(out)]
    assert main([*argv, "--plotlyjs", "directory"]) == 0
    opened = open_page(browser, out, tmp_path / "directory.png")
    assert opened.errors == [] and opened.requests == []
