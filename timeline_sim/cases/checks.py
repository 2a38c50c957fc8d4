"""Consistency checks of a case file, beyond what the schema of one field can say.

Two kinds, both returning ``(field, problem)`` pairs rather than raising, so that
the loader (:func:`timeline_sim.cases.loading.load_case`) and ``timeline-sim validate``
can report every problem at once:

- checks of the parsed TOML before the schema sees it: nesting depth, finite
  and plausible numbers, blank sources, variant changes and uncertain values
  that must name real input fields (:func:`raw_problems`,
  :func:`variant_problems`, :func:`uncertainty_problems`);
- checks across the fields of a validated case: dates in order and within the
  case's span, targets apart from inputs, no duplicates (:func:`check_case`).

The models are passed in as arguments: this module never imports
:mod:`timeline_sim.cases.loading` or the schema, which import it.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
from typing import Any

from pydantic import BaseModel

from timeline_sim.engine.calendar import HistoricalDate

#: Largest magnitude a number in a case file may have (seats, vehicles, tonnes, dollars).
MAX_ABS_VALUE = 1e13
#: Dated inputs and targets must fall within this many years after the case's start date.
MAX_SPAN_YEARS = 40
#: Deepest nesting of tables and arrays a case file may have (the schema needs about six).
MAX_DEPTH = 12

#: Top-level fields a variant may not change: it alters inputs, never what a run is compared with.
_NOT_VARIANT_FIELDS = ("name", "kind", "targets", "outcome_targets", "variants")


# ------------------------------------------------------------------ the parsed file


def inner_model(annotation: Any) -> Any:
    """The pydantic model inside a field's annotation (``dict[str, Track]`` -> ``Track``), or None."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = inner_model(arg)
        if found is not None:
            return found
    return None


def raw_problems(raw: dict[str, Any]) -> list[tuple[str, str]]:
    """Problems visible in the parsed TOML before the schema: numbers, blank sources, depth."""
    problems: list[tuple[str, str]] = []
    stack: list[tuple[str, Any, int]] = [("", raw, 0)]
    while stack:
        path, node, depth = stack.pop()
        if depth > MAX_DEPTH:
            problems.append((path or "(top level)", f"nested more than {MAX_DEPTH} levels deep"))
            continue
        if isinstance(node, dict):
            items = [(f"{path}.{k}" if path else str(k), v, k) for k, v in node.items()]
        elif isinstance(node, list):
            items = [(f"{path}[{i}]", v, None) for i, v in enumerate(node)]
        else:
            continue
        for child_path, value, key in reversed(items):
            if isinstance(value, bool):
                continue
            if isinstance(value, float) and not math.isfinite(value):
                problems.append((child_path, f"must be a finite number, not {value}"))
            elif isinstance(value, (int, float)) and abs(value) > MAX_ABS_VALUE:
                problems.append(
                    (child_path, f"{value:g} is implausibly large (at most {MAX_ABS_VALUE:g})")
                )
            elif key == "source" and isinstance(value, str) and len(value.strip()) < 3:
                problems.append((child_path, "every fact needs a source; this one is blank"))
            elif isinstance(value, (dict, list)):
                stack.append((child_path, value, depth + 1))
    return problems


def variant_problems(raw: dict[str, Any], model_type: type[BaseModel]) -> list[tuple[str, str]]:
    """Every change of every variant must name a real input field of the schema."""
    variants = raw.get("variants")
    if not isinstance(variants, dict):
        return []
    problems = []
    for vname, variant in variants.items():
        if not isinstance(variant, dict) or not isinstance(variant.get("changes"), dict):
            continue  # the schema reports a malformed variant
        for dotted in variant["changes"]:
            where = f"variants.{vname}.changes.{dotted}"
            parts = str(dotted).split(".")
            if parts[0] in _NOT_VARIANT_FIELDS:
                problems.append((where, f"a variant may change inputs only, not {parts[0]!r}"))
                continue
            problem = _resolve_field(parts, model_type, raw)
            if problem:
                problems.append((where, problem))
    return problems


