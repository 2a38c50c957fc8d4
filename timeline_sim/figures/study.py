"""The study and comparison dashboards: distributions of outcomes against history,
milestones over calendar time, paired effects of a variant (see ``figures_common``)."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from timeline_sim.figures_common import (
    BASELINE_COLOUR,
    HISTORY_COLOUR,
    TRACK_COLOURS,
    VARIANT_COLOUR,
    CaseInfo,
    case_header,
    case_info,
    esc,
    format_number,
    page,
    style_figure,
    to_day,
    wrap_text,
)
from timeline_sim.figures_common import OKABE_ITO as _C

#: outcome columns of studies, with readable names and units
OUTCOME_LABELS = {
    "talks_days": "Talks: launch to conclusion (days)",
    "ratification_delay_days": "Ratification delay: signature to ratification (days)",
    "days_to_agreement": "Talks to agreement (days)",
    "days_before_deadline": "Agreement before the deadline (days)",
    "failed_votes": "Failed or blocked votes",
    "side_payments_usd": "Side payments to farmers (US$)",
    "concession": "Concession on the sensitive issue (share)",
    "terms_value": "Terms of the deal",
    "protests": "Farm protests",
    "breakdowns": "Breakdowns of talks",
    "deadlines_missed": "Deadlines missed",
    "sanctions_imposed": "Sanctions imposed",
    "market_access": "Market access (cosmetic deals score low)",
    "value_claiming_share": "Initiator's value-claiming share",
}
DELAY_OUTCOMES = (
    "talks_days",
    "ratification_delay_days",
    "days_to_agreement",
    "days_before_deadline",
)
COUNT_OUTCOMES = ("failed_votes", "deadlines_missed", "breakdowns")


def historical_delays(info: CaseInfo) -> dict[tuple[str, str], dict[str, Any]]:
    """Historical values of each track's delays, from the record's dates.

    ``ratification_delay_days`` = ratified - signed, ``talks_days`` = concluded -
    launch of talks (an input), ``days_to_agreement`` = agreement - launch.
    """
    firsts: dict[tuple[str, str], dict[str, Any]] = {}
    for t in info.targets:
        firsts.setdefault((t["track"], t["milestone"]), t)
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for track, data in info.tracks.items():

        def date(milestone: str, track: str = track) -> pd.Timestamp | None:
            t = firsts.get((track, milestone))
            return None if t is None else to_day(t["date"])

        start = to_day(data.get("talks_start"))
        pairs = {
            "ratification_delay_days": (
                date("signed"),
                date("ratified"),
                "signature to ratification",
            ),
            "talks_days": (start, date("concluded"), "launch of talks to conclusion"),
            "days_to_agreement": (start, date("agreement"), "launch of talks to agreement"),
        }
        for outcome, (a, b, what) in pairs.items():
            if a is not None and b is not None:
                out[(track, outcome)] = {
                    "value": float((b - a).days),
                    "label": f"historical {what}: {a.date()} to {b.date()}",
                }
    for t in info.outcome_targets:
        out[(t["track"], t["outcome"])] = {
            "value": float(t["value"]),
            "label": f"historical ({t['source']})",
        }
    return out


@dataclass
class Study:
    """A saved study directory, read back: spec, runs table, case record."""

    directory: Path
    spec: dict[str, Any]
    runs: pd.DataFrame
    info: CaseInfo
    summary: dict[str, Any] = field(default_factory=dict)

    @property
    def tracks(self) -> list[str]:
        return list(
            dict.fromkeys(
                c.split(".", 1)[0]
                for c in self.runs.columns
                if "." in c and not c.startswith("drawn.")
            )
        )


def load_study(directory: str | Path) -> Study:
    """Read a Monte Carlo study directory (study.json, runs/chunk-*.parquet, summary.json)."""
    directory = Path(directory)
    if not (directory / "study.json").is_file():
        raise FileNotFoundError(f"{directory}: not a study directory (no study.json)")
    record = json.loads((directory / "study.json").read_text())
    spec = record.get("spec", {})
    paths = sorted((directory / "runs").glob("chunk-*.parquet"))
    if not paths:
        raise FileNotFoundError(
            f"{directory}: the study has no finished runs (runs/chunk-*.parquet)"
        )
    runs = pd.concat([pd.read_parquet(p) for p in paths], ignore_index=True)
    runs = runs.sort_values("run_id", kind="stable").reset_index(drop=True)
    if "error" in runs.columns:
        runs = runs[runs["error"].fillna("") == ""].reset_index(drop=True)
    summary = {}
    if (directory / "summary.json").is_file():
        summary = json.loads((directory / "summary.json").read_text())
    info = case_info(spec.get("case", "?"), spec.get("variant"))
    # days from the launch of talks to agreement, for dispute tracks
    for track in list(
        dict.fromkeys(c.split(".", 1)[0] for c in runs.columns if c.endswith(".agreement"))
    ):
        a = pd.to_datetime(runs.get(f"{track}.talks_launched"), errors="coerce")
        b = pd.to_datetime(runs[f"{track}.agreement"], errors="coerce")
        runs[f"{track}.days_to_agreement"] = (b - a).dt.days.astype("float")
    return Study(directory, spec, runs, info, summary)


def percentile_of(values: np.ndarray, x: float) -> float:
    """Share of ``values`` below ``x`` (ties count half), in percent."""
    values = values[~np.isnan(values)]
    if not values.size:
        return math.nan
    return float(100.0 * (np.sum(values < x) + 0.5 * np.sum(values == x)) / values.size)


def _values(table: pd.DataFrame, column: str) -> np.ndarray:
    if column not in table.columns:
        return np.array([], dtype=float)
    values = pd.to_numeric(table[column], errors="coerce").to_numpy(dtype=float)
    return values[~np.isnan(values)]


def binned(
    values: np.ndarray, bins: int = 40, edges: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Histogram counts and edges computed in Python (a few dozen numbers per trace)."""
    if edges is None:
        lo, hi = (float(values.min()), float(values.max())) if values.size else (0.0, 1.0)
        if hi <= lo:
            lo, hi = lo - 0.5, hi + 0.5
        edges = np.linspace(lo, hi, bins + 1)
    counts, edges = np.histogram(values, bins=edges)
    return counts, edges


