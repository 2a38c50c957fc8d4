"""Case files: schema, loading and validation at the boundary.

A case file is TOML, data only: observable facts, each with its source, the
dated **inputs** of the case (launch of talks, summits, elections, sessions,
shocks) and the **targets** (historical dates of endogenous milestones) that a
run is only ever compared against. Validation happens once, when a case is
loaded here (the schema, then the consistency checks of
:mod:`timeline_sim.case_checks`); the model code trusts what it is given.
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import hashlib
import math
import sys
from pathlib import Path
from typing import Any, ClassVar, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from timeline_sim.calendar import HistoricalDate
from timeline_sim.case_checks import (
    MAX_ABS_VALUE,
    check_case,
    inner_model,
    raw_problems,
    uncertainty_problems,
    variant_problems,
)

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

MAX_CASE_BYTES = 1_000_000
#: Earliest and latest years a date may carry.
YEAR_RANGE = (1900, 2100)


def _cases_dir() -> Path:
    """The shipped case files: ``cases/`` of the repository, or the installed copy."""
    repository = Path(__file__).resolve().parent.parent / "cases"
    if repository.is_dir():
        return repository
    return Path(__file__).resolve().parent / "cases"


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


class _Strict(BaseModel):
    # strict: TOML has native numbers, booleans and strings, so a string where a number
    # belongs ("273") is a mistake to report, not a value to coerce
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


def _finite(value: float) -> float:
    if not math.isfinite(value):
        raise ValueError("must be a finite number")
    if abs(value) > MAX_ABS_VALUE:
        raise ValueError(f"{value:g} is implausibly large (at most {MAX_ABS_VALUE:g} in magnitude)")
    return value


def _check_date(value: str) -> str:
    """A date of the form YYYY-MM-DD or YYYY-MM within :data:`YEAR_RANGE`."""
    year = HistoricalDate.parse(value).date.year
    if not YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
        raise ValueError(f"{value!r} is outside the years {YEAR_RANGE[0]}-{YEAR_RANGE[1]}")
    return value


class Fact(_Strict):
    """An observable number with its unit and source."""

    value: float
    unit: str = ""
    source: str = Field(min_length=3)
    note: str = ""

    _check_value = field_validator("value")(_finite)


class DatedFact(_Strict):
    """A dated input with its source."""

    date: str
    name: str = ""
    source: str = Field(min_length=3)
    note: str = ""

    @field_validator("date")
    @classmethod
    def _parse_date(cls, value: str) -> str:
        return _check_date(value)

    @property
    def day(self) -> dt.date:
        """The date (mid-month if known only to the month)."""
        return HistoricalDate.parse(self.date).date


class Session(_Strict):
    """A legislative session: votes can be held only between ``opens`` and ``closes``."""

    name: str
    opens: str
    closes: str
    source: str = Field(min_length=3)

    @model_validator(mode="after")
    def _ordered(self) -> Session:
        if HistoricalDate.parse(self.closes).date < HistoricalDate.parse(self.opens).date:
            raise ValueError("closes before it opens")
        return self

    @field_validator("opens", "closes")
    @classmethod
    def _parse_date(cls, value: str) -> str:
        return _check_date(value)


class Legislature(_Strict):
    """The body that ratifies: its size, its rural members, its calendar."""

    name: str
    members: Fact
    rural_members: Fact
    chambers: Literal[1, 2] = 1
    sessions: list[Session] = Field(default_factory=list)
    elections: list[DatedFact] = Field(default_factory=list)

    @model_validator(mode="after")
    def _rural_within(self) -> Legislature:
        if self.members.value < 1:
            raise ValueError("members.value must be at least 1")
        if not 0 <= self.rural_members.value <= self.members.value:
            raise ValueError("rural_members.value must lie between 0 and members.value")
        return self


class Product(_Strict):
    """A sensitive product of the issue, weighted by its share of the partner's stake."""

    name: str
    weight: float = Field(gt=0)
    source: str = Field(min_length=3)

    _check_weight = field_validator("weight")(_finite)


class Issue(_Strict):
    """The sensitive issue on which the negotiation turns, in its natural unit."""

    name: str
    unit: str
    home_opening: float
    partner_ask: float
    source: str = Field(min_length=3)
    products: list[Product] = Field(default_factory=list)

    _check_numbers = field_validator("home_opening", "partner_ask")(_finite)

    @model_validator(mode="after")
    def _distinct(self) -> Issue:
        if self.home_opening == self.partner_ask:
            raise ValueError("home_opening and partner_ask must differ")
        return self


class Initiative(_Strict):
    """Which side proposed the talks: the side that asks is the more eager one."""

    side: Literal["home", "partner"]
    source: str = Field(min_length=3)


