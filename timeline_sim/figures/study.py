"""The study and comparison dashboards: distributions of outcomes against history,
milestones over calendar time, paired effects of a variant (see ``figures.common``)."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from timeline_sim.figures.common import (
    BASELINE_COLOUR,
    HISTORY_COLOUR,
    VARIANT_COLOUR,
    case_header,
    esc,
    page,
    style_figure,
    wrap_text,
)
from timeline_sim.figures.compare import comparison_effects, comparison_table, is_comparison
from timeline_sim.figures.milestones import cumulative_curve, study_cumulative  # noqa: F401
from timeline_sim.figures.study_data import (  # noqa: F401  (re-exported for callers)
    COUNT_OUTCOMES,
    DELAY_OUTCOMES,
    OUTCOME_LABELS,
    Study,
    binned,
    column_values,
    historical_delays,
    is_discrete,
    load_study,
    percentile_of,
)
from timeline_sim.output import labels


def _distribution_traces(
    values: np.ndarray,
    name: str,
    colour: str,
    edges: np.ndarray | None = None,
    discrete: bool = False,
    opacity: float = 0.85,
    unit: str = "",
) -> list[go.Bar]:
    n = max(values.size, 1)
    if discrete:
        keys, counts = np.unique(values, return_counts=True)
        return [
            go.Bar(
                x=keys,
                y=100.0 * counts / n,
                name=name,
                marker_color=colour,
                opacity=opacity,
                hovertemplate=f"{esc(name)}<br>%{{x}}{unit}: %{{y:.1f}}% of runs<extra></extra>",
            )
        ]
    counts, edges = binned(values, edges=edges)
    centres = (edges[:-1] + edges[1:]) / 2
    width = float(edges[1] - edges[0])
    lows, highs = edges[:-1], edges[1:]
    return [
        go.Bar(
            x=centres,
            y=100.0 * counts / n,
            width=width,
            name=name,
            marker_color=colour,
            opacity=opacity,
            customdata=np.stack([lows, highs], axis=1),
            hovertemplate=f"{esc(name)}<br>%{{customdata[0]:,.4g}} to %{{customdata[1]:,.4g}}{unit}: "
            "%{y:.1f}% of runs<extra></extra>",
        )
    ]


def _history_marker(
    x: float, y_top: float, label: str, percentile: float, unit: str, trace_name: str
) -> go.Scatter:
    text = f"historical {x:,.4g}{unit}"
    return go.Scatter(
        x=[x, x],
        y=[0, y_top],
        mode="lines+markers+text",
        name=trace_name,
        meta="historical",
        line=dict(color=HISTORY_COLOUR, width=3, dash="dash"),
        marker=dict(symbol=["line-ew", "diamond"], size=[1, 13], color=HISTORY_COLOUR),
        text=["", f"{text}<br>percentile {percentile:.0f}"],
        textposition="top center",
        textfont=dict(size=11, color=HISTORY_COLOUR),
        hovertext=f"<b>{esc(text)}</b><br>{wrap_text(label)}<br>percentile in the simulated runs: {percentile:.1f}",
        hoverinfo="text",
        cliponaxis=False,
    )


def _text_side(x: float, values: np.ndarray) -> str:
    """Where a marker's label goes so that it stays inside its panel: away from the nearer edge."""
    if not values.size:
        return "top center"
    lo, hi = min(float(values.min()), x), max(float(values.max()), x)
    share = (x - lo) / (hi - lo) if hi > lo else 0.5
    return "top right" if share < 0.2 else "top left" if share > 0.8 else "top center"


def _spread_traces(
    values: np.ndarray, y_top: float, name: str, colour: str, unit: str
) -> list[go.Scatter]:
    """The median and the 5-95% band of the simulated runs, drawn over the histogram."""
    if not values.size:
        return []
    p5, median, p95 = (float(v) for v in np.percentile(values, [5, 50, 95]))
    return [
        go.Scatter(
            x=[p5, p5, p95, p95, p5],
            y=[0, y_top, y_top, 0, 0],
            mode="lines",
            fill="toself",
            fillcolor="rgba(120, 120, 120, 0.12)",
            line=dict(width=0.5, color=colour),
            name=f"{name}: 5-95% of runs",
            meta="band",
            hovertext=f"{esc(name)}: 90% of runs between {p5:,.4g}{unit} and {p95:,.4g}{unit}",
            hoverinfo="text",
        ),
        go.Scatter(
            x=[median, median],
            y=[0, y_top],
            mode="lines",
            line=dict(color=colour, width=2, dash="dot"),
            name=f"{name}: median",
            meta="median",
            hovertext=f"{esc(name)}: median {median:,.4g}{unit}",
            hoverinfo="text",
        ),
    ]


