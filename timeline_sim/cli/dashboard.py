"""``timeline-sim dashboard``: interactive HTML (or static) dashboards of replays and studies.

- ``dashboard replay CASE [--seed N] [--variant V] --out FILE.html`` runs the
  replay, saves it to a temporary replay directory and builds the dashboard from
  those saved files (the figure code never sees the running model);
- ``dashboard replay --from DIR --out FILE.html`` builds it from a saved replay
  directory (``timeline-sim replay CASE --out DIR``);
- ``dashboard study DIR --out FILE.html`` from a Monte Carlo directory
  (``montecarlo --out DIR``) or a comparison directory (``compare --out DIR``);
- ``dashboard story --out FILE.html [--seed N] [--runs N] [--results DIR]`` runs and
  saves three replays and a paired comparison, then builds the sequencing story
  (Japan's and Korea's first FTAs, and Korea's ``singapore_first`` counterfactual);
- ``--plotlyjs inline|cdn|directory``: plotly.js inlined (default, works offline), a
  script tag to the plotly CDN, or ``plotly.min.js`` written beside the HTML;
- ``--format png|svg|pdf`` writes one static file per figure
  (``FILE-timeline.png`` ...) where the kaleido package is installed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from timeline_sim.cli.errors import UsageError

FORMATS = ("html", "png", "svg", "pdf")
PLOTLYJS = ("inline", "cdn", "directory")


def register(sub: Any) -> None:
    """Add the ``dashboard`` command to the ``timeline-sim`` parser."""
    dash = sub.add_parser("dashboard", help="interactive HTML dashboards of a replay or a study")
    kinds = dash.add_subparsers(dest="dashboard_kind", required=True, parser_class=type(dash))

    replay = kinds.add_parser("replay", help="a replay: swimlanes, events, state curves, history")
    replay.add_argument("case", nargs="?", help="a shipped case name or a path to a .toml file")
    replay.add_argument(
        "--from",
        dest="source",
        type=Path,
        metavar="DIR",
        help="a saved replay directory (timeline-sim replay CASE --out DIR) instead of CASE",
    )
    replay.add_argument("--seed", type=int, default=0, help="random seed of the replay (default 0)")
    replay.add_argument("--variant", help="a counterfactual variant declared in the case file")
    _output(replay)
    replay.set_defaults(handler=cmd_dashboard_replay)

    study = kinds.add_parser("study", help="a Monte Carlo study or a comparison directory")
    study.add_argument("directory", type=Path, help="montecarlo --out DIR or compare --out DIR")
    _output(study)
    study.set_defaults(handler=cmd_dashboard_study)

    story = kinds.add_parser(
        "story", help="the sequencing story: Japan's and Korea's first FTAs, Singapore first"
    )
    story.add_argument("--seed", type=int, default=0, help="seed of the replays and the study")
    story.add_argument("--runs", type=int, default=500, help="paired runs of the comparison")
    story.add_argument("--workers", type=int, default=2, help="worker processes")
    story.add_argument("--results", type=Path, metavar="DIR", help="keep the saved results here")
    _output(story)
    story.set_defaults(handler=cmd_dashboard_story)


def _output(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--out", type=Path, required=True, help="the HTML file to write (FILE.html)"
    )
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="html",
        help="html (default, one self-contained file) or a static format: one file "
        "per figure, FILE-NAME.png (needs the kaleido package)",
    )
    parser.add_argument(
        "--plotlyjs",
        choices=PLOTLYJS,
        default="inline",
        help="inline (default: plotly.js inside the page, works offline), cdn (a script tag "
        "to the plotly CDN) or directory (plotly.min.js written beside the HTML)",
    )


def _check_out(out: Path) -> None:
    target = out.resolve()
    if target.is_dir():
        raise UsageError(
            f"--out {out}: is a directory; give a file name such as {out / 'dashboard.html'}"
        )
    parent = target.parent
    while not parent.exists():
        parent = parent.parent
    if not os.access(parent, os.W_OK):
        raise UsageError(f"--out {out}: cannot write in {parent}")


def _write(html: str, figures: list, args: argparse.Namespace) -> int:
    from timeline_sim.figures.common import (
        ExportUnavailable,
        export_static,
        write_html,
        write_plotlyjs,
    )

    if args.format == "html":
        path = write_html(args.out, html)
        how = {
            "inline": "self-contained; open it in any browser",
            "cdn": "loads plotly.js from its CDN",
            "directory": "loads plotly.min.js beside it",
        }[args.plotlyjs]
        if args.plotlyjs == "directory":
            print(f"wrote {write_plotlyjs(path.parent)}")
        print(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB, {how})")
        return 0
    try:
        written = export_static(figures, args.out, args.format)
    except ExportUnavailable as exc:
        raise UsageError(str(exc)) from None
    for path in written:
        print(f"wrote {path}")
    return 0


def _check_format(args: argparse.Namespace) -> None:
    if args.format != "html":
        try:
            import kaleido  # noqa: F401
        except ImportError:
            from timeline_sim.figures.common import ExportUnavailable, export_static

            try:
                export_static([], args.out, args.format)
            except ExportUnavailable as exc:
                raise UsageError(str(exc)) from None


def cmd_dashboard_replay(args: argparse.Namespace) -> int:
    from timeline_sim.figures.replay import replay_html

    _check_out(args.out)
    _check_format(args)
    if args.source is not None:
        if args.case is not None:
            raise UsageError("give a CASE to run or --from DIR (a saved replay), not both")
        if args.variant is not None or args.seed != 0:
            raise UsageError(
                "--seed and --variant belong to a new replay; --from DIR shows the one saved there"
            )
        try:
            html, figs = replay_html(args.source, args.plotlyjs)
        except FileNotFoundError as exc:
            raise UsageError(f"--from {exc}") from None
        return _write(html, figs, args)
    if args.case is None:
        raise UsageError("give a CASE to replay, or --from DIR for a saved replay directory")
    if args.seed < 0:
        raise UsageError(f"--seed {args.seed} is negative; give 0 or more")
    from timeline_sim.cases.loading import load_case
    from timeline_sim.engine.runner import run_one
    from timeline_sim.models.posterior import default_params
    from timeline_sim.output.files import write_replay

    case = load_case(args.case, variant=args.variant)
    params = default_params(case.kind)
    result = run_one(case, params, seed=args.seed)
    scratch = Path(tempfile.mkdtemp(prefix="timeline-sim-dashboard-"))
    try:
        write_replay(scratch / "replay", case, params, result)
        html, figs = replay_html(scratch / "replay", args.plotlyjs)
        return _write(html, figs, args)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def cmd_dashboard_study(args: argparse.Namespace) -> int:
    from timeline_sim.figures.study import study_html

    _check_out(args.out)
    _check_format(args)
    directory = args.directory
    if not directory.is_dir():
        raise UsageError(
            f"{directory}: no such directory (give montecarlo, compare or sweep --out DIR)"
        )
    from timeline_sim.figures.sweep import is_sweep, sweep_html

    try:
        if is_sweep(directory):
            html, figs = sweep_html(directory, args.plotlyjs)
        else:
            html, figs = study_html(directory, args.plotlyjs)
    except FileNotFoundError as exc:
        raise UsageError(str(exc)) from None
    return _write(html, figs, args)


def save_story_results(results: Path, seed: int, runs: int, workers: int) -> dict[str, Path]:
    """Run and save what the sequencing story shows (three replays, one comparison)."""
    from timeline_sim.cases.loading import load_case
    from timeline_sim.engine.runner import run_one
    from timeline_sim.models.posterior import default_params
    from timeline_sim.output.files import write_replay
    from timeline_sim.studies import ExecutionOptions, StudySpec, compare

    params = default_params("fta")  # the posterior mean, as every replay
    dirs = {}
    for key, name, variant in (
        ("japan", "japan_ftas", None),
        ("korea", "korea_ftas", None),
        ("korea_variant", "korea_ftas", "singapore_first"),
    ):
        case = load_case(name, variant=variant)
        dirs[key] = results / f"replay-{key}"
        write_replay(dirs[key], case, params, run_one(case, params, seed=seed))
    dirs["comparison"] = results / "compare-korea-singapore_first"
    if dirs["comparison"].exists():
        shutil.rmtree(dirs["comparison"])
    compare(
        StudySpec("korea_ftas", runs, seed),
        "singapore_first",
        ExecutionOptions(workers=workers),
        out=dirs["comparison"],
    )
    return dirs


def build_story(
    results: Path | None, seed: int = 0, runs: int = 500, workers: int = 2, plotlyjs: str = "inline"
) -> tuple[str, list]:
    """Save the story's results (under ``results``, or a temporary directory) and build its page."""
    from timeline_sim.figures.story import sequencing_story_html

    where = results or Path(tempfile.mkdtemp(prefix="timeline-sim-story-"))
    where.mkdir(parents=True, exist_ok=True)
    try:
        dirs = save_story_results(where, seed, runs, workers)
        return sequencing_story_html(
            dirs["japan"], dirs["korea"], dirs["korea_variant"], dirs["comparison"], plotlyjs
        )
    finally:
        if results is None:
            shutil.rmtree(where, ignore_errors=True)


def cmd_dashboard_story(args: argparse.Namespace) -> int:
    _check_out(args.out)
    _check_format(args)
    if args.runs < 1 or args.seed < 0 or args.workers < 1:
        raise UsageError("--runs and --workers must be 1 or more, --seed 0 or more")
    html, figs = build_story(args.results, args.seed, args.runs, args.workers, args.plotlyjs)
    return _write(html, figs, args)
