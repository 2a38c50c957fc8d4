"""Loading case files: reading, variants and validation at the boundary.

Validation happens once, when a case is loaded here (the checks of the raw
file, the schema of its kind from :mod:`timeline_sim.cases.schema`, then the
consistency checks of :mod:`timeline_sim.cases.checks`); the model code trusts
what it is given. Every problem is reported at once, each with its field.
"""

from __future__ import annotations

import copy
import difflib
import hashlib
import sys
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from timeline_sim.cases.checks import (
    check_case,
    inner_model,
    raw_problems,
    uncertainty_problems,
    variant_problems,
)
from timeline_sim.cases.schema import CASE_KINDS

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

MAX_CASE_BYTES = 1_000_000


def _cases_dir() -> Path:
    """The shipped case files: ``cases/`` of the repository, or the installed copy."""
    repository = Path(__file__).resolve().parents[2] / "cases"
    if repository.is_dir():
        return repository
    return Path(__file__).resolve().parent / "shipped"


CASES_DIR = _cases_dir()


class CaseError(Exception):
    """A case file is unusable; carries every problem found, each with its field."""

    def __init__(self, path: str | Path, problems: list[tuple[str, str]]):
        self.path = str(path)
        self.problems = problems
        super().__init__(self.format())

    def __reduce__(self):  # picklable, so errors cross process boundaries intact
        return (CaseError, (self.path, self.problems))

    def format(self) -> str:
        """One line per problem: ``FILE: FIELD: PROBLEM``."""
        return "\n".join(f"{self.path}: {field}: {problem}" for field, problem in self.problems)


class LoadedCase:
    """A validated case together with where it came from."""

    def __init__(
        self,
        model: Any,
        path: Path,
        digest: str,
        variant: str | None,
        raw: dict[str, Any] | None = None,
    ):
        self.model = model
        self.path = path
        self.digest = digest
        self.variant = variant
        self.raw = raw if raw is not None else {}

    def with_values(self, changes: dict[str, float]) -> LoadedCase:
        """The case with input values changed (dotted paths), validated like a variant."""
        raw = copy.deepcopy(self.raw)
        problems = _apply_changes(raw, changes)
        if problems:
            raise CaseError(self.path, problems)
        model_type = type(self.model)
        try:
            model = model_type.model_validate(raw)
        except ValidationError as exc:
            raise CaseError(
                self.path,
                [
                    (_field_path(tuple(e["loc"])), e["msg"].removeprefix("Value error, "))
                    for e in exc.errors()
                ],
            ) from None
        return LoadedCase(model, self.path, self.digest, self.variant, raw)

    @property
    def name(self) -> str:
        return str(self.model.name)

    @property
    def kind(self) -> str:
        return str(self.model.kind)


def resolve_case_path(name_or_path: str | Path) -> Path:
    """A shipped case by name (``korea_ftas``) or a path to a TOML file."""
    candidate = Path(name_or_path)
    if candidate.suffix == ".toml" or candidate.exists():
        return candidate
    return CASES_DIR / f"{name_or_path}.toml"


def list_cases(directory: Path = CASES_DIR) -> list[Path]:
    """The shipped case files."""
    return sorted(directory.glob("*.toml"))


def _field_path(loc: tuple[Any, ...]) -> str:
    parts: list[str] = []
    for item in loc:
        if isinstance(item, int):
            parts.append(f"[{item}]")
        elif str(item).startswith(("function-", "tagged-union")):
            continue
        else:
            parts.append(("." if parts else "") + str(item))
    return "".join(parts) or "(top level)"


def _suggest(model: type[BaseModel], loc: tuple[Any, ...]) -> str:
    """'did you mean' for an unknown key, from the fields of the model that holds it."""
    current: Any = model
    for item in loc[:-1]:
        if isinstance(item, int) or current is None:
            continue
        fields = getattr(current, "model_fields", {})
        if item in fields:
            current = inner_model(fields[item].annotation)
        # otherwise ``item`` is a key of a table of models (a track's name): stay
    fields = getattr(current, "model_fields", {}) if current is not None else {}
    close = difflib.get_close_matches(str(loc[-1]), list(fields), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _apply_changes(raw: dict[str, Any], changes: dict[str, Any]) -> list[tuple[str, str]]:
    problems = []
    for dotted, value in changes.items():
        node: Any = raw
        parts = dotted.split(".")
        for part in parts[:-1]:
            if isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]  # an entry of a list of tables, by its index
                continue
            if not isinstance(node, dict) or part not in node:
                problems.append((f"variant change {dotted}", f"no field {part!r} to change"))
                break
            node = node[part]
        else:
            if not isinstance(node, dict):
                problems.append((f"variant change {dotted}", f"{parts[-2]!r} is not a table"))
            else:  # a field absent from the file may be set; the schema then checks it
                node[parts[-1]] = value
    return problems


