"""``timeline-sim dashboard``: interactive HTML (or static) dashboards of replays and studies.

- ``dashboard replay CASE [--seed N] [--variant V] --out FILE.html`` runs the
  replay, saves it to a temporary replay directory and builds the dashboard from
  those saved files (the figure code never sees the running model);
- ``dashboard replay --from DIR --out FILE.html`` builds it from a saved replay
  directory (``timeline-sim replay CASE --out DIR``);
- ``dashboard study DIR --out FILE.html`` from a Monte Carlo directory
  (``montecarlo --out DIR``) or a comparison directory (``compare --out DIR``);
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
    from timeline_sim.figures.common import ExportUnavailable, export_static, write_html

    if args.format == "html":
        path = write_html(args.out, html)
        print(
            f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB, self-contained; open it in any browser)"
        )
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
            html, figs = replay_html(args.source)
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
        html, figs = replay_html(scratch / "replay")
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
            f"{directory}: no such directory (give montecarlo --out DIR or compare --out DIR)"
        )
    try:
        html, figs = study_html(directory)
    except FileNotFoundError as exc:
        raise UsageError(str(exc)) from None
    return _write(html, figs, args)
