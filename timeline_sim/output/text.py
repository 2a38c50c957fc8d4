"""Presenting a run in the terminal: the dated chronology and the targets table."""

from __future__ import annotations

import math

from timeline_sim.engine.runner import RunResult

#: Event kinds left out of the printed chronology (they are in the event table).
QUIET_EVENTS = {"offer", "mobilisation", "session_opens", "session_closes"}


def chronology(result: RunResult, verbose: bool = False) -> str:
    """The dated chronology of a run as text, one event a line."""
    lines = []
    for row in result.events.itertuples(index=False):
        if not verbose and row.event in QUIET_EVENTS:
            continue
        value = "" if isinstance(row.value, float) and math.isnan(row.value) else _short(row.value)
        detail = row.detail if len(row.detail) <= 90 else row.detail[:87] + "..."
        lines.append(
            f"{row.date}  {row.track:<11} {row.actor[:22]:<22} {row.event:<20} {value:>10}  {detail}"
        )
    return "\n".join(lines)


def _short(value: float) -> str:
    if abs(value) >= 1e6:
        return f"{value:,.3g}"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.3g}"


def targets_table(result: RunResult) -> str:
    """Historical against simulated milestones, with the error in days."""
    lines = [
        f"{'track':<11} {'milestone':<17} {'historical':<11} {'simulated':<11} {'error (days)':>12}"
    ]
    for row in result.targets:
        error = "not reached" if row["error_days"] is None else f"{row['error_days']:+d}"
        simulated = row["simulated"] or "-"
        lines.append(
            f"{row['track']:<11} {row['milestone']:<17} {row['historical']:<11} {simulated:<11} {error:>12}"
        )
    mae = result.mean_abs_error_days
    reached = sum(1 for row in result.targets if row["error_days"] is not None)
    lines.append(
        f"mean absolute error: {'-' if mae is None else f'{mae:.0f} days'} "
        f"over {reached} of {len(result.targets)} targets reached"
    )
    if result.outcome_targets:
        lines.append("")
        lines.append(f"{'track':<11} {'outcome':<20} {'historical':>14} {'simulated':>14}")
        for row in result.outcome_targets:
            simulated = "-" if row["simulated"] is None else f"{row['simulated']:,.4g}"
            lines.append(
                f"{row['track']:<11} {row['outcome']:<20} {row['historical']:>14,.4g} {simulated:>14}"
            )
    lines.append(f"per-case tuning knobs: {result.tuning_knobs}")
    return "\n".join(lines)