def read_toml(path: Path) -> dict[str, Any]:
    """Read a TOML file defensively: size, encoding and syntax errors become CaseErrors."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise CaseError(path, [("(file)", f"cannot be read: {exc.strerror or exc}")]) from None
    if size > MAX_CASE_BYTES:
        raise CaseError(
            path, [("(file)", f"is {size:,} bytes; a case file may be at most {MAX_CASE_BYTES:,}")]
        )
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CaseError(path, [("(file)", f"is not UTF-8 text (byte {exc.start})")]) from None
    except OSError as exc:
        raise CaseError(path, [("(file)", f"cannot be read: {exc.strerror or exc}")]) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CaseError(path, [("(file)", f"is not valid TOML: {exc}")]) from None
    except RecursionError:
        raise CaseError(path, [("(file)", "is nested too deeply")]) from None


def _split_top_level(field: str, message: str) -> list[tuple[str, str]]:
    """A whole-table check reports 'path: problem; path: problem': one problem each.

    The paths are relative to the table that reported them (the whole case, or
    e.g. one party), so each becomes a full field path.
    """
    out = []
    for part in message.split("; "):
        head, sep, rest = part.partition(": ")
        if sep and head and " " not in head:
            out.append((head if field == "(top level)" else f"{field}.{head}", rest))
        else:
            out.append((field, part))
    return out


def _covered(field: str, flagged: set[str]) -> bool:
    return any(
        field == f or field.startswith(f + ".") or field.startswith(f + "[") for f in flagged
    )


def load_case(name_or_path: str | Path, variant: str | None = None) -> LoadedCase:
    """Read, apply a named variant to, and validate a case file.

    Raises :class:`CaseError` naming the file, each field and its problem, every
    problem found at once.
    """
    path = resolve_case_path(name_or_path)
    if not path.exists():
        known = ", ".join(p.stem for p in list_cases())
        raise CaseError(path, [("(file)", f"no such case file (shipped cases: {known})")])
    if not path.is_file():
        raise CaseError(path, [("(file)", "is not a file")])
    raw = read_toml(path)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    problems = raw_problems(raw)
    kind = raw.get("kind")
    model_type = CASE_KINDS.get(kind) if isinstance(kind, str) else None
    if model_type is None:
        got = kind if not isinstance(kind, str) else kind[:40]
        raise CaseError(
            path,
            problems + [("kind", f"must be one of {', '.join(sorted(CASE_KINDS))}, got {got!r}")],
        )
    problems += variant_problems(raw, model_type)
    if variant is not None:
        variants = raw.get("variants", {})
        if not isinstance(variants, dict) or variant not in variants:
            names = ", ".join(sorted(variants)) if isinstance(variants, dict) else ""
            raise CaseError(
                path, [(f"variants.{variant}", f"no such variant (declared: {names or 'none'})")]
            )
        raw = copy.deepcopy(raw)
        changes = (
            variants[variant].get("changes", {}) if isinstance(variants[variant], dict) else {}
        )
        problems += _apply_changes(raw, changes if isinstance(changes, dict) else {})
        if problems:
            raise CaseError(path, problems)
    flagged = {field for field, _ in problems}
    try:
        model = model_type.model_validate(raw)
    except ValidationError as exc:
        for error in exc.errors():
            loc = tuple(error["loc"])
            message = error["msg"].removeprefix("Value error, ")
            if error["type"] == "extra_forbidden":
                message = "unknown field" + _suggest(model_type, loc)
            for field, text in _split_top_level(_field_path(loc), message):
                if not _covered(field, flagged):
                    problems.append((field, text))
        raise CaseError(path, problems or [("(file)", "is not a valid case")]) from None
    except RecursionError:
        raise CaseError(path, [("(file)", "is nested too deeply")]) from None
    problems += check_case(model)
    problems += uncertainty_problems(raw)
    if problems:
        raise CaseError(path, problems)
    return LoadedCase(model, path, digest, variant, raw)
