"""Writing cases: the schema, validation of many files, and the ``new-case`` template.

Commands (registered with :func:`register` by the command line):

- ``timeline-sim schema`` prints the JSON Schema of a case file (both kinds);
- ``timeline-sim validate FILE...`` checks case files without running them and
  reports every problem of every file as ``FILE:LINE: FIELD: PROBLEM``; exit
  status 0 when all are valid, 2 when any is not;
- ``timeline-sim new-case NAME [--kind fta|dispute] [--out PATH]`` writes a
  commented template that validates and replays as written; it never
  overwrites a file and leaves nothing behind when it fails.

The schema is the pydantic models of :mod:`timeline_sim.case` and
:mod:`timeline_sim.dispute`; :data:`FIELD_DOCS` adds units and meanings, and
:func:`reference_markdown` renders ``docs/case-schema.md`` from the same source.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic.json_schema import models_json_schema

from timeline_sim.case import (
    CASE_KINDS,
    MAX_CASE_BYTES,
    YEAR_RANGE,
    CaseError,
    load_case,
    resolve_case_path,
)
from timeline_sim.case_checks import MAX_ABS_VALUE, MAX_SPAN_YEARS, check_case

EXIT_OK = 0
EXIT_INVALID = 2

# ------------------------------------------------------------------ schema

#: Unit and meaning of each field, by ``Model.field``; shown in the JSON Schema and the docs.
FIELD_DOCS: dict[str, str] = {
    "Fact.value": "the number (finite)",
    "Fact.unit": "its unit, in words (seats, vehicles a year, share, ad valorem)",
    "Fact.source": "where the number comes from (required)",
    "Fact.note": "caveats: approximations, conflicts between sources",
    "DatedFact.date": "YYYY-MM-DD, or YYYY-MM if only the month is known (read as the 15th)",
    "DatedFact.name": "what happened",
    "DatedFact.source": "where the date comes from (required)",
    "Session.opens": "first day votes can be held (YYYY-MM-DD)",
    "Session.closes": "last day votes can be held, not before opens",
    "Legislature.members": "fact, seats: size of the ratifying chamber (at least 1)",
    "Legislature.rural_members": "fact, members: from rural districts (0 to members)",
    "Legislature.chambers": "1 or 2 (a second chamber votes after the first)",
    "Legislature.sessions": "windows in which votes can be held, in date order, not overlapping; none: always",
    "Legislature.elections": "dated facts, in date order: before one, rural members weigh farmers' votes more",
    "Product.weight": "share of the partner's stake in this product (any positive scale)",
    "Issue.home_opening": "home side's opening offer, in the issue's unit",
    "Issue.partner_ask": "partner's demand, in the issue's unit (differs from home_opening)",
    "Issue.products": "sensitive products, in the order the home side would concede them",
    "Initiative.side": "home or partner: who proposed the talks",
    "Track.partner": "the partner country",
    "Track.enabled": "false removes the track from a run (used by variants)",
    "Track.talks_start": "dated input: formal talks open (not before the case's start_date)",
    "Track.farm_trade_share": "fact, share 0-1: farm goods in bilateral trade",
    "Track.tariff_height": "fact, ad valorem 0-10 (1 = 100%): home tariff on the partner's farm goods",
    "Track.seasonal_overlap": "fact, share 0-1: part of the year the partner's produce competes",
    "Track.summits": "dated inputs, in date order: meetings that act as deadlines",
    "Target.track": "a track of this case",
    "Target.milestone": "an endogenous milestone of the track's kind (compared only, never scheduled)",
    "Target.date": "historical date of the milestone",
    "OutcomeTarget.outcome": "an outcome key of the replay JSON (e.g. failed_votes, sanctions_imposed)",
    "OutcomeTarget.value": "its historical value",
    "Variant.changes": "dotted path of an input field = new value; never targets",
    "FtaCase.start_date": "dated input: day 0 of a run; every other date lies within "
    f"{MAX_SPAN_YEARS} years after it",
    "FtaCase.tracks": "the negotiations, by name (at least one enabled)",
    "FtaCase.tuning": "per-case tuning knobs, counted and reported by every replay (aim: none)",
    "DisputeCase.start_date": "dated input: day 0 of a run; every other date lies within "
    f"{MAX_SPAN_YEARS} years after it",
    "DisputeCase.tracks": "the episodes, by name (at least one enabled)",
    "DisputeCase.tuning": "per-case tuning knobs, counted and reported by every replay (aim: none)",
    "SideFacts.name": "the side's name (an actor in the event log)",
    "SideFacts.exports": "fact, vehicles a year (>= 0): what this side ships to the other; "
    "one loss unit is 100,000",
    "SideFacts.market_share": "fact, share 0-1: this side's share of the other side's market",
    "SideFacts.trade_asymmetry": "fact, vehicles a year (>= 0): by how much the other side out-sells it",
    "SideFacts.trend": "fact, share a year: yearly worsening of its position (0 = flat)",
    "SideFacts.promises_broken": "fact, count (>= 0): earlier promises of the other side not kept",
    "Deadline.kind": "summit, super301 or benchmark",
    "Shock.side": "initiator or target: whose parameters change",
    "Shock.kind": "government_change, currency or financial_crisis",
    "Shock.size": "0-10: multiplies the shock's shared effect (0 = recorded, no effect)",
    "DisputeTrack.talks_start": "dated input: the episode's talks open",
    "DisputeTrack.deadlines": "dated inputs, in date order: summits, Super 301 dates, benchmarks",
    "DisputeTrack.section_301_initiated": "dated input: a statutory Section 301 clock that starts the "
    "episode (then 'section_301' cannot be a target)",
    "DisputeTrack.shocks": "dated exogenous shocks, in date order",
}


def _describe(schema: dict[str, Any]) -> None:
    """Put FIELD_DOCS into the ``description`` of each property."""
    for model_name, model_schema in schema.get("$defs", {}).items():
        for field, prop in model_schema.get("properties", {}).items():
            doc = FIELD_DOCS.get(f"{model_name}.{field}")
            if doc is None and model_name in ("Deadline", "Shock"):
                doc = FIELD_DOCS.get(f"DatedFact.{field}")
            if doc:
                prop["description"] = doc


def case_schema() -> dict[str, Any]:
    """JSON Schema of a case file: one of the kinds, chosen by ``kind``."""
    models = [(CASE_KINDS[kind], "validation") for kind in sorted(CASE_KINDS)]
    refs, defs = models_json_schema(models, ref_template="#/$defs/{model}")
    schema: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "timeline_sim case file",
        "description": (
            "A TOML case file, data only. Every fact has a source; dated inputs may be "
            "scheduled, targets are only compared against. Numbers must be finite and at most "
            f"{MAX_ABS_VALUE:g} in magnitude; years {YEAR_RANGE[0]}-{YEAR_RANGE[1]}; files at most "
            f"{MAX_CASE_BYTES:,} bytes. Cross-field rules (dates in order, references, inputs "
            "apart from targets) are checked by 'timeline-sim validate'."
        ),
        "oneOf": [refs[(CASE_KINDS[kind], "validation")] for kind in sorted(CASE_KINDS)],
        "$defs": defs["$defs"],
    }
    _describe(schema)
    return schema


def _type_of(prop: dict[str, Any]) -> str:
    if "$ref" in prop:
        name = prop["$ref"].rsplit("/", 1)[-1]
        return f"[{name}](#{name.lower()})"
    if "const" in prop:
        return f"`{json.dumps(prop['const'])}`"
    if "enum" in prop:
        return " \\| ".join(f"`{json.dumps(v)}`" for v in prop["enum"])
    if "anyOf" in prop:
        return " or ".join(_type_of(p) for p in prop["anyOf"])
    kind = prop.get("type", "any")
    if kind == "array":
        return f"list of {_type_of(prop.get('items', {}))}"
    if kind == "object":
        extra = prop.get("additionalProperties")
        if isinstance(extra, dict) and extra:
            return f"table of name = {_type_of(extra)}"
        return "table"
    return {
        "number": "number",
        "integer": "integer",
        "string": "string",
        "boolean": "boolean",
        "null": "none",
    }.get(kind, kind)


def _range_of(prop: dict[str, Any]) -> str:
    parts = []
    for key, label in (
        ("minimum", ">="),
        ("exclusiveMinimum", ">"),
        ("maximum", "<="),
        ("exclusiveMaximum", "<"),
    ):
        if key in prop:
            parts.append(f"{label} {prop[key]}")
    if "minLength" in prop:
        parts.append(f"at least {prop['minLength']} characters")
    if "minProperties" in prop:
        parts.append(f"at least {prop['minProperties']} entry")
    return ", ".join(parts)


def reference_markdown() -> str:
    """The schema reference page (``docs/case-schema.md``), generated from :func:`case_schema`."""
    schema = case_schema()
    defs = schema["$defs"]
    lines = [
        "# Case file reference",
        "",
        "<!-- generated by timeline_sim.validate.reference_markdown(); do not edit by hand:",
        "     python -c 'from timeline_sim.validate import write_reference; write_reference()' -->",
        "",
        "Every field of a case file, from the schema that `timeline-sim schema` prints as",
        "JSON Schema and that the loader enforces. How to write a case: "
        "[guide-new-case.md](guide-new-case.md); the rules in prose: [case-files.md](case-files.md).",
        "",
        f"- Numbers are finite (no `nan`, `inf`) and at most {MAX_ABS_VALUE:g} in magnitude.",
        f"- Dates are `YYYY-MM-DD` or `YYYY-MM`, years {YEAR_RANGE[0]}-{YEAR_RANGE[1]}, none before "
        f"the case's `start_date` or more than {MAX_SPAN_YEARS} years after it.",
        f"- A file is UTF-8 TOML of at most {MAX_CASE_BYTES:,} bytes; unknown fields are errors.",
        '- Numbers, strings and booleans are not converted: `"273"` where a number belongs is an error.',
        "",
    ]
    order = [m.__name__ for m in (CASE_KINDS[k] for k in sorted(CASE_KINDS))]
    order += sorted(name for name in defs if name not in order)
    for name in order:
        model = defs[name]
        lines += [f"## {name}", ""]
        doc = model.get("description", "").strip().splitlines()
        if doc:
            lines += [" ".join(line.strip() for line in doc), ""]
        lines += ["| field | type | required | range | meaning |", "|---|---|---|---|---|"]
        required = set(model.get("required", []))
        for field, prop in model.get("properties", {}).items():
            if field in required:
                default = ""
            elif "default" in prop:
                default = f"no (default `{json.dumps(prop['default'])}`)"
            else:
                default = "no (default: empty)"
            meaning = prop.get("description", "").replace("|", "\\|")
            lines.append(
                f"| `{field}` | {_type_of(prop)} | {'yes' if field in required else default} "
                f"| {_range_of(prop)} | {meaning} |"
            )
        lines.append("")
    return "\n".join(lines)


REFERENCE_PAGE = Path(__file__).resolve().parent.parent / "docs" / "case-schema.md"


def write_reference(path: Path = REFERENCE_PAGE) -> Path:
    """Regenerate the reference page."""
    path.write_text(reference_markdown(), encoding="utf-8")
    return path


# ------------------------------------------------------------------ lines of fields

_KEY = r'(?:"[^"]*"|\'[^\']*\'|[A-Za-z0-9_-]+)'
_HEADER_RE = re.compile(r"^\s*(\[\[?)\s*(" + _KEY + r"(?:\s*\.\s*" + _KEY + r")*)\s*\]\]?")
_ASSIGN_RE = re.compile(r"^\s*(" + _KEY + r"(?:\s*\.\s*" + _KEY + r")*)\s*=\s*(.*)$")
_INLINE_KEY_RE = re.compile(r"(?:^|[{,])\s*(" + _KEY + r")\s*=")


def _split_key(text: str) -> list[str]:
    return [part.strip().strip("\"'") for part in re.findall(_KEY, text)]


def line_index(text: str) -> dict[str, int]:
    """Line (1-based) of each field path written in a TOML text, in the loader's path format."""
    index: dict[str, int] = {}
    table = ""
    counts: dict[str, int] = {}
    array_key: str | None = None  # a multi-line array of inline tables being read
    array_item = -1

    def put(path: str, line: int) -> None:
        index.setdefault(path, line)

    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if array_key is not None:
            if stripped.startswith("{"):
                array_item += 1
                item = f"{array_key}[{array_item}]"
                put(item, number)
                for key in _INLINE_KEY_RE.findall(stripped):
                    put(f"{item}.{key.strip(chr(34) + chr(39))}", number)
            if stripped.startswith("]"):
                array_key = None
            continue
        header = _HEADER_RE.match(line)
        if header:
            path = ".".join(_split_key(header.group(2)))
            if header.group(1) == "[[":
                counts[path] = counts.get(path, -1) + 1
                path = f"{path}[{counts[path]}]"
            table = path
            put(table, number)
            continue
        assign = _ASSIGN_RE.match(line)
        if not assign:
            continue
        key = ".".join(_split_key(assign.group(1)))
        path = f"{table}.{key}" if table else key
        put(path, number)
        value = assign.group(2).strip()
        if value.startswith("{"):
            for inner in _INLINE_KEY_RE.findall(value):
                put(f"{path}.{inner.strip(chr(34) + chr(39))}", number)
        elif value.startswith("[") and not value.rstrip().endswith("]"):
            array_key, array_item = path, -1
            if "{" in value:  # first item on the same line
                array_item = 0
                put(f"{path}[0]", number)
    return index


