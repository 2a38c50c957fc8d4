"""Validating case files without running them: every problem, each with its line.

``timeline-sim validate FILE...`` reports every problem of every file (and of
each of its variants) as ``FILE:LINE: FIELD: PROBLEM``; the lines come from a
light reading of the TOML text (:func:`line_index`), since ``tomllib`` keeps none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from timeline_sim.cases.checks import check_case
from timeline_sim.cases.loading import MAX_CASE_BYTES, CaseError, load_case, resolve_case_path

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
