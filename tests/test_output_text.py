"""What a person reads in the terminal: headers, units, summaries, plain names."""

from __future__ import annotations

import json
import re

import pytest

from timeline_sim.cases.loading import load_case
from timeline_sim.output.text import chronology

from .conftest import cli

#: snake_case words that are names the user typed (cases, variants), not labels
USER_NAMES = {
    "korea_ftas",
    "japan_ftas",
    "us_japan_autos",
    "us_korea_autos",
    "singapore_first",
    "value_creating",
}


def _snake_case(text: str) -> set[str]:
    return set(re.findall(r"\b[a-z]+(?:_[a-z0-9]+)+\b", text)) - USER_NAMES


@pytest.mark.parametrize(
    "x,shown",
    [
        (1e9, "US$1.0bn"),
        (2.115e10, "US$21.1bn"),
        (3.5e8, "US$350m"),
        (0, "US$0"),
        (-9.5e9, "-US$9.5bn"),
    ],
)
def test_dollars_read_in_billions_and_millions(x, shown):
    from timeline_sim.output import labels

    assert labels.usd(x) == shown


@pytest.mark.parametrize(
    "x,whole,shown",
    [
        (1224.3, False, "1,224"),
        (267.2, False, "267"),
        (92.18, False, "92.2"),
        (4.891, False, "4.89"),
        (0.6445, False, "0.64"),
        (1.0, False, "1.00"),
        (5.0, True, "5"),
        (1.036e5, True, "103,600"),
        (0, False, "0"),
    ],
)
def test_one_number_format_without_exponents(x, whole, shown):
    from timeline_sim.output import labels

    assert labels.number(x, whole) == shown


def test_numbers_in_free_text_lose_their_exponents():
    from timeline_sim.output import labels

    assert labels.plain_numbers("pork quota: 6.447e+04 tonnes a year") == (
        "pork quota: 64,470 tonnes a year"
    )


def test_the_chronology_has_a_header_and_values_with_units(korea_fight):
    """A header names the columns; dollars, probabilities and shares carry their units."""
    out = cli("replay", "korea_ftas", "--run", str(korea_fight[0]))
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("date"))
    assert lines[header].split() == ["date", "track", "actor", "event", "value", "detail"]
    assert set(lines[header + 1].replace(" ", "")) == {"-"}
    assert re.search(r"side payment offered\s+US\$\d+\.\dbn", out.stdout)
    assert re.search(r"vote blocked\s+P\(block\) 0\.\d\d", out.stdout)
    assert re.search(r"round\s+\d+\.\d% agreed", out.stdout)
    assert re.search(r"vote scheduled\s+in \d+ days", out.stdout)
    assert re.search(r"side payments to farmers\s+US\$1\.0bn\s+US\$\d+\.\dbn", out.stdout)
    assert "e+0" not in out.stdout and "e+1" not in out.stdout


def test_terms_in_tonnes_a_year_are_labelled():
    """Japan-Mexico: the pork quota reads in tonnes/year, in whole tonnes."""
    out = cli("replay", "japan_ftas")
    assert out.returncode == 0, out.stderr
    assert re.search(
        r"terms of the deal \(tonnes/year of low-tariff pork\)\s+80,000\s+\d{1,3},\d{3}", out.stdout
    )
    assert "e+04" not in out.stdout


def _chronology_rows(text: str) -> list[str]:
    lines = text.splitlines()
    return lines[2:]  # below the header and its rule


def test_protests_are_summarised_by_wave_with_totals(korea_fight):
    """Without --verbose: fewer lines than protests; counts and protesters add up exactly."""
    result = korea_fight[1]
    protests = result.events[result.events["event"] == "protest"]
    rows = _chronology_rows(chronology(result))
    waves = [r for r in rows if " protest wave " in r]
    singles = [r for r in rows if re.search(r" protest\s+[\d,]+ people", r)]
    assert waves and len(waves) + len(singles) < len(protests) / 2
    counted = sum(int(re.search(r"(\d+) protests", r).group(1)) for r in waves) + len(singles)
    assert counted == len(protests)
    people = sum(
        int(re.search(r"([\d,]+) protesters in all", r).group(1).replace(",", "")) for r in waves
    ) + sum(int(re.search(r"([\d,]+) people", r).group(1).replace(",", "")) for r in singles)
    assert people == pytest.approx(protests["value"].sum(), abs=len(protests))
    verbose = _chronology_rows(chronology(result, verbose=True))
    assert sum(1 for r in verbose if re.search(r" protest\s+[\d,]+ people", r)) == len(protests)


