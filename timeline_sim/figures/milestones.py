"""Milestones over calendar time: the share of runs that have reached each, against history."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from timeline_sim.figures.common import (
    HISTORY_COLOUR,
    TRACK_COLOURS,
    esc,
    style_figure,
    to_day,
    wrap_text,
)
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
            f"{esc(labels.track(t))}: share of runs that have reached each milestone"
            for t in tracks
        ],
        vertical_spacing=0.12 / max(len(tracks), 1) + 0.05,
    )
    history: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for t in study.info.targets:
        history.setdefault((t["track"], t["milestone"]), []).append(t)
    palette = TRACK_COLOURS
    # one colour per milestone, the same in every track's panel
    colours = {
        m: palette[k % len(palette)] for k, m in enumerate(dict.fromkeys(m for _t, m in pairs))
    }
    dashes = {m: "solid" if k < len(palette) else "dot" for k, m in enumerate(colours)}
    for row, track in enumerate(tracks, start=1):
        milestones = [m for t, m in pairs if t == track]
        for k, milestone in enumerate(milestones):
            colour, own = colours[milestone], dashes[milestone]
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
                name = f"{labels.milestone(milestone)}{suffix}"
                fig.add_trace(
                    go.Scatter(
                        x=x,
                        y=y,
                        mode="lines",
                        name=esc(name),
                        legendgroup=f"{track}-{milestone}{suffix}",
                        legendgrouptitle_text=esc(labels.track(track))
                        if k == 0 and not suffix
                        else None,
                        line=dict(color=colour, dash=dash, width=2, shape="hv"),
                        hovertemplate=f"{esc(labels.track(track))}: {esc(name)}<br>by %{{x|%Y-%m-%d}}: %{{y:.1f}}% of runs<extra></extra>",
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
                        name=f"historical: {esc(labels.milestone(milestone))}",
                        meta="historical",
                        legendgroup=f"{track}-{milestone}",
                        marker=dict(
                            symbol="diamond-tall-open",
                            size=15,
                            color=colour,
                            line=dict(width=2, color=HISTORY_COLOUR),
                        ),
                        hovertext=(
                            f"<b>historical {esc(labels.milestone(milestone))}: {esc(target['date'])}</b><br>"
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
