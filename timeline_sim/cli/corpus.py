"""``timeline-sim corpus``: every FTA agreement against history, and ablations of the mechanisms.

    timeline-sim corpus [CASE ...] [--runs 200] [--seed 0] [--workers 2]
                        [--ablations] [--json] [--markdown FILE]

prints, per agreement, the historical signature-to-entry-into-force and
launch-to-conclusion delays beside the simulated p10, p50 and p90, the rank
correlation of the medians with history, and (``--ablations``) which
agreements move when each mechanism is switched off. ``--markdown FILE``
writes the same as a page (``docs/corpus.md`` is written this way).
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path
from typing import Any

import pandas as pd

from timeline_sim.cli.errors import UsageError, whole_number
from timeline_sim.output.files import write_atomic
from timeline_sim.studies.corpus import (
    ABLATIONS,
    ablation_report,
    corpus_report,
    fta_cases,
    rank_correlation,
)
from timeline_sim.studies.spec import ExecutionOptions

DELAY_NAMES = {
    "signature_to_force": "signature to entry into force",
    "launch_to_conclusion": "launch of talks to conclusion",
}


def register(sub: Any) -> None:
    """Add the ``corpus`` command."""
    corpus = sub.add_parser(
        "corpus",
        help="every FTA agreement's delays against history; ablations of the mechanisms",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    corpus.add_argument("cases", nargs="*", help="FTA cases (default: every shipped FTA case)")
    corpus.add_argument("--runs", type=whole_number(1), default=200, help="runs per case")
    corpus.add_argument("--seed", type=whole_number(0), default=0, help="study seed")
    corpus.add_argument("--workers", type=whole_number(1), default=1, help="worker processes")
    corpus.add_argument(
        "--ablations", action="store_true", help="also switch each mechanism off (paired runs)"
    )
    corpus.add_argument("--json", action="store_true", help="print one JSON object")
    corpus.add_argument("--markdown", type=Path, metavar="FILE", help="write the report as a page")
    corpus.set_defaults(handler=cmd_corpus)


def _days(value: float | None) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "never"
    return f"{value:,.0f}"


def report_markdown(
    report: pd.DataFrame, correlations: list[dict], ablations: pd.DataFrame | None, args
) -> str:
    """The corpus report as a markdown page."""
    lines = [
        "# Validation: the FTA corpus against history",
        "",
        "<!-- written by: timeline-sim corpus "
        f"--runs {args.runs} --seed {args.seed}{' --ablations' if ablations is not None else ''}"
        f" --markdown {args.markdown} -->",
        "",
        f"Each agreement of every shipped FTA case, {args.runs} runs (seed {args.seed}, parameters "
        "and uncertain inputs drawn per run as in any study). *p10, p50, p90*: percentiles of the "
        "simulated delay in days, a run that never gets there counting as infinitely late "
        "(*never*); *history*: the record's delay; *pct*: where history falls in the simulated "
        "distribution; *in 80%*: history within p10-p90.",
        "",
    ]
    for delay, name in DELAY_NAMES.items():
        rows = report[report["delay"] == delay]
        lines += [
            f"## {name.capitalize()}",
            "",
            "| agreement | case | history | p10 | p50 | p90 | reached | pct | in 80% |",
            "|---|---|---:|---:|---:|---:|---:|---:|:---:|",
        ]
        for r in rows.itertuples():
            inside = (
                ""
                if r.within_80 is None or pd.isna(r.within_80)
                else ("yes" if r.within_80 else "no")
            )
            pct = "" if r.percentile is None or pd.isna(r.percentile) else f"{r.percentile:.0f}"
            lines.append(
                f"| {r.agreement} | `{r.case}` | {_days(r.historical)} | {_days(r.p10)} | "
                f"{_days(r.p50)} | {_days(r.p90)} | {r.reached:.2f} | {pct} | {inside} |"
            )
        with_history = rows[rows["historical"].notna()]
        covered = with_history["within_80"].astype(bool).mean() if len(with_history) else math.nan
        corr = next(c for c in correlations if c["delay"] == delay)
        rho = "n/a" if corr["spearman"] is None else f"{corr['spearman']:.2f}"
        lines += [
            "",
            f"Agreements with a recorded delay: {len(with_history)}; history within the "
            f"simulated 80% band: {covered:.0%}; rank correlation (Spearman) of simulated "
            f"medians with history: {rho} (n = {corr['n']}).",
            "",
        ]
    if ablations is not None:
        lines += [
            "## Ablations: which agreements move",
            "",
            "Each mechanism switched off on the same streams (paired runs); the median "
            "signature-to-entry-into-force delay with it on and off. An agreement *moves* when the "
            "median shifts by more than 14 days and the paired 95% interval of the mean shift "
            "excludes zero, or when it stops (or starts) entering into force.",
            "",
            "| mechanism off | agreements that move (median on -> off, days) | unmoved |",
            "|---|---|---:|",
        ]
        for switch in ablations["switch"].unique():
            rows = ablations[ablations["switch"] == switch]
            moved = rows[rows["moves"]]
            text = (
                "; ".join(
                    f"{r.agreement} ({_days(r.median_on)} -> {_days(r.median_off)})"
                    for r in moved.itertuples()
                )
                or "none"
            )
            lines.append(f"| `{switch}` | {text} | {len(rows) - len(moved)} |")
        lines.append("")
    return "\n".join(lines) + "\n"


def cmd_corpus(args: argparse.Namespace) -> int:
    cases = fta_cases(args.cases or None)
    if not cases:
        raise UsageError("no FTA case given (the corpus report reads FTA cases only)")
    options = ExecutionOptions(workers=args.workers)
    report = corpus_report(cases, args.runs, args.seed, options)
    correlations = [rank_correlation(report, delay) for delay in DELAY_NAMES]
    ablations = (
        ablation_report(cases, args.runs, args.seed, ABLATIONS, options) if args.ablations else None
    )
    if args.markdown is not None:
        text = report_markdown(report, correlations, ablations, args)
        write_atomic(args.markdown, lambda p: p.write_text(text, encoding="utf-8"))
    if args.json:
        out = {
            "runs": args.runs,
            "seed": args.seed,
            "agreements": json.loads(report.to_json(orient="records")),
            "rank_correlation": correlations,
        }
        if ablations is not None:
            out["ablations"] = json.loads(ablations.to_json(orient="records"))
        print(json.dumps(out, indent=2))
        return 0
    for delay, name in DELAY_NAMES.items():
        rows = report[report["delay"] == delay]
        print(f"\n{name} (days)")
        print(f"  {'agreement':<28} {'history':>8} {'p10':>8} {'p50':>8} {'p90':>8} {'reached':>8}")
        for r in rows.itertuples():
            print(
                f"  {r.agreement:<28} {_days(r.historical):>8} {_days(r.p10):>8} "
                f"{_days(r.p50):>8} {_days(r.p90):>8} {r.reached:>8.2f}"
            )
        corr = next(c for c in correlations if c["delay"] == delay)
        if corr["spearman"] is not None:
            print(
                f"  rank correlation of medians with history: {corr['spearman']:.2f} (n = {corr['n']})"
            )
    if ablations is not None:
        print("\nablations (agreements whose median moves):")
        for switch in ablations["switch"].unique():
            moved = ablations[(ablations["switch"] == switch) & ablations["moves"]]
            print(f"  {switch:<22} {', '.join(moved['agreement']) or 'none'}")
    if args.markdown is not None:
        print(f"\nwrote {args.markdown}")
    return 0
