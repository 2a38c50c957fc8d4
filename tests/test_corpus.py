"""The corpus report: delays against history, the rank correlation, ablations that move cases."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from timeline_sim.cases.loading import load_case
from timeline_sim.studies.corpus import (
    ablation_report,
    corpus_report,
    historical_delays,
    rank_correlation,
    simulated_delays,
)

from .conftest import DATA, cli


def test_historical_delays_come_from_the_targets(korea):
    """Korea-Chile: signed 15 Feb 2003, in force 1 Apr 2004; talks 14 Dec 1999 to 20 Oct 2002."""
    delays = historical_delays(korea, "chile")
    assert delays["signature_to_force"] == 411
    assert delays["launch_to_conclusion"] == 1041


def test_a_run_that_never_gets_there_counts_as_infinitely_late():
    """No entry into force within the horizon: NaN in the runs, 'never' at the top of the band."""
    table = pd.DataFrame(
        {"t.signed": ["2000-01-01", "2000-01-01"], "t.entry_into_force": ["2000-01-31", None]}
    )
    delays = simulated_delays(table, "t")["signature_to_force"]
    assert delays[0] == 30 and np.isnan(delays[1])


def test_rank_correlation_against_closed_forms():
    """Same order: 1; reversed: -1 (Spearman on the medians)."""
    rows = pd.DataFrame(
        {"delay": ["d"] * 4, "historical": [10.0, 20.0, 30.0, 40.0], "p50": [1.0, 2.0, 3.0, 4.0]}
    )
    assert rank_correlation(rows, "d")["spearman"] == pytest.approx(1.0)
    rows["p50"] = [4.0, 3.0, 2.0, 1.0]
    assert rank_correlation(rows, "d")["spearman"] == pytest.approx(-1.0)


def test_the_report_places_history_in_the_simulated_band(korea):
    report = corpus_report([korea], runs=40, seed=1)
    chile = report[(report["track"] == "chile") & (report["delay"] == "signature_to_force")].iloc[0]
    assert chile["p10"] <= chile["p50"] <= chile["p90"]
    assert chile["historical"] == 411
    assert chile["within_80"] == (chile["p10"] <= 411 <= chile["p90"])


def test_an_ablation_moves_the_agreement_whose_partner_is_slowest(tmp_path):
    """With a court review on the partner's route, dropping the partner's ratification moves it."""
    text = (
        (DATA / "two_parties.toml")
        .read_text(encoding="utf-8")
        .replace(
            '{ step = "cabinet", name = "royal decree", source = "test fixture" },',
            '{ step = "court_review", source = "test fixture" },\n  '
            '{ step = "cabinet", name = "royal decree", source = "test fixture" },',
        )
    )
    path = tmp_path / "slow_partner.toml"
    path.write_text(text, encoding="utf-8")
    case = load_case(path)
    report = ablation_report([case], runs=40, seed=2, switches=["partner_ratification", "shocks"])
    by_switch = report.set_index("switch")
    assert bool(by_switch.loc["partner_ratification", "moves"])
    assert by_switch.loc["partner_ratification", "median_shift"] < -100
    assert not bool(by_switch.loc["shocks", "moves"])  # the case has no shocks


def test_the_corpus_command_writes_its_page(tmp_path):
    page = tmp_path / "validation.md"
    out = cli("corpus", "korea_ftas", "--runs", "20", "--markdown", str(page))
    assert out.returncode == 0, out.stderr
    text = page.read_text()
    assert "Korea-Chile" in text and "rank correlation" in text
