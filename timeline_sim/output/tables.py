"""Study results as tables for the terminal: distributions, comparisons, sweeps.

Plain names with units (:mod:`timeline_sim.output.labels`), one number format;
rows that cannot apply are left out (the lower house of a one-chamber
legislature, outcomes empty in every run, the talks' launch, which is an input),
and milestones appear as the probability of reaching them, never as 0/1
distributions. The JSON outputs keep their keys; only this text changes.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from timeline_sim.output import labels

#: outcomes shown first in printed summaries (and alone in a printed sweep)
HEADLINE = (
    "talks_days",
    "ratification_delay_days",
    "failed_votes",
    "side_payments_usd",
    "concession",
    "terms_value",
    "deadlines_missed",
    "sanctions_imposed",
    "market_access",
    "days_before_deadline",
    "value_claiming_share",
)
#: milestones that are inputs of a run (dated facts), so never uncertain
INPUT_MILESTONES = {"talks_launched"}


def _one_chamber(case: Any) -> bool:
    """The home party's legislature has one chamber (no lower house passes first)."""
    model = getattr(case, "model", None)
    home = getattr(model, "parties", {}).get(getattr(model, "home", None))
    legislature = getattr(home, "legislature", None)
    return legislature is not None and len(legislature.chambers) == 1


def applies(name: str, case: Any) -> bool:
    """Whether a milestone (or ``reached_`` column) can happen at all in ``case``."""
    name = name.removeprefix("reached_")
    if name in INPUT_MILESTONES:
        return False
    return not (name == "ratified_lower" and _one_chamber(case))


def _ordered(outcomes: dict[str, Any]) -> list[str]:
    return [o for o in HEADLINE if o in outcomes] + [o for o in outcomes if o not in HEADLINE]


def _empty(x: Any) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def _row(name: str, cells: list[str], width: int, cell: int = 11) -> str:
    return f"  {name:<{width}}" + "".join(f" {c:>{cell}}" for c in cells)


def format_summary(summary: dict[str, Any], case: Any = None) -> str:
    """A Monte Carlo summary: distributions, probabilities of milestones, history placed."""
    units = labels.terms_units(case)
    failed = summary["errors"]
    title = (
        f"{summary['case']}{' [variant: ' + summary['variant'] + ']' if summary['variant'] else ''}"
    )
    lines = [
        f"{title}: {summary['runs']:,} runs, seed {summary['seed']}, "
        + ("no run failed" if not failed else f"{failed} runs failed (see the runs table)"),
        "",
    ]
    distributions: dict[str, list[tuple[str, list[str]]]] = {}
    chances: dict[str, list[tuple[str, list[str]]]] = {}
    for track, outcomes in summary["tracks"].items():
        by_history = summary["milestones"].get(track, {})
        for outcome in _ordered(outcomes):
            s = outcomes[outcome]
            if _empty(s["mean"]):
                continue  # empty in every run
            if outcome.startswith("reached_"):
                milestone = outcome.removeprefix("reached_")
                if not applies(milestone, case):
                    continue
                m = by_history.get(milestone, {})
                by = next((v for k, v in m.items() if k.startswith("p_by_")), None)
                when = next((k.removeprefix("p_by_") for k in m if k.startswith("p_by_")), "-")
                chances.setdefault(track, []).append(
                    (
                        labels.milestone(milestone),
                        [
                            labels.probability(s["mean"]),
                            labels.probability(by),
                            when,
                            m.get("median_date") or "-",
                        ],
                    )
                )
                continue
            unit = labels.unit_of(outcome)
            if unit == "flag":
                chances.setdefault(track, []).append(
                    (labels.outcome(outcome), [labels.probability(s["mean"]), "-", "-", "-"])
                )
                continue
            cells = [
                labels.value(s[k], unit, units.get(track)) for k in ("mean", "p5", "p50", "p95")
            ]
            distributions.setdefault(track, []).append(
                (labels.outcome(outcome, units.get(track)), cells)
            )
    width = max([32] + [len(n) for rows in distributions.values() for n, _ in rows])
    lines.append(
        _row(f"outcome, over {summary['runs']:,} runs", ["mean", "5%", "50%", "95%"], width)[2:]
    )
    for track, rows in distributions.items():
        lines.append(track)
        lines += [_row(name, cells, width) for name, cells in rows]
    lines += labels.unit_notes(units, list(distributions))
    if chances:
        width = max([32] + [len(n) for rows in chances.values() for n, _ in rows])
        lines += [
            "",
            _row(
                "probability of reaching",
                ["P(reached)", "P(by then)", "historical", "median date"],
                width,
                12,
            )[2:],
        ]
        for track, rows in chances.items():
            lines.append(track)
            lines += [_row(name, cells, width, 12) for name, cells in rows]
        lines.append(
            "P(reached): share of runs that reach it; P(by then): share that reach it by its "
            "historical date"
        )
    if summary["history"]:
        lines += ["", "where history falls in the simulated distribution (percentile of the runs)"]
        placed: dict[str, list[tuple[str, list[str]]]] = {}
        for h in summary["history"]:
            if "milestone" in h:
                name, shown = labels.milestone(h["milestone"]), str(h["historical"])
            else:
                unit = labels.unit_of(h["outcome"])
                name = labels.outcome(h["outcome"], units.get(h["track"]))
                shown = labels.value(h["historical"], unit, units.get(h["track"]))
            percentile = "-" if _empty(h["percentile"]) else f"{h['percentile']:.1f}"
            placed.setdefault(h["track"], []).append((name, [shown, percentile]))
        width = max([32] + [len(n) for rows in placed.values() for n, _ in rows])
        lines.append(_row("", ["historical", "percentile"], width, 12)[2:])
        for track, rows in placed.items():
            lines.append(track)
            lines += [_row(name, cells, width, 12) for name, cells in rows]
    return "\n".join(lines)