def _is_discrete(values: np.ndarray, limit: int = 30) -> bool:
    return (
        values.size > 0
        and np.allclose(values, np.round(values))
        and np.unique(values).size <= limit
    )


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
        showlegend=False,
        cliponaxis=False,
    )


def _panels(study: Study, outcomes: tuple[str, ...]) -> list[tuple[str, str]]:
    out = []
    for track in study.tracks:
        for outcome in outcomes:
            values = _values(study.runs, f"{track}.{outcome}")
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
        subplot_titles=[f"{esc(track)}: {esc(OUTCOME_LABELS.get(o, o))}" for track, o in panels],
        vertical_spacing=0.28 / rows + 0.06,
        horizontal_spacing=0.08,
    )
    for i, (track, outcome) in enumerate(panels):
        r, c = i // cols + 1, i % cols + 1
        column = f"{track}.{outcome}"
        base = _values(study.runs, column)
        alt = _values(other.runs, column) if other is not None else np.array([])
        both = np.concatenate([base, alt])
        unit = " days" if outcome in DELAY_OUTCOMES else ""
        discrete = (
            outcome in COUNT_OUTCOMES
            or _is_discrete(both, limit=25)
            and outcome not in DELAY_OUTCOMES
        )
        hist = history.get((track, outcome))
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
        if hist is not None and base.size:
            pct = percentile_of(base, hist["value"])
            fig.add_trace(
                _history_marker(
                    hist["value"],
                    top * 1.05,
                    hist["label"],
                    pct,
                    unit,
                    f"historical {track} {outcome}",
                ),
                row=r,
                col=c,
            )
        fig.update_xaxes(
            title_text=esc(OUTCOME_LABELS.get(outcome, outcome)),
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


def _milestone_columns(study: Study) -> list[tuple[str, str]]:
    out = []
    for column in study.runs.columns:
        if ".reached_" in column:
            track, rest = column.split(".reached_", 1)
            values = study.runs[column]
            dates = pd.to_datetime(study.runs.get(f"{track}.{rest}"), errors="coerce").dropna()
            if rest == "talks_launched" and dates.nunique() <= 1:
                continue  # an input: the same date in every run
            if values.sum() > 0 and rest not in ("ratified_lower",):
                out.append((track, rest))
    return out


def cumulative_curve(
    dates: pd.Series, runs: int, points: int = 300
) -> tuple[list[pd.Timestamp], list[float]]:
    """Share of all runs (in %) that reached a milestone by each date, thinned to ``points``."""
    clean = np.sort(pd.to_datetime(dates, errors="coerce").dropna().to_numpy())
    if not clean.size:
        return [], []
    shares = 100.0 * np.arange(1, clean.size + 1) / max(runs, 1)
    # the last run of each distinct date carries the share reached by that date
    last = np.r_[clean[1:] != clean[:-1], True]
    clean, shares = clean[last], shares[last]
    if clean.size > points:
        keep = np.unique(
            np.r_[np.linspace(0, clean.size - 1, points).round().astype(int), clean.size - 1]
        )
        clean, shares = clean[keep], shares[keep]
    first = pd.Timestamp(clean[0]) - pd.Timedelta(days=1)
    return [first] + [pd.Timestamp(d) for d in clean], [0.0] + [float(s) for s in shares]


def study_cumulative(study: Study, title: str, other: Study | None = None) -> go.Figure | None:
    """Probability over calendar time that each milestone has been reached, with history marked."""
    pairs = _milestone_columns(study)
    if not pairs:
        return None
    tracks = list(dict.fromkeys(t for t, _m in pairs))
    fig = make_subplots(
        rows=len(tracks),
        cols=1,
        shared_xaxes=False,
        subplot_titles=[
            f"{esc(t)}: share of runs that have reached each milestone" for t in tracks
        ],
        vertical_spacing=0.12 / max(len(tracks), 1) + 0.05,
    )
    history: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for t in study.info.targets:
        history.setdefault((t["track"], t["milestone"]), []).append(t)
    palette = TRACK_COLOURS
    for row, track in enumerate(tracks, start=1):
        milestones = [m for t, m in pairs if t == track]
        for k, milestone in enumerate(milestones):
            colour = palette[k % len(palette)]
            own = "solid" if k < len(palette) else "dot"
            sources = [(study, own, "")] + (
                [(other, "dash", " (variant)")] if other is not None else []
            )
            for source, dash, suffix in sources:
                column = f"{track}.{milestone}"
                if column not in source.runs.columns:
                    continue
                x, y = cumulative_curve(source.runs[column], len(source.runs))
                if not x:
                    continue
                name = f"{milestone.replace('_', ' ')}{suffix}"
                fig.add_trace(
                    go.Scatter(
                        x=x,
                        y=y,
                        mode="lines",
                        name=esc(name),
                        legendgroup=f"{track}-{milestone}{suffix}",
                        legendgrouptitle_text=esc(track) if k == 0 and not suffix else None,
                        line=dict(color=colour, dash=dash, width=2, shape="hv"),
                        hovertemplate=f"{esc(track)}: {esc(name)}<br>by %{{x|%Y-%m-%d}}: %{{y:.1f}}% of runs<extra></extra>",
                    ),
                    row=row,
                    col=1,
                )
            for target in history.get((track, milestone), [])[:1]:
                when = to_day(target["date"])
                if when is None:
                    continue
                dates = pd.to_datetime(study.runs[f"{track}.{milestone}"], errors="coerce")
                share = 100.0 * float((dates <= when).sum()) / max(len(study.runs), 1)
                fig.add_trace(
                    go.Scatter(
                        x=[when],
                        y=[share],
                        mode="markers",
                        name=f"historical {esc(milestone)}",
                        meta="historical",
                        showlegend=False,
                        marker=dict(
                            symbol="diamond-tall-open",
                            size=15,
                            color=HISTORY_COLOUR,
                            line=dict(width=2),
                        ),
                        hovertext=(
                            f"<b>historical {esc(milestone.replace('_', ' '))}: {esc(target['date'])}</b><br>"
                            f"{share:.1f}% of runs had reached it by then<br>source: {wrap_text(target['source'])}"
                        ),
                        hoverinfo="text",
                    ),
                    row=row,
                    col=1,
                )
        fig.update_yaxes(title_text="% of runs", range=[0, 105], row=row, col=1)
        fig.update_xaxes(type="date", tickformat="%b %Y", row=row, col=1)
    fig.update_xaxes(title_text="date", row=len(tracks), col=1)
    return style_figure(
        fig,
        title + "<br><sup>diamonds: the historical date and the share of runs that had "
        "reached the milestone by then</sup>",
        360 * len(tracks) + 140,
    )


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
        labels = [f"{esc(t)}: {esc(o.replace('_', ' '))}" for t, o, _r in items]
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
                f"<tr><td>{esc(track)}</td><td>{esc(outcome)}</td><td class='num'>{format_number(r['baseline_mean'])}</td>"
                f"<td class='num'>{format_number(r['variant_mean'])}</td><td class='num'>{format_number(r['effect'])}</td>"
                f"<td class='num'>[{format_number(r['ci_low'])}, {format_number(r['ci_high'])}]</td></tr>"
            )
    return (
        "<table class='targets'><thead><tr><th>track</th><th>outcome</th><th>baseline mean</th>"
        "<th>variant mean</th><th>effect</th><th>95% interval (paired)</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
    )


def _history_list(study: Study) -> str:
    history = historical_delays(study.info)
    items = []
    for (track, outcome), h in history.items():
        values = _values(study.runs, f"{track}.{outcome}")
        if not values.size:
            continue
        items.append(
            f"<li>{esc(track)} {esc(OUTCOME_LABELS.get(outcome, outcome))}: historical "
            f"{h['value']:,.4g}, percentile {percentile_of(values, h['value']):.0f} of "
            f"{values.size} simulated runs</li>"
        )
    return f"<ul>{''.join(items)}</ul>" if items else ""


def is_comparison(directory: str | Path) -> bool:
    d = Path(directory)
    return (
        (d / "comparison.json").is_file() and (d / "baseline").is_dir() and (d / "variant").is_dir()
    )


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


def study_html(directory: str | Path) -> tuple[str, list[tuple[str, go.Figure]]]:
    """The study (or comparison) dashboard of a saved directory, and its figures."""
    figures, context = study_figures(directory)
    return page(
        context["heading"],
        context["subtitle"],
        figures,
        before=case_header(context["info"]),
        after=context["after"],
    ), figures
