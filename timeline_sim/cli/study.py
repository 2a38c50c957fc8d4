"""Command-line front ends of studies: ``montecarlo``, ``compare`` and ``sweep``."""

from __future__ import annotations

import argparse
import json
import math
import shlex
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from timeline_sim.cli.errors import Interrupted, UsageError, whole_number
from timeline_sim.output.files import OutputError, check_directory, write_atomic
from timeline_sim.output.tables import format_comparison, format_summary, format_sweep
from timeline_sim.studies import (
    DEFAULT_CHUNK,
    ExecutionOptions,
    StudyError,
    StudySpec,
    compare,
    summarise_study,
    summary_json,
    sweep,
)

_positive_int = whole_number(1)
_seed = whole_number(0)


def _values(text: str) -> list[float]:
    try:
        values = [float(v) for v in text.split(",") if v.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a comma-separated list of numbers"
        ) from None
    if not values or not all(math.isfinite(v) for v in values):
        raise argparse.ArgumentTypeError(f"{text!r}: give finite numbers, e.g. 0.1,0.2,0.3")
    return values


def _common(parser: argparse.ArgumentParser, runs_default: int) -> None:
    parser.add_argument("case", help="a shipped case name or a path to a .toml file")
    parser.add_argument("--runs", type=_positive_int, default=runs_default, help="number of runs")
    parser.add_argument("--seed", type=_seed, default=0, help="study seed")
    parser.add_argument("--workers", type=_positive_int, default=1, help="local worker processes")
    parser.add_argument("--scheduler", help="address of a Dask scheduler (tcp://host:port)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def _directories(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument("--out", type=Path, metavar="DIR", help=f"directory for {what}")
    parser.add_argument(
        "--resume", type=Path, metavar="DIR", help="finish an interrupted study in DIR"
    )


def register(sub: Any) -> None:
    """Add the study commands to the ``timeline-sim`` parser."""
    mc = sub.add_parser("montecarlo", help="many stochastic runs of a case and their distributions")
    _common(mc, 1000)
    mc.add_argument("--variant", help="a counterfactual variant declared in the case file")
    _directories(mc, "the study (Parquet chunks of the runs table, summary)")
    mc.add_argument(
        "--keep-events",
        type=_seed,
        default=0,
        metavar="K",
        help="keep the event logs of the first K runs (with --out)",
    )
    mc.add_argument("--chunk", type=_positive_int, default=DEFAULT_CHUNK, help="runs per chunk")
    mc.add_argument(
        "--point",
        action="store_true",
        help="keep parameters at their point values (no uncertainty draws)",
    )
    mc.set_defaults(handler=cmd_montecarlo)

    cmp = sub.add_parser("compare", help="baseline against a variant on paired runs")
    _common(cmp, 1000)
    cmp.add_argument("--variant", required=True, help="the variant to compare with the baseline")
    _directories(cmp, "both studies (baseline/, variant/) and comparison.json")
    cmp.set_defaults(handler=cmd_compare)

    sw = sub.add_parser("sweep", help="outcome distributions along a grid of one parameter")
    _common(sw, 200)
    sw.add_argument(
        "--param",
        required=True,
        help="a parameter (e.g. ratification.rural_weight) or a case field "
        "(e.g. legislature.rural_members.value)",
    )
    sw.add_argument(
        "--values",
        type=_values,
        required=True,
        help="comma-separated grid, e.g. 40,60,80 (negative numbers too: --values -20,40)",
    )
    _directories(sw, "one study per grid value and sweep.json")
    sw.set_defaults(handler=cmd_sweep)


def _usage(message: str) -> Exception:
    return UsageError(message)


def _directory(args: argparse.Namespace) -> tuple[Path | None, bool]:
    """The study directory of ``--out`` or ``--resume``, checked; and whether to resume."""
    if args.out is not None and args.resume is not None:
        raise _usage("give --out DIR for a new study or --resume DIR to finish one, not both")
    out = args.resume if args.resume is not None else args.out
    if out is not None:
        try:
            check_directory(out, "--resume" if args.resume is not None else "--out")
        except OutputError as exc:
            raise _usage(str(exc)) from None
    return out, args.resume is not None


def resume_command(args: argparse.Namespace, directory: Path) -> str:
    """The command that finishes the interrupted study: the same options, ``--resume DIR``."""
    argv = list(getattr(args, "argv", None) or [])
    kept: list[str] = []
    skip = False
    for item in argv:
        if skip:
            skip = False
        elif item in ("--out", "--resume"):
            skip = True
        elif not item.startswith(("--out=", "--resume=")):
            kept.append(item)
    return shlex.join(["timeline-sim", *kept, "--resume", str(directory)])


@contextmanager
def _study(args: argparse.Namespace, out: Path | None) -> Iterator[None]:
    """Errors of a study as usage errors; an interruption says how to resume it."""
    option = "--resume" if args.resume is not None else "--out"
    try:
        yield
    except StudyError as exc:
        raise _usage(str(exc)) from None
    except OSError as exc:
        if out is None:
            raise
        raise _usage(f"{option} {out}: {exc.strerror or exc}") from None
    except KeyboardInterrupt:
        if out is None or not Path(out).exists():
            raise
        raise Interrupted(
            f"the finished chunks are saved in {out}; to finish the study, run:\n"
            f"  {resume_command(args, out)}"
        ) from None


def cmd_montecarlo(args: argparse.Namespace) -> int:
    out, resume = _directory(args)
    if args.keep_events and out is None:
        raise _usage("--keep-events needs --out DIR to write the event logs to")
    spec = StudySpec(
        args.case, args.runs, args.seed, args.variant, {}, not args.point, args.keep_events
    )
    with _study(args, out):
        options = ExecutionOptions(args.workers, args.scheduler, args.chunk, not args.json)
        summary = summarise_study(spec, options, out, resume)
        if out is not None:
            write_atomic(
                Path(out) / "summary.json",
                lambda p: p.write_text(json.dumps(summary, indent=2) + "\n"),
            )
    if args.json:
        print(json.dumps(summary_json(summary), indent=2))
        return 0
    print(format_summary(summary, spec.load()))
    if out is not None:
        print(
            f"\nruns table: {out}/runs/*.parquet ({summary['runs']} runs); summary: {out}/summary.json"
        )
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    out, resume = _directory(args)
    with _study(args, out):
        result = compare(
            StudySpec(args.case, args.runs, args.seed),
            args.variant,
            ExecutionOptions(args.workers, args.scheduler, progress=not args.json),
            out=out,
            resume=resume,
        )
    if args.json:
        stable = {
            "case": result["case"],
            "variant": result["variant"],
            "runs": result["runs"],
            "seed": result["seed"],
            "tracks": {
                t: {
                    o: {
                        k: r[k]
                        for k in (
                            "baseline_mean",
                            "variant_mean",
                            "effect",
                            "ci_low",
                            "ci_high",
                            "narrowing",
                        )
                    }
                    for o, r in outcomes.items()
                }
                for t, outcomes in result["tracks"].items()
            },
        }
        print(json.dumps(stable, indent=2))
        return 0
    print(format_comparison(result, StudySpec(args.case, 1).load()))
    return 0


def cmd_sweep(args: argparse.Namespace) -> int:
    out, resume = _directory(args)
    with _study(args, out):
        table = sweep(
            StudySpec(args.case, args.runs, args.seed),
            args.param,
            args.values,
            ExecutionOptions(args.workers, args.scheduler, progress=not args.json),
            out=out,
            resume=resume,
        )
    if args.json:
        print(table.to_json(orient="records", indent=2))
        return 0
    print(format_sweep(table, args.param, StudySpec(args.case, 1).load()))
    if out is not None:
        print(f"\nruns of each grid value: {out}/value-*/runs/*.parquet; sweep: {out}/sweep.json")
    return 0