def find_line(index: dict[str, int], field: str) -> int | None:
    """Line of ``field`` or of the nearest enclosing field written in the file."""
    path = field
    while path:
        if path in index:
            return index[path]
        cut = max(path.rfind("."), path.rfind("["))
        if cut <= 0:
            break
        path = path[:cut]
    return None


# ------------------------------------------------------------------ validation


@dataclass(frozen=True)
class Problem:
    """One problem of one file."""

    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.field}: {self.message}"


def validate_file(name_or_path: str | Path) -> list[Problem]:
    """Every problem of one case file (and of each of its variants), each with its line."""
    path = resolve_case_path(name_or_path)
    found: list[tuple[str, str]] = []
    try:
        case = load_case(path)
    except CaseError as exc:
        found = list(exc.problems)
    else:
        loose = set(check_case(case.model))
        found = [p for p in check_case(case.model, strict=True) if p not in loose]
        base = set(found)  # a variant's problem that the base file already has is not repeated
        for variant in case.model.variants:
            try:
                changed = load_case(path, variant=variant)
            except CaseError as exc:
                found += [
                    (f"variants.{variant}", f"once applied, {field}: {message}")
                    for field, message in exc.problems
                ]
            else:
                loose = set(check_case(changed.model))
                found += [
                    (f"variants.{variant}", f"once applied, {field}: {message}")
                    for field, message in check_case(changed.model, strict=True)
                    if (field, message) not in loose and (field, message) not in base
                ]
    index: dict[str, int] = {}
    if found:
        try:
            if path.is_file() and path.stat().st_size <= MAX_CASE_BYTES:
                index = line_index(path.read_bytes().decode("utf-8"))
        except (OSError, UnicodeDecodeError):
            index = {}
    return [Problem(str(path), find_line(index, field), field, message) for field, message in found]


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