class Track(_Strict):
    """One bilateral negotiation of the country."""

    partner: str
    description: str = ""
    enabled: bool = True
    talks_start: DatedFact
    initiated_by: Initiative
    farm_trade_share: Fact  # share of farm goods in bilateral trade
    tariff_height: Fact  # home tariff on the farm goods the partner exports (1 = 100%)
    seasonal_overlap: Fact | None = None  # share of the year the partner's produce competes
    issue: Issue
    summits: list[DatedFact] = Field(default_factory=list)

    @field_validator("farm_trade_share", "seasonal_overlap")
    @classmethod
    def _share(cls, fact: Fact | None) -> Fact | None:
        if fact is not None and not 0 <= fact.value <= 1:
            raise ValueError("value must be a share between 0 and 1")
        return fact

    @field_validator("tariff_height")
    @classmethod
    def _tariff(cls, fact: Fact) -> Fact:
        if not 0 <= fact.value <= 10:
            raise ValueError("value must be an ad valorem rate between 0 and 10 (1 = 100%)")
        return fact

    @property
    def exposure(self) -> float:
        """Farm exposure: farm share of bilateral trade x tariff height x seasonal overlap."""
        overlap = 1.0 if self.seasonal_overlap is None else self.seasonal_overlap.value
        return self.farm_trade_share.value * self.tariff_height.value * overlap


FTA_MILESTONES = (
    "concluded",
    "signed",
    "submitted",
    "committee_passed",
    "vote_failed",
    "ratified_lower",
    "ratified",
    "breakdown",
)


class Target(_Strict):
    """A historical date of an endogenous milestone; only compared against."""

    track: str
    milestone: str
    date: str
    source: str = Field(min_length=3)
    note: str = ""

    @field_validator("date")
    @classmethod
    def _parse_date(cls, value: str) -> str:
        return _check_date(value)


class OutcomeTarget(_Strict):
    """A historical value of an outcome (a term of the deal, a count); only compared against."""

    track: str
    outcome: str
    value: float
    source: str = Field(min_length=3)
    note: str = ""

    _check_value = field_validator("value")(_finite)


class Uncertain(_Strict):
    """An uncertain input value: each run of a study draws it around the file's value.

    ``lognormal``: value x exp(N(0, sigma)); ``uniform``: value x U(low, high).
    """

    distribution: Literal["lognormal", "uniform"]
    sigma: float = Field(default=0.0, ge=0, le=3)
    low: float = Field(default=1.0, ge=0, le=100)
    high: float = Field(default=1.0, ge=0, le=100)
    note: str = ""

    @model_validator(mode="after")
    def _ordered(self) -> Uncertain:
        if self.low > self.high:
            raise ValueError("low must not exceed high")
        return self


class Variant(_Strict):
    """A named counterfactual: changes to inputs, written as dotted paths into the file."""

    description: str
    changes: dict[str, Any]


class CaseBase(_Strict):
    """What every case has, whatever its kind: identity, start, targets, variants, knobs.

    Subclasses add ``kind``, ``tracks`` and their own inputs, and name the milestones
    their targets may use in ``MILESTONES``.
    """

    MILESTONES: ClassVar[tuple[str, ...]] = ()

    name: str
    title: str
    description: str = ""
    start_date: DatedFact
    targets: list[Target] = Field(default_factory=list)
    outcome_targets: list[OutcomeTarget] = Field(default_factory=list)
    variants: dict[str, Variant] = Field(default_factory=dict)
    tuning: dict[str, float] = Field(default_factory=dict)
    uncertainty: dict[str, Uncertain] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _consistent(self) -> CaseBase:
        tracks = getattr(self, "tracks", {})
        problems = []
        for i, target in enumerate(self.targets):
            if target.track not in tracks:
                problems.append(f"targets[{i}].track: no track named {target.track!r}")
            if target.milestone not in self.MILESTONES:
                problems.append(
                    f"targets[{i}].milestone: {target.milestone!r} is not one of "
                    f"{', '.join(self.MILESTONES)}"
                )
        for i, target in enumerate(self.outcome_targets):
            if target.track not in tracks:
                problems.append(f"outcome_targets[{i}].track: no track named {target.track!r}")
        start = self.start_date.day
        for name, track in tracks.items():
            if track.talks_start.day < start:
                problems.append(f"tracks.{name}.talks_start: before the case's start_date")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    @property
    def tuning_knobs(self) -> int:
        """Number of per-case tuning knobs declared (the aim is none)."""
        return len(self.tuning)


class FtaCase(CaseBase):
    """A country negotiating several FTAs with one shared domestic state."""

    MILESTONES: ClassVar[tuple[str, ...]] = FTA_MILESTONES

    kind: Literal["fta"]
    country: str
    legislature: Legislature
    tracks: dict[str, Track] = Field(min_length=1)


#: Case models by their ``kind`` field; each model family registers its own
#: (``dispute.py`` adds ``"dispute"`` when it is imported, as the runner does).
CASE_KINDS: dict[str, type[BaseModel]] = {"fta": FtaCase}


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
    """A whole-case check reports 'path: problem; path: problem': one problem each."""
    if field != "(top level)":
        return [(field, message)]
    out = []
    for part in message.split("; "):
        head, sep, rest = part.partition(": ")
        if sep and head and " " not in head:
            out.append((head, rest))
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
