"""The ``timeline-sim`` command line: a thin layer over the runners.

Every error a user can cause (a bad case file, an unknown case, a bad option,
an output directory that cannot be written) is reported in one or a few lines
naming what is wrong, with exit status 2 and no traceback; ``--debug`` shows
the traceback.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from timeline_sim.cases.loading import CaseError, list_cases, load_case
from timeline_sim.cli.errors import Interrupted, UsageError, whole_number
from timeline_sim.engine.runner import run_one
from timeline_sim.models.params import Params
from timeline_sim.models.posterior import load_posterior
from timeline_sim.output.files import OutputError, check_replay_destination, write_replay
from timeline_sim.output.labels import terms_units
from timeline_sim.output.text import chronology, parties_table, targets_table
from timeline_sim.studies.uncertainty import draw_uncertain

EXIT_USAGE = 2


class _HelpFormatter(argparse.HelpFormatter):
    """Help that shows each option's default, unless it has none or the text gives it."""

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        unset = action.default is None or action.default is False
        unset = unset or action.default == argparse.SUPPRESS
        if unset or not action.option_strings or "default" in text:
            return text
        return text + " (default: %(default)s)"


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _HelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str):  # argparse's own errors: exit 2 without a traceback
        self.print_usage(sys.stderr)
        print(f"timeline-sim: error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


_non_negative_int = whole_number(0)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="timeline-sim", description="Simulate negotiation histories.")
    parser.add_argument("--debug", action="store_true", help="show tracebacks of errors")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    cases = sub.add_parser("cases", help="list the shipped cases and their tracks")
    cases.set_defaults(handler=lambda args: cmd_cases())

    replay = sub.add_parser("replay", help="run one seeded replay of a case")
    replay.set_defaults(handler=cmd_replay)
    replay.add_argument("case", help="a shipped case name (see 'cases') or a path to a .toml file")
    replay.add_argument("--seed", type=_non_negative_int, default=0, help="random seed")
    replay.add_argument(
        "--run",
        type=_non_negative_int,
        default=0,
        help="replay run K of a study seeded with --seed, with the parameters it drew "
        "(0: the replay of the seed itself at point values)",
    )
    replay.add_argument("--variant", help="a counterfactual variant declared in the case file")
    replay.add_argument(
        "--params",
        default="posterior",
        metavar="WHICH",
        help="shared parameters: 'posterior' (the calibrated posterior mean), 'prior' (the "
        "priors' medians) or 'draw:K' (particle K of the posterior)",
    )
    replay.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help="directory to write the event log, states and metadata to: new, empty, or an "
        "earlier replay (other directories are refused)",
    )
    replay.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    replay.add_argument(
        "--verbose",
        action="store_true",
        help="every event in the chronology: each protest and round, offers, mobilisation, "
        "sessions (otherwise protests are summarised by wave and rounds without progress "
        "in one line)",
    )

    # further commands, each registered by its own module: register(subparsers) adds a
    # parser whose defaults carry handler=function(args) -> exit status
    for register in _command_modules():
        register(sub)
    return parser


def _command_modules():
    """The ``register`` functions of modules that add commands (studies, dashboards, validation)."""
    from timeline_sim.cli import cases, corpus, dashboard, inference, study, whatif

    return [
        study.register,
        cases.register,
        dashboard.register,
        corpus.register,
        inference.register,
        inference.register_evaluate,
        whatif.register_forecast,
        whatif.register_sensitivity,
        whatif.register_predictive,
    ]


def _parties(case) -> str:
    """The parties of a case as 'Korea (KOR), Chile (CHL)', or a dispute's two sides."""
    model = case.model
    if case.kind == "fta":
        return ", ".join(f"{p.name} ({code})" for code, p in model.parties.items())
    sides = {(t.initiator.name, t.target.name) for t in model.tracks.values()}
    return "; ".join(f"{a} against {b}" for a, b in sorted(sides))