def cmd_schema(args: argparse.Namespace) -> int:
    print(json.dumps(case_schema(), indent=2))
    return EXIT_OK


# ------------------------------------------------------------------ new-case

_NAME_RE = re.compile(r"^[a-z][a-z0-9_]{0,59}$")

FTA_TEMPLATE = """\
# {name}: a new FTA case written from the template of `timeline-sim new-case`.
# Data only (TOML): nothing here can run code or read another file.
# Replace every value and every source with facts from your sources, then run
#   timeline-sim validate {filename}
#   timeline-sim replay {filename}
# Inputs (dated facts a run may schedule) are kept apart from targets (historical
# dates of endogenous milestones, only ever compared against). Never enter a
# conclusion, signature or vote as an input: they must emerge from the run.

name = "{name}"
kind = "fta"
title = "TEMPLATE: a country's first FTA"
description = "Replace with one paragraph: who negotiated what, and what history shows."
country = "Home"

# ---------------------------------------------------------------- inputs
# Day 0 of a run: the country's first FTA initiative.
[start_date]
date = "2000-01-01"
name = "TEMPLATE: first FTA initiative"
source = "TEMPLATE: replace with the source of this date"

[legislature]
name = "TEMPLATE: the ratifying chamber"
chambers = 1                      # 1 or 2
members = {{ value = 300, unit = "seats", source = "TEMPLATE: replace" }}
rural_members = {{ value = 60, unit = "members", source = "TEMPLATE: replace" }}
# sessions = [ {{ name = "...", opens = "YYYY-MM-DD", closes = "YYYY-MM-DD", source = "..." }} ]
#   votes only in session; leave out if the body can always be convened
elections = [
  {{ date = "2004-04-15", name = "TEMPLATE: general election", source = "TEMPLATE: replace" }},
]

[tracks.partner_a]
partner = "Partner A"
description = "TEMPLATE: one bilateral negotiation."
talks_start = {{ date = "2000-06-01", name = "TEMPLATE: first round", source = "TEMPLATE: replace" }}
initiated_by = {{ side = "home", source = "TEMPLATE: who proposed the talks" }}
farm_trade_share = {{ value = 0.05, unit = "share of farm goods in bilateral trade (0-1)", source = "TEMPLATE: replace" }}
tariff_height = {{ value = 0.3, unit = "ad valorem (1 = 100%)", source = "TEMPLATE: replace" }}
# seasonal_overlap = {{ value = 0.5, unit = "share of the year", source = "..." }}
summits = [
  {{ date = "2001-11-15", name = "TEMPLATE: a summit that acts as a deadline", source = "TEMPLATE: replace" }},
]

[tracks.partner_a.issue]
name = "TEMPLATE: the sensitive issue"
unit = "share of the partner's farm-line requests met"
home_opening = 0.0
partner_ask = 1.0
source = "TEMPLATE: replace"
# products = [ {{ name = "...", weight = 40, source = "..." }} ]   # in the order they would be conceded

# ---------------------------------------------------------------- targets (compared only)
# milestones: concluded, signed, submitted, committee_passed, vote_failed,
# ratified_lower, ratified, breakdown
[[targets]]
track = "partner_a"
milestone = "concluded"
date = "2001-10"
source = "TEMPLATE: replace (YYYY-MM when only the month is known)"

[[targets]]
track = "partner_a"
milestone = "signed"
date = "2002-01-15"
source = "TEMPLATE: replace"

[[targets]]
track = "partner_a"
milestone = "ratified"
date = "2002-06-01"
source = "TEMPLATE: replace"

[[outcome_targets]]
track = "partner_a"
outcome = "failed_votes"
value = 0
source = "TEMPLATE: replace"

# ---------------------------------------------------------------- counterfactuals
[variants.late_talks]
description = "TEMPLATE: talks open a year later."
changes = {{ "tracks.partner_a.talks_start.date" = "2001-06-01" }}
"""