def test_rounds_without_progress_are_one_line(korea_fight):
    """Runs of rounds that leave the text where it was are one line with their count."""
    result = korea_fight[1]
    rounds = result.events[result.events["event"] == "round"]
    rows = _chronology_rows(chronology(result))
    stuck = [r for r in rows if "rounds, no progress" in r]
    shown = [r for r in rows if re.search(r" round\s+\d", r)]
    assert stuck and len(stuck) + len(shown) < len(rounds)
    counted = sum(int(re.search(r"(\d+) rounds", r).group(1)) for r in stuck)
    assert counted + len(shown) == len(rounds)
    for track, group in rounds.groupby("track"):
        progress = (group["value"].diff().fillna(1) > 0).sum()
        shown_here = [r for r in shown if f" {track} " in r]
        assert len(shown_here) >= progress  # every round that moved the text is its own line


def test_a_counterfactual_replay_is_not_scored_against_history():
    """--variant: historical dates for reference, no errors, no mean absolute error, and why."""
    out = cli("replay", "korea_ftas", "--variant", "singapore_first")
    assert out.returncode == 0, out.stderr
    assert "2004-02-16" in out.stdout  # the historical ratification, for reference
    assert "error (days)" not in out.stdout and "mean absolute error" not in out.stdout
    assert "counterfactual" in out.stdout and "not scored" in out.stdout
    baseline = cli("replay", "korea_ftas")
    assert "error (days)" in baseline.stdout and "mean absolute error" in baseline.stdout
    scored = json.loads(
        cli("replay", "korea_ftas", "--variant", "singapore_first", "--json").stdout
    )
    assert "error_days" in scored["targets"][0]  # the JSON keeps its keys


def test_montecarlo_tables_drop_what_cannot_apply_and_use_plain_names():
    """No 0/1 reached_* rows, no lower house for a one-chamber Assembly, probabilities named."""
    out = cli("montecarlo", "korea_ftas", "--runs", "30")
    assert out.returncode == 0, out.stderr
    assert "reached_" not in out.stdout and "lower house" not in out.stdout
    assert "P(reached)" in out.stdout and "talks broke down" in out.stdout
    assert "ratification delay (days)" in out.stdout
    assert re.search(r"side payments to farmers\s+US\$\d+\.\dbn", out.stdout)
    assert _snake_case(out.stdout) == set()
    assert "e+0" not in out.stdout and "e+1" not in out.stdout
    two = cli("montecarlo", "japan_ftas", "--runs", "20")
    assert "passed the lower house" in two.stdout  # the Diet has two chambers
    data = json.loads(cli("montecarlo", "korea_ftas", "--runs", "10", "--json").stdout)
    assert "ratification_delay_days" in data["tracks"]["chile"]  # the JSON keeps its keys


def test_montecarlo_leaves_out_outcomes_empty_in_every_run():
    """An outcome with no value in any run (never agreed, never ratified) has no row."""
    from timeline_sim.output.tables import format_summary

    summary = {
        "case": "korea_ftas",
        "variant": None,
        "runs": 3,
        "seed": 0,
        "errors": 0,
        "tracks": {
            "chile": {
                "ratification_delay_days": {"mean": None, "p5": None, "p50": None, "p95": None},
                "failed_votes": {"mean": 2.0, "p5": 1.0, "p50": 2.0, "p95": 3.0},
                "reached_ratified": {"mean": 0.0, "p5": 0.0, "p50": 0.0, "p95": 0.0},
                "reached_ratified_lower": {"mean": 0.0, "p5": 0.0, "p50": 0.0, "p95": 0.0},
            }
        },
        "milestones": {},
        "history": [],
    }
    text = format_summary(summary, load_case("korea_ftas"))
    assert "ratification delay" not in text and "failed or blocked votes" in text
    assert re.search(r"ratified\s+0\.00", text) and "lower house" not in text


def test_compare_tables_show_probabilities_not_zero_one_rows():
    """compare: milestones as P(...), plain names, share differences in points."""
    out = cli("compare", "us_japan_autos", "--variant", "value_creating", "--runs", "40")
    assert out.returncode == 0, out.stderr
    assert "reached_" not in out.stdout
    assert re.search(r"P\(sanctions list published\)\s+1\.00\s+0\.\d\d", out.stdout)
    assert _snake_case(out.stdout) == set()
    korea = cli("compare", "korea_ftas", "--variant", "singapore_first", "--runs", "40")
    assert "lower house" not in korea.stdout and "pts" in korea.stdout
    assert _snake_case(korea.stdout) == set()
