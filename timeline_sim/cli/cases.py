"""Commands for writing cases: ``schema``, ``validate`` and ``new-case``.

- ``timeline-sim schema`` prints the JSON Schema of a case file (every kind);
- ``timeline-sim validate FILE...`` checks case files without running them and
  reports every problem of every file as ``FILE:LINE: FIELD: PROBLEM``; exit
  status 0 when all are valid, 2 when any is not;
- ``timeline-sim new-case NAME [--kind fta|dispute] [--out PATH]`` writes a
  commented template that validates and replays as written; it never
  overwrites a file and leaves nothing behind when it fails.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from timeline_sim.cases.loading import resolve_case_path
from timeline_sim.cases.reference import case_schema
from timeline_sim.cases.templates import TEMPLATES, NewCaseError, write_new_case
from timeline_sim.cases.validate import validate_file

EXIT_OK = 0
EXIT_INVALID = 2


def cmd_schema(args: argparse.Namespace) -> int:
    print(json.dumps(case_schema(), indent=2))
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    invalid = 0
    for name in args.files:
        problems = validate_file(name)
        if problems:
            invalid += 1
            for problem in problems:
                print(problem, file=sys.stderr)
        elif not args.quiet:
            print(f"{resolve_case_path(name)}: valid")
    if len(args.files) > 1 and not args.quiet:
        print(
            f"{len(args.files) - invalid} of {len(args.files)} files valid",
            file=sys.stderr if invalid else sys.stdout,
        )
    return EXIT_INVALID if invalid else EXIT_OK


def cmd_new_case(args: argparse.Namespace) -> int:
    out = args.out if args.out is not None else Path(f"{args.name}.toml")
    try:
        written = write_new_case(args.name, args.kind, out)
    except NewCaseError as exc:
        if args.debug:
            raise
        print(f"timeline-sim: error: {exc}", file=sys.stderr)
        return EXIT_INVALID
    print(f"wrote {written} ({args.kind} template); next: timeline-sim validate {written}")
    return EXIT_OK


def register(sub: Any) -> None:
    """Add the ``schema``, ``validate`` and ``new-case`` commands."""
    schema = sub.add_parser("schema", help="print the JSON Schema of case files")
    schema.set_defaults(handler=cmd_schema)

    validate = sub.add_parser(
        "validate", help="check case files without running them (exit 0 valid, 2 invalid)"
    )
    validate.add_argument(
        "files", nargs="+", metavar="FILE", help="case files (paths or shipped case names)"
    )
    validate.add_argument("--quiet", action="store_true", help="print only problems")
    validate.set_defaults(handler=cmd_validate)

    new = sub.add_parser("new-case", help="write a commented case template that validates and runs")
    new.add_argument("name", metavar="NAME", help="the case's name (lower_case_with_underscores)")
    new.add_argument(
        "--kind",
        choices=sorted(TEMPLATES),
        default="fta",
        help="fta (a country's FTAs) or dispute (a market-access dispute)",
    )
    new.add_argument(
        "--out", type=Path, help="file to write (default: NAME.toml here); never overwritten"
    )
    new.set_defaults(handler=cmd_new_case)