DISPUTE_TEMPLATE = """\
# {name}: a new dispute case written from the template of `timeline-sim new-case`.
# Data only (TOML): nothing here can run code or read another file.
# Replace every value and every source with facts from your sources, then run
#   timeline-sim validate {filename}
#   timeline-sim replay {filename}
# Inputs: the start of talks, deadlines on the calendar (summits, Super 301
# dates, benchmarks), a statutory Section 301 clock, exogenous shocks. Targets:
# historical dates of endogenous milestones, only compared against. Never enter
# an agreement, a sanctions list or a WTO step as an input.

name = "{name}"
kind = "dispute"
title = "TEMPLATE: a market-access dispute"
description = "Replace with one paragraph: who pressed whom to open what, and how it ended."

# ---------------------------------------------------------------- inputs
[start_date]
date = "1995-01-01"
name = "TEMPLATE: day 0 of a run"
source = "TEMPLATE: replace with the source of this date"

[tracks.episode]
description = "TEMPLATE: one episode of the dispute."
talks_start = {{ date = "1995-01-15", name = "TEMPLATE: talks open", source = "TEMPLATE: replace" }}
# section_301_initiated = {{ date = "YYYY-MM-DD", name = "...", source = "..." }}
#   a statutory one-year clock; if given, 'section_301' cannot also be a target

[tracks.episode.initiator]
name = "Initiator"
exports = {{ value = 10000, unit = "vehicles a year sold in the target's market", source = "TEMPLATE: replace" }}
market_share = {{ value = 0.01, unit = "share of the target's market (0-1)", source = "TEMPLATE: replace" }}
trade_asymmetry = {{ value = 150000, unit = "vehicles a year by which the target out-sells it", source = "TEMPLATE: replace" }}
# trend = {{ value = 0.0, unit = "share a year", source = "..." }}
# promises_broken = {{ value = 1, unit = "earlier agreements judged unkept", source = "..." }}

[tracks.episode.target]
name = "Target"
exports = {{ value = 160000, unit = "vehicles a year shipped to the initiator", source = "TEMPLATE: replace" }}

[[tracks.episode.deadlines]]
date = "1995-09-30"
kind = "super301"                 # summit, super301 or benchmark
name = "TEMPLATE: a deadline on the calendar"
source = "TEMPLATE: replace"

# [[tracks.episode.shocks]]
# date = "YYYY-MM-DD"
# side = "target"                 # initiator or target
# kind = "financial_crisis"       # government_change, currency or financial_crisis
# name = "..."
# source = "..."

# ---------------------------------------------------------------- targets (compared only)
# milestones: section_301, wto_referral, sanctions_list, wto_complaint,
# counter_sanctions, agreement
[[targets]]
track = "episode"
milestone = "agreement"
date = "1995-09-28"
source = "TEMPLATE: replace"

[[outcome_targets]]
track = "episode"
outcome = "sanctions_imposed"
value = 0
source = "TEMPLATE: replace"
"""