def _resolve_field(parts: list[str], model_type: type[BaseModel], raw: Any) -> str | None:
    """None if ``parts`` is a path to a field of ``model_type``; otherwise what is wrong."""
    current: Any = model_type
    node: Any = raw
    i = 0
    while i < len(parts):
        part = parts[i]
        fields = getattr(current, "model_fields", None)
        if fields is None:
            return f"{parts[i - 1]!r} is not a table; it has no field {part!r}"
        if part not in fields:
            close = difflib.get_close_matches(part, list(fields), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            return f"no field {part!r} in {current.__name__}{hint}"
        annotation = fields[part].annotation
        node = node.get(part) if isinstance(node, dict) else None
        origin = getattr(annotation, "__origin__", None)
        if origin is dict:  # a table of named entries (tracks, tuning): the next part is a name
            inner = inner_model(annotation)
            if i + 1 >= len(parts):
                return None
            name = parts[i + 1]
            if inner is not None and (not isinstance(node, dict) or name not in node):
                known = ", ".join(sorted(node)) if isinstance(node, dict) else "none"
                return f"no entry {name!r} in {part} (declared: {known})"
            node = node.get(name) if isinstance(node, dict) else None
            current = inner
            i += 2
            continue
        if origin is list:
            if i + 1 < len(parts):
                return f"{part!r} is a list; a variant replaces it whole"
            return None
        current = inner_model(annotation)
        i += 1
    return None


def uncertainty_problems(raw: dict[str, Any]) -> list[tuple[str, str]]:
    """Each uncertain value must name a number that is an input, never a target."""
    problems = []
    for dotted in raw.get("uncertainty") or {}:
        node: Any = raw
        for part in dotted.split("."):
            if isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            else:
                node = node.get(part) if isinstance(node, dict) else None
        if dotted.split(".")[0] in _NOT_VARIANT_FIELDS:
            problems.append(
                (f"uncertainty.{dotted}", "targets and names cannot be uncertain inputs")
            )
        elif isinstance(node, bool) or not isinstance(node, (int, float)):
            problems.append(
                (
                    f"uncertainty.{dotted}",
                    "must name a number in this file (e.g. tracks.chile.sectors.0.trade_share.value)",
                )
            )
    return problems


# ------------------------------------------------------------------ whole-case checks

#: The order in which FTA milestones of one party happen on one track (each at or after the last).
FTA_ORDER = ("concluded", "signed", "submitted", "committee_passed", "ratified", "entry_into_force")
#: Target milestones of a dispute that a track's inputs already schedule, by the input's field.
_INPUT_MILESTONES = {"talks_launched": "talks_start", "section_301": "section_301_initiated"}


def _span(text: str) -> tuple[dt.date, dt.date]:
    """Earliest and latest day a date may mean (a whole month for ``YYYY-MM``)."""
    date = HistoricalDate.parse(text)
    if date.precision == "month":
        first = date.date.replace(day=1)
        nxt = (first + dt.timedelta(days=32)).replace(day=1)
        return first, nxt - dt.timedelta(days=1)
    return date.date, date.date


def _before(a: str, b: str) -> bool:
    """``a`` is certainly before ``b`` (month-precision dates are taken as ranges)."""
    return _span(a)[1] < _span(b)[0]


def check_case(model: Any, strict: bool = False) -> list[tuple[str, str]]:
    """Checks across fields that the schema of one field cannot make.

    Dates in order and within the case's span, targets after the talks they
    belong to, inputs and targets apart, no duplicates, at least one track
    enabled. ``strict`` (``timeline-sim validate``) adds the order of the target
    milestones of a track (concluded before signed before ratified; failed votes
    after signature): the loader leaves that out, so that a test may move targets
    freely to show that they never drive a run.
    """
    problems: list[tuple[str, str]] = []
    start = model.start_date.date
    first_day = _span(start)[0]
    last_day = first_day.replace(year=first_day.year + MAX_SPAN_YEARS)

    def in_span(path: str, text: str) -> None:
        lo, hi = _span(text)
        if hi < first_day:
            problems.append((path, f"{text} is before the case's start_date {start}"))
        elif lo > last_day:
            problems.append(
                (path, f"{text} is more than {MAX_SPAN_YEARS} years after the start_date {start}")
            )

    def ordered(path: str, items: list[Any], date_of, key_of) -> None:
        seen: dict[Any, int] = {}
        for i, item in enumerate(items):
            in_span(f"{path}[{i}]", date_of(item))
            if i and _before(date_of(item), date_of(items[i - 1])):
                problems.append(
                    (
                        f"{path}[{i}]",
                        f"out of order: {date_of(item)} comes before "
                        f"{date_of(items[i - 1])} of the entry above; list them in date order",
                    )
                )
            key = key_of(item)
            if key in seen:
                problems.append((f"{path}[{i}]", f"duplicate of {path}[{seen[key]}]"))
            else:
                seen[key] = i

    for code, party in (getattr(model, "parties", None) or {}).items():
        _party_problems(f"parties.{code}", party, in_span, ordered, problems)
    horizon = getattr(model, "horizon", None)
    if horizon is not None:
        in_span("horizon.date", horizon.date)

    if not any(track.enabled for track in model.tracks.values()):
        problems.append(("tracks", "every track is disabled; at least one must run"))
    for name, track in model.tracks.items():
        base = f"tracks.{name}"
        in_span(f"{base}.talks_start", track.talks_start.date)
        for field in ("summits", "deadlines", "shocks"):
            items = getattr(track, field, None)
            if items is not None:
                ordered(
                    f"{base}.{field}",
                    list(items),
                    lambda d: d.date,
                    lambda d: (d.date, getattr(d, "kind", ""), getattr(d, "side", "")),
                )
        opened = getattr(track, "section_301_initiated", None)
        if opened is not None:
            in_span(f"{base}.section_301_initiated", opened.date)
        issue = getattr(track, "issue", None)
        if issue is not None:
            names: dict[str, int] = {}
            for i, product in enumerate(issue.products):
                if product.name in names:
                    problems.append(
                        (
                            f"{base}.issue.products[{i}]",
                            f"duplicate name {product.name!r} (products[{names[product.name]}])",
                        )
                    )
                names.setdefault(product.name, i)

    seen_targets: dict[tuple, int] = {}
    by_track: dict[tuple, dict[str, tuple[int, str]]] = {}
    for i, target in enumerate(model.targets):
        path = f"targets[{i}]"
        track = model.tracks.get(target.track)
        in_span(f"{path}.date", target.date)
        if track is None:
            continue
        input_field = _INPUT_MILESTONES.get(target.milestone)
        if (
            model.kind == "dispute"
            and input_field
            and getattr(track, input_field, None) is not None
        ):
            problems.append(
                (
                    f"{path}.milestone",
                    f"{target.milestone!r} is scheduled by the input "
                    f"tracks.{target.track}.{input_field}; an input cannot also be a target",
                )
            )
            continue
        if _before(target.date, track.talks_start.date):
            problems.append(
                (
                    f"{path}.date",
                    f"{target.date} is before the talks on track {target.track!r} "
                    f"start ({track.talks_start.date})",
                )
            )
        party = getattr(target, "party", None)
        key = (target.track, party, target.milestone, getattr(target, "chamber", None))
        who = f"{target.track}{'' if party is None else ' ' + party} {target.milestone}"
        if target.milestone != "vote_failed":
            if key in seen_targets:
                problems.append(
                    (path, f"duplicate target: {who} is already targets[{seen_targets[key]}]")
                )
            seen_targets.setdefault(key, i)
        by_track.setdefault((target.track, party), {}).setdefault(
            target.milestone, (i, target.date)
        )
    if strict and model.kind == "fta":
        for (track_name, party), found in by_track.items():
            shared = by_track.get((track_name, None), {})
            chain = [(m, found.get(m) or shared.get(m)) for m in FTA_ORDER]
            chain = [(m, hit) for m, hit in chain if hit is not None]
            for (m1, (_, d1)), (m2, (i2, d2)) in zip(chain, chain[1:], strict=False):
                if _before(d2, d1):
                    problems.append(
                        (
                            f"targets[{i2}].date",
                            f"{m2} on {d2} comes before {m1} on {d1} (track {track_name})",
                        )
                    )
            signed = shared.get("signed")
            for i, target in enumerate(model.targets):
                if target.track == track_name and target.milestone == "vote_failed" and signed:
                    if getattr(target, "party", None) == party and _before(target.date, signed[1]):
                        problems.append(
                            (
                                f"targets[{i}].date",
                                f"a failed vote on {target.date} before signature on {signed[1]}",
                            )
                        )
    seen_outcomes: dict[tuple[str, str], int] = {}
    for i, target in enumerate(model.outcome_targets):
        key = (target.track, target.outcome)
        if key in seen_outcomes:
            problems.append(
                (f"outcome_targets[{i}]", f"duplicate of outcome_targets[{seen_outcomes[key]}]")
            )
        seen_outcomes.setdefault(key, i)
    return problems


def _party_problems(base: str, party: Any, in_span, ordered, problems: list) -> None:
    """Dates of one party's calendar in order and within the case's span."""
    if party.legislature is not None:
        shared = f"{base}.legislature.sessions"
        ordered(shared, party.legislature.sessions, lambda s: s.opens, lambda s: s.name)
        for i, session in enumerate(party.legislature.sessions):
            in_span(f"{shared}[{i}].closes", session.closes)
            if i and not _before(party.legislature.sessions[i - 1].closes, session.opens):
                problems.append((f"{shared}[{i}]", f"overlaps {shared}[{i - 1}]"))
        for c, chamber in enumerate(party.legislature.chambers):
            where = f"{base}.legislature.chambers[{c}]"
            path = f"{where}.sessions"
            ordered(path, chamber.sessions, lambda s: s.opens, lambda s: s.name)
            for i, session in enumerate(chamber.sessions):
                in_span(f"{path}[{i}].closes", session.closes)
                if i and not _before(chamber.sessions[i - 1].closes, session.opens):
                    problems.append((f"{path}[{i}]", f"overlaps {path}[{i - 1}]"))
            ordered(f"{where}.elections", chamber.elections, lambda e: e.date, lambda e: e.date)
    ordered(
        f"{base}.presidential_elections",
        party.presidential_elections,
        lambda e: e.date,
        lambda e: e.date,
    )
    ordered(f"{base}.shocks", party.shocks, lambda d: d.date, lambda d: (d.date, d.kind))
    if party.fast_track is not None:
        # an authority may have been granted before the case starts: only its order is checked
        windows = party.fast_track.windows
        for i, window in enumerate(windows[1:], start=1):
            if _before(window.granted, windows[i - 1].granted):
                problems.append(
                    (f"{base}.fast_track.windows[{i}]", "out of order: list windows in date order")
                )
        for i, window in enumerate(windows):
            if window.expires is not None:
                in_span(f"{base}.fast_track.windows[{i}].expires", window.expires)
        for i, window in enumerate(windows[:-1]):
            if window.expires is None:
                problems.append(
                    (f"{base}.fast_track.windows[{i}]", "an open-ended window must be the last")
                )
            elif _before(windows[i + 1].granted, window.expires):
                problems.append((f"{base}.fast_track.windows[{i + 1}]", f"overlaps windows[{i}]"))
