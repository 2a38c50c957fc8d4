"""The sweep dashboard: outcome distributions along the grid of one parameter or case field.

Reads a ``timeline-sim sweep --out DIR`` directory: ``sweep.json`` and one saved
study per grid value. One panel per track and outcome, a box of the runs at each
grid value (median, quartiles, 5-95% whiskers as points beyond), with the
historical value where the record gives one.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from timeline_sim.figures.common import case_header, esc, page, style_figure
from timeline_sim.figures.study_data import historical_delays, load_study
from timeline_sim.output import labels

#: Outcomes shown, when the runs have them.
OUTCOMES = (
    "talks_days",
    "ratification_delay_days",
    "entry_into_force_delay_days",
    "failed_votes",
    "concession",
    "side_payments_usd",
    "market_access",
    "days_to_agreement",
)
BLUE = "#0072B2"


def _varies(points, column: str) -> bool:
    """Whether a column takes more than one value over every grid point's runs (else: no panel)."""
    values = np.concatenate([study.runs[column].astype(float).to_numpy() for _, study in points])
    values = values[np.isfinite(values)]
    return len(values) > 0 and np.ptp(values) > 0


def is_sweep(directory: str | Path) -> bool:
    return (Path(directory) / "sweep.json").is_file()


def sweep_figures(directory: str | Path) -> tuple[list[tuple[str, go.Figure]], dict[str, Any]]:
    """The sweep's figure and what its page needs."""
    directory = Path(directory)
    record = json.loads((directory / "sweep.json").read_text(encoding="utf-8"))
    points = [(p["value"], load_study(directory / p["directory"])) for p in record["points"]]
    first = points[0][1]
    history = historical_delays(first.info)
    panels = [
        (track, outcome)
        for track in first.tracks
        for outcome in OUTCOMES
        if f"{track}.{outcome}" in first.runs.columns and _varies(points, f"{track}.{outcome}")
    ]
    if not panels:
        raise FileNotFoundError(f"{directory}: the sweep's runs hold no outcome to show")
    cols = 2 if len(panels) > 1 else 1
    rows = -(-len(panels) // cols)
    titles = [f"{labels.track(t)}: {labels.outcome(o)}" for t, o in panels]
    fig = make_subplots(rows=rows, cols=cols, subplot_titles=titles, vertical_spacing=0.5 / rows)
    param = record["param"]
    for i, (track, outcome) in enumerate(panels):
        row, col = i // cols + 1, i % cols + 1
        for value, study in points:
            y = study.runs[f"{track}.{outcome}"].astype(float).to_numpy()
            y = y[np.isfinite(y)]
            fig.add_trace(
                go.Box(
                    y=y,
                    name=f"{value:g}",
                    marker_color=BLUE,
                    boxpoints="suspectedoutliers",
                    showlegend=False,
                    hovertemplate=f"{esc(param)} = {value:g}<br>%{{y}}<extra></extra>",
                ),
                row=row,
                col=col,
            )
        recorded = history.get((track, outcome))
        if recorded and recorded.get("value") is not None:
            fig.add_hline(
                y=float(recorded["value"]),
                line_dash="dot",
                line_color="#000",
                annotation_text="history",
                annotation_position="top left",
                row=row,
                col=col,
            )
        fig.update_xaxes(title_text=param, row=row, col=col)
    title = f"Outcomes along {param} ({record['runs']} runs per value, seed {record['seed']})"
    style_figure(fig, title, 300 * rows + 120)
    context = {
        "heading": esc(f"Sweep of {param}: {first.info.title}"),
        "subtitle": esc(
            f"{len(points)} grid values, {record['runs']} paired runs each"
            + (", parameters drawn from the posterior per run" if record.get("uncertain") else "")
        ),
        "info": first.info,
    }
    return [("sweep", fig)], context


def sweep_html(
    directory: str | Path, plotlyjs: str = "inline"
) -> tuple[str, list[tuple[str, go.Figure]]]:
    """The sweep dashboard of a saved sweep directory, and its figures."""
    figures, context = sweep_figures(directory)
    html = page(
        context["heading"],
        context["subtitle"],
        figures,
        before=case_header(context["info"]),
        plotlyjs=plotlyjs,
    )
    return html, figures