TEMPLATES = {"fta": FTA_TEMPLATE, "dispute": DISPUTE_TEMPLATE}


def template(name: str, kind: str, filename: str | None = None) -> str:
    """The text of a new case file."""
    return TEMPLATES[kind].format(name=name, filename=filename or f"{name}.toml")


class NewCaseError(Exception):
    """new-case cannot write the file."""


def write_new_case(name: str, kind: str, out: Path) -> Path:
    """Write the template to ``out``, never overwriting, all or nothing."""
    if not _NAME_RE.match(name):
        raise NewCaseError(
            f"NAME {name!r}: use lower-case letters, digits and _, starting with a letter "
            "(at most 60 characters)"
        )
    if out.suffix != ".toml":
        raise NewCaseError(f"--out {out}: a case file must end in .toml")
    if out.exists() or out.is_symlink():
        raise NewCaseError(f"--out {out}: already exists; refusing to overwrite it")
    parent = out.parent if str(out.parent) else Path(".")
    if not parent.is_dir():
        raise NewCaseError(f"--out {out}: directory {parent} does not exist")
    if not os.access(parent, os.W_OK):
        raise NewCaseError(f"--out {out}: cannot write in {parent}")
    text = template(name, kind, out.name)
    try:
        fd, staging = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=parent)
    except OSError as exc:
        raise NewCaseError(f"--out {out}: {exc.strerror or exc}") from None
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(staging, 0o666 & ~umask)  # as an ordinary new file, not mkstemp's 0600
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        try:
            os.link(staging, out)  # atomic, and fails if the file appeared meanwhile
        except FileExistsError:
            raise NewCaseError(f"--out {out}: already exists; refusing to overwrite it") from None
        except OSError:  # file systems without hard links
            with open(out, "x", encoding="utf-8") as handle:
                handle.write(text)
    except OSError as exc:
        raise NewCaseError(f"--out {out}: {exc.strerror or exc}") from None
    finally:
        try:
            os.unlink(staging)
        except OSError:
            pass
    return out


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


# ------------------------------------------------------------------ command line


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
