"""Property: a mutated case file is either accepted (and a run completes) or rejected cleanly.

Hypothesis drops, duplicates and alters fields of the shipped cases and the
new-case templates (changing values and types), and asserts that the loader
raises nothing but :class:`CaseError`, and that a case it accepts runs.
"""

from __future__ import annotations

import copy
import math
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from timeline_sim.cases.loading import CaseError, list_cases, load_case
from timeline_sim.cases.templates import template
from timeline_sim.cases.validate import validate_file
from timeline_sim.engine.runner import run_one

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

SOURCES = {p.stem: p.read_text(encoding="utf-8") for p in list_cases()}
SOURCES["template_fta"] = template("template_fta", "fta")
SOURCES["template_dispute"] = template("template_dispute", "dispute")
BASES = {name: tomllib.loads(text) for name, text in SOURCES.items()}


def _paths(node, prefix=()):
    """Every path to a value in a parsed TOML document."""
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, prefix + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _paths(value, prefix + (i,))


def _get(node, path):
    for part in path:
        node = node[part]
    return node


SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0, 1, -1, 0.5, 1e6, 1e13, 2e13, 365, -365]),
    st.text(max_size=12),
    st.sampled_from(
        [
            "",
            "  ",
            "1999-12-14",
            "2004-02",
            "1800-01-01",
            "2099-12-31",
            "9999-12-31",
            "1999-13-01",
            "fta",
            "dispute",
            "home",
            "partner",
            "target",
            "initiator",
            "summit",
            "super301",
            "agreement",
            "ratified",
            "vote_failed",
            "chile",
            "autos",
        ]
    ),
    st.dates().map(lambda d: d.isoformat()),
)
VALUES = st.one_of(
    SCALARS,
    st.lists(SCALARS, max_size=3),
    st.dictionaries(st.text(max_size=6), SCALARS, max_size=3),
)


@st.composite
def mutated(draw):
    name = draw(st.sampled_from(sorted(BASES)))
    data = copy.deepcopy(BASES[name])
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        paths = [p for p in _paths(data) if p]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = _get(data, path[:-1])
        key = path[-1]
        action = draw(st.sampled_from(["drop", "duplicate", "alter", "alter", "rename", "nudge"]))
        if action == "drop":
            del parent[key]
        elif action == "duplicate":
            if isinstance(parent, list):
                parent.append(copy.deepcopy(parent[key]))
            else:
                parent[f"{key}_copy"] = copy.deepcopy(parent[key])
        elif action == "alter":
            parent[key] = draw(VALUES)
        elif action == "rename" and isinstance(parent, dict):
            parent[draw(st.text(min_size=1, max_size=8))] = parent.pop(key)
        elif action == "nudge":  # a plausible change of a number or a date
            value = parent[key]
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                parent[key] = value * draw(st.sampled_from([-1, 0, 0.5, 2, 1000]))
            elif isinstance(value, str) and len(value) == 10 and value[4] == "-":
                parent[key] = f"{int(value[:4]) + draw(st.integers(-30, 60)):04d}{value[4:]}"
    return name, data


def _dump(data) -> str:
    """A minimal TOML writer (inline tables), enough for the shapes above."""

    def value(v):
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, int):
            return str(v)
        if isinstance(v, float):
            if math.isnan(v):
                return "nan"
            if math.isinf(v):
                return "inf" if v > 0 else "-inf"
            return repr(v)
        if isinstance(v, str):
            return '"' + v.encode("unicode_escape").decode("ascii").replace('"', '\\"') + '"'
        if isinstance(v, list):
            return "[" + ", ".join(value(x) for x in v if x is not None) + "]"
        if isinstance(v, dict):
            return (
                "{"
                + ", ".join(f"{key(k)} = {value(x)}" for k, x in v.items() if x is not None)
                + "}"
            )
        raise TypeError(v)

    def key(k):
        return '"' + str(k).encode("unicode_escape").decode("ascii").replace('"', '\\"') + '"'

    return "\n".join(f"{key(k)} = {value(v)}" for k, v in data.items() if v is not None) + "\n"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_a_mutated_case_is_accepted_and_runs_or_is_rejected_cleanly(tmp_path_factory, case):
    name, data = case
    path = Path(tmp_path_factory.mktemp("prop")) / f"{name}.toml"
    text = _dump(data)
    path.write_text(text, encoding="utf-8")
    try:
        loaded = load_case(path)
    except CaseError as exc:
        assert exc.problems and all(field and message for field, message in exc.problems)
        assert validate_file(path)  # validate agrees that it is invalid
        return
    result = run_one(loaded, seed=0)  # no exception: an accepted case runs
    assert result.tracks
    for variant in loaded.model.variants:
        try:
            run_one(load_case(path, variant=variant), seed=0)
        except CaseError:
            pass


@pytest.mark.parametrize("name", sorted(BASES))
def test_the_writer_round_trips_the_bases(name, tmp_path):
    path = tmp_path / f"{name}.toml"
    path.write_text(_dump(BASES[name]), encoding="utf-8")
    assert tomllib.loads(path.read_text(encoding="utf-8")) == BASES[name]
    load_case(path)
