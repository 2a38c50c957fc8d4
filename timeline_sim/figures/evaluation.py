"""The calibration (PIT) plot and forecast-against-record plot of a cross-validation.

Takes the scores table of :func:`timeline_sim.studies.evaluate.cross_validate`
(one row per held-out agreement, delay and predictor) as a DataFrame.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from timeline_sim.figures.common import esc, page, style_figure

#: Okabe-Ito colours of the three predictors.
COLOURS = {"model": "#0072B2", "training median": "#E69F00", "Weibull AFT": "#009E73"}
NAMES = {
    "launch_to_conclusion": "launch to conclusion",
    "signature_to_force": "signature to entry into force",
}


def pit_figure(scores: pd.DataFrame) -> go.Figure:
    """Histograms of the PIT values by predictor: flat if the forecasts are calibrated."""
    fig = go.Figure()
    for predictor, part in scores.groupby("predictor", sort=False):
        fig.add_trace(
            go.Histogram(
                x=part["pit"],
                xbins={"start": 0.0, "end": 1.0001, "size": 0.1},
                histnorm="probability density",
                name=predictor,
                marker_color=COLOURS.get(predictor),
                opacity=0.6,
            )
        )
    fig.add_hline(y=1.0, line_dash="dot", annotation_text="calibrated", line_color="#555")
    fig.update_layout(
        barmode="overlay",
        xaxis_title="PIT: predictive probability below the record",
        yaxis_title="density",
    )
    return style_figure(fig, "Calibration of the held-out forecasts (PIT)", 420)


def forecast_figure(scores: pd.DataFrame) -> go.Figure:
    """Each held-out delay: the record against the predictive median and 80% interval."""
    fig = go.Figure()
    for predictor, part in scores.groupby("predictor", sort=False):
        label = part["case"] + "/" + part["track"] + ": " + part["quantity"].map(NAMES)
        fig.add_trace(
            go.Scatter(
                x=part["observed"],
                y=part["median"],
                mode="markers",
                name=predictor,
                marker={"color": COLOURS.get(predictor), "size": 8},
                error_y={
                    "type": "data",
                    "symmetric": False,
                    "array": (part["p90"] - part["median"]).to_numpy(),
                    "arrayminus": (part["median"] - part["p10"]).to_numpy(),
                    "thickness": 1,
                },
                text=label,
                hovertemplate="%{text}<br>record %{x:.0f} days<br>median %{y:.0f} days<extra>"
                + esc(predictor)
                + "</extra>",
            )
        )
    top = float(np.nanmax(scores[["observed", "p90"]].to_numpy())) * 1.2
    fig.add_trace(
        go.Scatter(
            x=[10, top],
            y=[10, top],
            mode="lines",
            name="forecast = record",
            line={"dash": "dot", "color": "#555"},
        )
    )
    fig.update_xaxes(type="log", title="recorded delay (days)")
    fig.update_yaxes(type="log", title="forecast median, 80% interval (days)")
    return style_figure(fig, "Held-out forecasts against the record", 520)


def evaluation_page(scores: pd.DataFrame, summary_html: str, subtitle: str) -> str:
    """A self-contained page: the summary table, the PIT plot and the forecasts."""
    return page(
        "Out-of-sample evaluation",
        esc(subtitle),
        [("pit", pit_figure(scores)), ("forecasts", forecast_figure(scores))],
        before=summary_html,
    )