def _panels(study: Study, outcomes: tuple[str, ...]) -> list[tuple[str, str]]:
    out = []
    for track in study.tracks:
        for outcome in outcomes:
            values = column_values(study.runs, f"{track}.{outcome}")
            if values.size and (np.any(values != 0) or outcome in DELAY_OUTCOMES):
                out.append((track, outcome))
    return out


def _grid(n: int, cols: int = 2) -> tuple[int, int]:
    cols = min(cols, max(n, 1))
    return max(1, math.ceil(n / cols)), cols


def study_distributions(
    study: Study, outcomes: tuple[str, ...], title: str, other: Study | None = None
) -> go.Figure | None:
    """Each outcome's distribution (pre-binned), with the historical value and its percentile.

    With ``other`` (a comparison's variant), both distributions share the bins.
    """
    panels = _panels(study, outcomes)
    if other is not None:
        panels = list(dict.fromkeys(panels + _panels(other, outcomes)))
    if not panels:
        return None
    history = historical_delays(study.info)
    rows, cols = _grid(len(panels))
    fig = make_subplots(
        rows=rows,
        cols=cols,
        subplot_titles=[
            f"{esc(labels.track(track))}: {esc(OUTCOME_LABELS.get(o, o))}" for track, o in panels
        ],
        vertical_spacing=0.28 / rows + 0.06,
        horizontal_spacing=0.08,
    )
    for i, (track, outcome) in enumerate(panels):
        r, c = i // cols + 1, i % cols + 1
        column = f"{track}.{outcome}"
        base = column_values(study.runs, column)
        alt = column_values(other.runs, column) if other is not None else np.array([])
        hist = history.get((track, outcome))
        shown = None if hist is None else labels.value(hist["value"], labels.unit_of(outcome))
        unit = " days" if outcome in DELAY_OUTCOMES else ""
        if outcome.endswith("_usd"):  # dollars on a US$ bn axis: never an SI suffix such as 600G
            base, alt = base / 1e9, alt / 1e9
            hist = None if hist is None else {**hist, "value": hist["value"] / 1e9}
            unit = " US$bn"
        both = np.concatenate([base, alt])
        discrete = (
            outcome in COUNT_OUTCOMES
            or is_discrete(both, limit=25)
            and outcome not in DELAY_OUTCOMES
        )
        edges = None
        if not discrete and both.size:
            lo, hi = float(both.min()), float(both.max())
            if hist is not None:
                lo, hi = min(lo, hist["value"]), max(hi, hist["value"])
            if hi <= lo:
                lo, hi = lo - 0.5, hi + 0.5
            edges = np.linspace(lo, hi, 41)
        reached = f"{base.size} of {len(study.runs)} runs"
        names = ("baseline", "variant") if other is not None else (f"simulated ({reached})",)
        traces = _distribution_traces(
            base,
            names[0],
            BASELINE_COLOUR,
            edges,
            discrete,
            opacity=0.6 if other is not None else 0.85,
            unit=unit,
        )
        if other is not None:
            traces += _distribution_traces(
                alt, names[1], VARIANT_COLOUR, edges, discrete, opacity=0.6, unit=unit
            )
        for k, trace in enumerate(traces):
            trace.update(legendgroup=names[k], showlegend=i == 0)
            fig.add_trace(trace, row=r, col=c)
        top = max([float(np.max(t.y)) for t in traces if len(t.y)] + [1.0])
        spreads = [(base, names[0], BASELINE_COLOUR)]
        if other is not None:
            spreads.append((alt, names[1], VARIANT_COLOUR))
        for values, label, colour in spreads:
            for trace in _spread_traces(values, top * 1.05, label.split(" (")[0], colour, unit):
                trace.update(legendgroup=f"{trace.meta}-{label}", showlegend=i == 0)
                fig.add_trace(trace, row=r, col=c)
        if hist is not None and base.size:
            pct = percentile_of(base, hist["value"])
            what = labels.outcome(outcome).split(" (")[0]
            shown += " days" if outcome in DELAY_OUTCOMES else ""
            fig.add_trace(
                _history_marker(
                    hist["value"],
                    top * 1.05,
                    hist["label"],
                    pct,
                    unit,
                    f"historical {track} {outcome}",
                ).update(
                    textposition=_text_side(hist["value"], both),
                    legendgroup=f"historical-{track}-{outcome}",
                    name=f"historical: {esc(labels.track(track))}, {esc(what)}",
                    text=[
                        "",
                        f"historical {shown}<br>{esc(labels.track(track))}: "
                        f"{esc(what)}<br>percentile {pct:.0f}",
                    ],
                ),
                row=r,
                col=c,
            )
        fig.update_xaxes(
            title_text=esc(OUTCOME_LABELS.get(outcome, outcome)).replace("(US$)", "(US$ bn)"),
            title_font=dict(size=11),
            row=r,
            col=c,
        )
        fig.update_yaxes(
            title_text="% of runs",
            title_font=dict(size=11),
            rangemode="tozero",
            range=[0, top * 1.35],
            row=r,
            col=c,
        )
    fig.update_layout(barmode="overlay", bargap=0.05)
    return style_figure(fig, title, 330 * rows + 120)


