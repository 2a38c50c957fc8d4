"""The comparison dashboard's pieces: the forest plot of paired effects and its table."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from timeline_sim.figures.common import OKABE_ITO as _C
from timeline_sim.figures.common import (
    VARIANT_COLOUR,
    esc,
    format_number,
    style_figure,
)
from timeline_sim.figures.study_data import COUNT_OUTCOMES
from timeline_sim.output import labels as names


#: outcome columns of studies, with readable names and units
def comparison_effects(comparison: dict[str, Any], title: str) -> go.Figure | None:
    """Variant minus baseline for each outcome, with its paired 95% interval, by unit."""
    groups: dict[str, list[tuple[str, str, dict[str, Any]]]] = {}
    for track, outcomes in comparison.get("tracks", {}).items():
        for outcome, r in outcomes.items():
            if r.get("effect") is None:
                continue
            if outcome.endswith("_days"):
                unit = "days"
            elif outcome.endswith("_usd"):
                unit = "US$"
            elif outcome in COUNT_OUTCOMES or outcome in (
                "protests",
                "side_payment_raises",
                "largest_protest",
            ):
                unit = "count"
            else:
                unit = "share or value"
            if outcome in ("largest_protest", "terms_value", "initiator_value", "target_value"):
                continue
            groups.setdefault(unit, []).append((track, outcome, r))
    if not groups:
        return None
    units = [u for u in ("days", "count", "US$", "share or value") if u in groups]
    fig = make_subplots(
        rows=len(units),
        cols=1,
        subplot_titles=[
            f"Effect of the variant ({u}): variant mean - baseline mean, paired 95% interval"
            for u in units
        ],
        vertical_spacing=0.1,
    )
    for row, unit in enumerate(units, start=1):
        items = groups[unit]
        labels = [f"{esc(names.track(t))}: {esc(names.outcome(o))}" for t, o, _r in items]
        effects = [r["effect"] for _t, _o, r in items]
        fig.add_trace(
            go.Scatter(
                x=effects,
                y=labels,
                mode="markers",
                name=f"effect ({unit})",
                showlegend=False,
                marker=dict(
                    symbol="diamond",
                    size=12,
                    color=VARIANT_COLOUR,
                    line=dict(color="black", width=1),
                ),
                error_x=dict(
                    type="data",
                    symmetric=False,
                    color=_C["black"],
                    thickness=2,
                    width=6,
                    array=[r["ci_high"] - r["effect"] for _t, _o, r in items],
                    arrayminus=[r["effect"] - r["ci_low"] for _t, _o, r in items],
                ),
                hovertext=[
                    f"<b>{lab}</b><br>baseline mean: {format_number(r['baseline_mean'])}<br>variant mean: "
                    f"{format_number(r['variant_mean'])}<br>effect: {format_number(r['effect'])} "
                    f"[{format_number(r['ci_low'])}, {format_number(r['ci_high'])}]<br>{r.get('n', '')} paired runs"
                    for lab, (_t, _o, r) in zip(labels, items, strict=True)
                ],
                hoverinfo="text",
            ),
            row=row,
            col=1,
        )
        fig.add_vline(x=0, line=dict(color=_C["grey"], width=1), row=row, col=1)
        fig.update_yaxes(automargin=True, row=row, col=1)
        fig.update_xaxes(title_text=f"effect ({unit})", row=row, col=1)
    return style_figure(fig, title, sum(max(200, 34 * len(groups[u]) + 120) for u in units) + 120)


def comparison_table(comparison: dict[str, Any]) -> str:
    rows = []
    for track, outcomes in comparison.get("tracks", {}).items():
        for outcome, r in outcomes.items():
            if r.get("effect") == 0 and r.get("ci_low") == r.get("ci_high"):
                continue
            rows.append(
                f"<tr><td>{esc(names.track(track))}</td><td>{esc(names.outcome(outcome))}</td><td class='num'>{format_number(r['baseline_mean'])}</td>"
                f"<td class='num'>{format_number(r['variant_mean'])}</td><td class='num'>{format_number(r['effect'])}</td>"
                f"<td class='num'>[{format_number(r['ci_low'])}, {format_number(r['ci_high'])}]</td></tr>"
            )
    return (
        "<table class='targets'><thead><tr><th>track</th><th>outcome</th><th>baseline mean</th>"
        "<th>variant mean</th><th>effect</th><th>95% interval (paired)</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
    )


def is_comparison(directory: str | Path) -> bool:
    d = Path(directory)
    return (
        (d / "comparison.json").is_file() and (d / "baseline").is_dir() and (d / "variant").is_dir()
    )