def format_comparison(result: dict[str, Any], case: Any = None) -> str:
    """A paired comparison: both means, the effect, its 95% interval, what pairing gained."""
    units = labels.terms_units(case)
    lines = [
        f"{result['case']}: baseline against {result['variant']}, {result['runs']:,} paired runs, "
        f"seed {result['seed']}",
        "",
    ]
    shown: dict[str, list[tuple[str, list[str]]]] = {}
    for track, outcomes in result["tracks"].items():
        for outcome in _ordered(outcomes):
            r = outcomes[outcome]
            if r["effect"] == 0 and r["ci_low"] == r["ci_high"]:
                continue  # identical in every pair
            if outcome.startswith("reached_"):
                if not applies(outcome, case):
                    continue
                name = f"P({labels.milestone(outcome.removeprefix('reached_'))})"
                unit = "probability"
            else:
                unit = labels.unit_of(outcome)
                name = labels.outcome(outcome, units.get(track))
                if unit == "flag":
                    name, unit = f"P({name})", "probability"

            def show(x: Any, unit: str = unit, track: str = track) -> str:
                if unit == "probability":
                    return labels.probability(x)
                return labels.value(x, unit, units.get(track))

            def change(x: Any, unit: str = unit, track: str = track) -> str:
                if labels.is_share(unit, units.get(track)):
                    return labels.points(x)  # a difference of shares: percentage points
                return show(x)

            interval = f"{change(r['ci_low'])} to {change(r['ci_high'])}"
            pairing = "-" if r["narrowing"] is None else f"x{r['narrowing']:.1f}"
            cells = [show(r["baseline_mean"]), show(r["variant_mean"]), change(r["effect"])]
            shown.setdefault(track, []).append((name, [*cells, interval, pairing]))
    width = max([32] + [len(n) for rows in shown.values() for n, _ in rows])
    header = f"{'outcome':<{width}}" + "".join(
        f" {c:>11}" for c in ("baseline", "variant", "effect")
    )
    lines.append(f"{header} {'95% interval of the effect':>28} {'pairing':>8}")
    for track, rows in shown.items():
        lines.append(track)
        for name, (b, v, e, interval, pairing) in rows:
            lines.append(f"  {name:<{width}} {b:>11} {v:>11} {e:>11} {interval:>28} {pairing:>8}")
    if not shown:
        lines.append("  (no outcome differs between the baseline and the variant in any run)")
    lines += labels.unit_notes(
        units, [t for t, rows in shown.items() if any(n.startswith("terms") for n, _ in rows)]
    )
    lines += [
        "",
        "effect: variant minus baseline, run by run on the same random streams (pts: "
        "percentage points); P(...): probability of reaching a milestone",
        "pairing: how many times narrower the paired interval is than an unpaired one on the "
        "same runs",
    ]
    return "\n".join(lines)


def format_sweep(table: pd.DataFrame, param: str, case: Any = None) -> str:
    """A sweep: for each headline outcome, its distribution at each grid value."""
    units = labels.terms_units(case)
    lines: list[str] = []
    if table.empty:
        return "(no outcomes)"
    shown = table[table["outcome"].isin(HEADLINE)]
    width = max(24, len(param))
    for (track, outcome), group in shown.groupby(["track", "outcome"], sort=False):
        rows = [r for r in group.itertuples() if not _empty(r.mean)]
        if not rows:
            continue
        unit = labels.unit_of(outcome)
        lines += ["", f"{track}: {labels.outcome(outcome, units.get(track))}"]
        if outcome == "terms_value":
            lines += labels.unit_notes(units, [track])
        lines.append(
            f"  {param:>{width}}" + "".join(f" {c:>11}" for c in ("mean", "5%", "50%", "95%"))
        )
        for r in rows:
            cells = [
                labels.value(getattr(r, k), unit, units.get(track))
                for k in ("mean", "p5", "p50", "p95")
            ]
            lines.append(
                f"  {labels.number(r.value, True):>{width}}" + "".join(f" {c:>11}" for c in cells)
            )
    return "\n".join(lines).lstrip("\n")
