"""The case-file schema as JSON Schema and as the reference page ``docs/case-schema.md``.

The schema is the pydantic models of every registered case kind
(:data:`timeline_sim.cases.schema.CASE_KINDS`); :data:`FIELD_DOCS` adds units
and meanings, and :func:`reference_markdown` renders the reference page from
the same source.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic.json_schema import models_json_schema

from timeline_sim.cases.checks import MAX_ABS_VALUE, MAX_SPAN_YEARS
from timeline_sim.cases.loading import MAX_CASE_BYTES
from timeline_sim.cases.schema import CASE_KINDS, YEAR_RANGE

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
    "Election.government_seats": "seats the government holds after the election (needs the chamber's seats)",
    "Chamber.seats": "fact, seats: size of the chamber (needed for the government's share)",
    "Chamber.government_seats": "fact, seats: the executive's party or coalition at the start; "
    "with seats, sways votes by its share above one half",
    "Chamber.sessions": "windows in which votes can be held, in date order; none: the legislature's, or always",
    "Chamber.elections": "dated, in date order: opposed sectors' legislators weigh them; "
    "government_seats changes the government's share",
    "Legislature.chambers": "one to three chambers, voting in the order listed",
    "Legislature.sessions": "sessions shared by every chamber that lists none",
    "AuthorityWindow.granted": "the day a fast-track authority comes into force",
    "AuthorityWindow.expires": "the day it expires (absent: open-ended)",
    "FastTrack.chambers": "the chambers whose vote the clock governs (each a chamber of the legislature)",
    "FastTrack.windows": "when the authority is in force, in date order",
    "FastTrack.vote_days": "fact, days: statutory time from submission to the last vote",
    "FastTrack.applies_to": "signed_before_expiry or submitted_before_expiry: which agreements qualify",
    "RouteStep.step": "legislature, cabinet, court_review, referendum or implementation",
    "RouteStep.chambers": "for a legislature step: its chambers in order (default: all)",
    "RouteStep.referendum": "optional (opponents may force a vote) or mandatory",
    "RouteStep.days": "fact, days: the statutory waiting period of an optional referendum",
    "PartyShock.kind": "coup, restoration, government_change, financial_crisis or disaster",
    "PartyShock.size": "0-10: scales the shock's shared effect (0 = recorded, no effect)",
    "Party.route": "the steps of the party's ratification, in order",
    "Party.legislature": "needed by a legislature step or a fast-track clock",
    "Party.fast_track": "a statutory fast-track clock (an input; its use is decided in the run)",
    "Party.presidential_elections": "dated, in date order: no submission just before one",
    "Party.shocks": "dated exogenous shocks to the party, in date order",
    "Party.ftas_in_force": "fact, agreements: already in force at the start (context)",
    "Sector.party": "a party of the track",
    "Sector.kind": "farm, fishery, industry, labour, services or other (farm and fishery: the farm lobby)",
    "Sector.stance": "opposed or supporting",
    "Sector.trade_share": "fact, share 0-1: of the party's imports from the partner (opposed) "
    "or of its exports to the partner (supporting)",
    "Sector.tariff": "fact, ad valorem 0-10 (1 = 100%): the protection at stake",
    "Sector.seasonal_overlap": "fact, share 0-1: part of the year the partner's goods compete",
    "Sector.aligned_share": "fact, share 0-1: legislators who speak for the sector "
    "(absent: a shared default)",
    "EntryIntoForce.rule": "days_after_notification, first_day_of_month_after or on_date",
    "Product.weight": "share of the partner's stake in this product (any positive scale)",
    "Issue.home_opening": "home side's opening offer, in the issue's unit",
    "Issue.partner_ask": "partner's demand, in the issue's unit (differs from home_opening)",
    "Issue.products": "sensitive products, in the order the home side would concede them",
    "Initiative.side": "home or partner: who proposed the talks",
    "Track.partner": "the partner as history names it",
    "Track.parties": "codes of the parties that ratify, the home party first",
    "Track.enabled": "false removes the track from a run (used by variants)",
    "Track.talks_start": "dated input: formal talks open (not before the case's start_date)",
    "Track.sectors": "opposed and supporting sectors of each party, with their sizes",
    "Track.summits": "dated inputs, in date order: meetings that act as deadlines",
    "Track.entry_into_force": "the treaty's clause (absent: in force on the exchange of notes)",
    "Target.track": "a track of this case",
    "Target.milestone": "an endogenous milestone of the track's kind (compared only, never scheduled)",
    "Target.party": "whose milestone (FTA: a party of the track; default the home party)",
    "Target.chamber": "for chamber_passed: the chamber",
    "Target.date": "historical date of the milestone",
    "OutcomeTarget.outcome": "an outcome key of the replay JSON (e.g. failed_votes, sanctions_imposed)",
    "OutcomeTarget.value": "its historical value",
    "Variant.changes": "dotted path of an input field = new value; never targets",
    "FtaCase.start_date": "dated input: day 0 of a run; every other date lies within "
    f"{MAX_SPAN_YEARS} years after it",
    "FtaCase.tracks": "the agreements, by name (at least one enabled)",
    "FtaCase.home": "code of the country's own party (its business pressure is shared by every track)",
    "FtaCase.parties": "every party that ratifies an agreement of the case, by code",
    "FtaCase.horizon": "dated: runs end here if an agreement is not yet in force",
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
        "<!-- generated by timeline_sim.cases.reference.reference_markdown(); do not edit by hand:",
        "     python -m timeline_sim.cli.docs -->",
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


REFERENCE_PAGE = Path(__file__).resolve().parents[2] / "docs" / "case-schema.md"


def write_reference(path: Path = REFERENCE_PAGE) -> Path:
    """Regenerate the reference page."""
    path.write_text(reference_markdown(), encoding="utf-8")
    return path