def cmd_cases() -> int:
    paths = list_cases()
    width = max(len(p.stem) for p in paths)
    print(f"{'case':<{width}}  {'kind':<8} parties / tracks")
    for path in paths:
        case = load_case(path)
        tracks = ", ".join(f"{name} ({track.partner})" for name, track in case.model.tracks.items())
        variants = ", ".join(case.model.variants) or "none"
        print(f"{case.name:<{width}}  {case.kind:<8} {case.model.title}")
        print(f"{'':<{width}}  {'':<8} parties: {_parties(case)}")
        print(f"{'':<{width}}  {'':<8} tracks: {tracks}; variants: {variants}")
    return 0


def replay_params(family: str, which: str) -> Params:
    """The shared parameters ``--params WHICH`` names, for a case of ``family``."""
    if which == "prior":
        return Params()
    posterior = load_posterior(family)
    if which == "posterior":
        return Params() if posterior is None else posterior.params()
    match = re.fullmatch(r"draw:(\d+)", which)
    if not match:
        raise UsageError(f"--params {which!r}: give 'posterior', 'prior' or 'draw:K'")
    if posterior is None:
        raise UsageError(f"--params {which}: there is no {family} posterior to draw from")
    k = int(match.group(1))
    if k >= len(posterior.weights):
        raise UsageError(
            f"--params {which}: the {family} posterior has particles 0 to {len(posterior.weights) - 1}"
        )
    return posterior.params(values=posterior.particle(k))


def cmd_replay(args: argparse.Namespace) -> int:
    if args.out is not None:
        check_replay_destination(args.out)  # before the run: refuse early, write nothing
    case = load_case(args.case, variant=args.variant)
    params = replay_params(case.kind, args.params)
    # run K >= 1 of a study draws its uncertain parameters, exactly as the study did
    result = run_one(
        case,
        params,
        seed=args.seed,
        run_id=args.run,
        uncertainty=draw_uncertain if args.run > 0 else None,
    )
    if args.out is not None:
        try:
            write_replay(args.out, case, params, result)
        except OSError as exc:
            raise UsageError(f"--out {args.out}: {exc.strerror or exc}") from None
    if args.json:
        print(json.dumps(result.to_json(), indent=2))
        return 0
    title = case.model.title + (f" [variant: {case.variant}]" if case.variant else "")
    print(f"{title}\nseed {args.seed}, run {args.run}\n")
    print(chronology(result, verbose=args.verbose))
    print()
    print(targets_table(result, terms_units(case)))
    if case.kind == "fta":
        print()
        print(parties_table(result))
    if args.out is not None:
        print(
            f"\nwrote events.csv, states.csv, targets.csv, summary.json, metadata.json to {args.out}"
        )
    return 0


def _negative_values(argv: list[str]) -> list[str]:
    """``--values -20,40`` as ``--values=-20,40``: argparse would take -20,40 for an option."""
    out: list[str] = []
    for item in argv:
        if out and out[-1] == "--values" and re.fullmatch(r"-[0-9.][0-9.,eE+-]*", item):
            out[-1] = f"--values={item}"
        else:
            out.append(item)
    return out


def main(argv: list[str] | None = None) -> int:
    argv = _negative_values(list(sys.argv[1:] if argv is None else argv))
    parser = build_parser()
    args = parser.parse_args(argv)
    args.argv = argv
    try:
        return int(args.handler(args))
    except CaseError as exc:
        if args.debug:
            raise
        print(exc.format(), file=sys.stderr)
        return EXIT_USAGE
    except (UsageError, OutputError) as exc:
        if args.debug:
            raise
        print(f"timeline-sim: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except Interrupted as exc:
        print(f"timeline-sim: interrupted; {exc.hint}", file=sys.stderr)
        return 130
    except KeyboardInterrupt:
        print("timeline-sim: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into a reader that stopped (e.g. head)
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
