"""Every fact a shipped case uses is cited inside the project, and every citation resolves.

A case file's ``source`` names rows of ``data/history/*.csv`` (``[hist:ID]``, ``[fact:ID]``)
or entries of ``docs/bibliography.md`` (``[bib:KEY]``); the rows hold the public sources.
No case cites a web address directly. A counterfactual's changes and a study-design
choice (a run's horizon) are not facts and say so instead.
"""

from __future__ import annotations

import csv
import re

import pytest
import tomllib

from timeline_sim.cases.loading import list_cases

from .conftest import ROOT

HISTORY = ROOT / "data" / "history"
REFERENCE = re.compile(r"\[(hist|fact|bib):([^\]]+)\]")
WEB_ADDRESS = re.compile(r"https?://|www\.|\b[\w-]+\.(?:com|org|net|gov|int|edu)\b", re.I)
CASES = [p for p in list_cases() if p.parent == ROOT / "cases"]


def _rows(prefix: str) -> dict[str, dict[str, str]]:
    rows: dict[str, dict[str, str]] = {}
    for path in sorted(HISTORY.glob(f"{prefix}*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                assert row["id"] not in rows, f"{path.name}: duplicate id {row['id']}"
                rows[row["id"]] = row
    return rows


MILESTONES = _rows("milestones")
FACTS = _rows("facts")
BIBLIOGRAPHY = set(
    re.findall(r"^\| `([\w-]+)` \|", (ROOT / "docs" / "bibliography.md").read_text(), re.M)
)


def _sources(node, path=""):
    """Every (field path, source text) of a parsed case file."""
    if isinstance(node, dict):
        for key, value in node.items():
            where = f"{path}.{key}" if path else key
            if key == "source" and isinstance(value, str):
                yield path or "(top level)", value
            else:
                yield from _sources(value, where)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _sources(value, f"{path}[{i}]")


def test_the_history_tables_have_a_public_source_on_every_row():
    """No row of data/history is without its source."""
    assert len(MILESTONES) > 400 and len(FACTS) > 600
    blank = [i for i, r in {**MILESTONES, **FACTS}.items() if len(r["source"].strip()) < 3]
    assert blank == []


def test_the_bibliography_has_the_source_papers():
    assert {"paper000", "paper001", "huggo"} <= BIBLIOGRAPHY


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_every_source_of_a_case_cites_the_project_and_resolves(path):
    """At least one reference per source; each reference names an existing row or entry."""
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    problems = []
    for where, text in _sources(raw):
        refs = REFERENCE.findall(text)
        if not refs and not text.startswith(("counterfactual", "study design")):
            problems.append(f"{where}: no [hist:], [fact:] or [bib:] reference")
        if WEB_ADDRESS.search(REFERENCE.sub("", text)):
            problems.append(f"{where}: cites a web address directly; put it in data/history")
        for kind, key in refs:
            table = {"hist": MILESTONES, "fact": FACTS, "bib": BIBLIOGRAPHY}[kind]
            if key not in table:
                problems.append(f"{where}: [{kind}:{key}] names nothing")
    assert problems == []


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_a_target_agrees_with_the_history_row_it_cites(path):
    """A target citing a dated row has that row's date (or a note saying why not)."""
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    wrong = []
    for i, target in enumerate(raw.get("targets", [])):
        dates = {
            MILESTONES[k]["date"]
            for kind, k in REFERENCE.findall(target["source"])
            if kind == "hist" and k in MILESTONES
        }
        if dates and target["date"] not in dates and not target.get("note"):
            wrong.append(f"targets[{i}]: {target['date']} but the record says {sorted(dates)}")
    assert wrong == []