def _history_value(outcome: str, value: float) -> str:
    """A historical value in the project's format: dollars as US$, shares as percentages."""
    if outcome.endswith("_usd"):
        return labels.usd(value)
    if outcome in ("concession", "market_access", "share_of_demand_met"):
        return labels.percent(value)
    return labels.number(value)


def _history_list(study: Study) -> str:
    history = historical_delays(study.info)
    items = []
    for (track, outcome), h in history.items():
        values = column_values(study.runs, f"{track}.{outcome}")
        if not values.size:
            continue
        items.append(
            f"<li>{esc(labels.track(track))} {esc(OUTCOME_LABELS.get(outcome, outcome))}: historical "
            f"{_history_value(outcome, h['value'])}, percentile {percentile_of(values, h['value']):.0f} of "
            f"{values.size} simulated runs</li>"
        )
    return f"<ul>{''.join(items)}</ul>" if items else ""


def study_figures(directory: str | Path) -> tuple[list[tuple[str, go.Figure]], dict[str, Any]]:
    """The figures of a study or comparison directory, and what the page says around them."""
    directory = Path(directory)
    figures: list[tuple[str, go.Figure | None]] = []
    if is_comparison(directory):
        comparison = json.loads((directory / "comparison.json").read_text())
        base, alt = load_study(directory / "baseline"), load_study(directory / "variant")
        name = esc(base.info.title or base.info.name)
        variant = esc(comparison.get("variant"))
        n = f"{len(base.runs):,} paired runs"
        figures = [
            (
                "effects",
                comparison_effects(comparison, f"{name}: effect of the variant {variant} ({n})"),
            ),
            (
                "delays",
                study_distributions(
                    base, DELAY_OUTCOMES, f"Delays: baseline against {variant} ({n})", alt
                ),
            ),
            (
                "milestones",
                study_cumulative(
                    base, f"Milestones over time: baseline (solid) against {variant} (dashed)", alt
                ),
            ),
            (
                "ratification",
                study_distributions(
                    base,
                    ("failed_votes", "side_payments_usd", "concession"),
                    f"Failed votes, side payments, concessions: baseline against {variant}",
                    alt,
                ),
            ),
        ]
        context = {
            "heading": f"{name}: baseline against {variant}",
            "info": base.info,
            "subtitle": f"Comparison of {esc(base.info.name)}, {n}, seed {esc(comparison.get('seed'))}",
            "after": "<h2>Effects</h2>" + comparison_table(comparison),
        }
    else:
        study = load_study(directory)
        name = esc(study.info.title or study.info.name)
        variant = study.spec.get("variant")
        tag = f" [variant: {esc(variant)}]" if variant else ""
        n = f"{len(study.runs):,} runs"
        disputes = (
            "deadlines_missed",
            "sanctions_imposed",
            "market_access",
            "value_claiming_share",
        )
        figures = [
            ("delays", study_distributions(study, DELAY_OUTCOMES, f"{name}{tag}: delays ({n})")),
            (
                "milestones",
                study_cumulative(study, f"{name}{tag}: milestones over calendar time ({n})"),
            ),
            (
                "ratification",
                study_distributions(
                    study,
                    ("failed_votes", "side_payments_usd", "concession"),
                    f"{name}{tag}: failed votes, side payments, concessions ({n})",
                ),
            ),
            (
                "dispute",
                study_distributions(
                    study, disputes, f"{name}{tag}: deadlines, sanctions, market access"
                ),
            ),
        ]
        context = {
            "heading": f"{name}{tag}",
            "info": study.info,
            "subtitle": f"Monte Carlo study of {esc(study.info.name)}, {n}, seed {esc(study.spec.get('seed'))}",
            "after": "<h2>Where history falls</h2>" + _history_list(study),
        }
    return [(k, f) for k, f in figures if f is not None], context


def study_html(
    directory: str | Path, plotlyjs: str = "inline"
) -> tuple[str, list[tuple[str, go.Figure]]]:
    """The study (or comparison) dashboard of a saved directory, and its figures."""
    figures, context = study_figures(directory)
    return page(
        context["heading"],
        context["subtitle"],
        figures,
        before=case_header(context["info"]),
        after=context["after"],
        plotlyjs=plotlyjs,
    ), figures
