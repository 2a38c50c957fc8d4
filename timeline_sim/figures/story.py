"""The sequencing story: Japan's and Korea's first FTAs side by side, and Korea's
``singapore_first`` counterfactual, from saved replays and a saved comparison
(built by ``timeline-sim dashboard story``)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from timeline_sim.figures.common import HISTORY_COLOUR, esc, page, style_figure, to_day
from timeline_sim.figures.common import OKABE_ITO as _C
from timeline_sim.figures.replay import load_replay
from timeline_sim.figures.study import (
    comparison_effects,
    comparison_table,
    load_study,
    study_distributions,
)
from timeline_sim.output import labels as plain


def sequencing_story_html(
    japan: str | Path,
    korea: str | Path,
    korea_variant: str | Path,
    comparison: str | Path,
    plotlyjs: str = "inline",
) -> tuple[str, list[tuple[str, go.Figure]]]:
    """Japan's and Korea's histories side by side, and Korea's ``singapore_first`` counterfactual.

    ``japan``, ``korea`` and ``korea_variant`` are replay directories (the last of
    the ``singapore_first`` variant); ``comparison`` a comparison directory
    (``timeline-sim compare korea_ftas --variant singapore_first --out DIR``).
    """
    replays = {
        "Japan": load_replay(japan),
        "Korea": load_replay(korea),
        "Korea, Singapore first": load_replay(korea_variant),
    }
    names = list(replays)
    rows = [
        ("Business pressure ('get into the FTA game')", "level (model units)"),
        (
            "Concessions: the home offer and its resistance point on the hard track",
            "concession share",
        ),
        ("Farm mobilisation and protests", "mobilisation"),
        ("Ratification votes and side payments", "cumulative side payments (US$ millions)"),
    ]
    titles = [f"<b>{esc(n)}</b>" if i == 0 else "" for i, _r in enumerate(rows) for n in names]
    fig = make_subplots(
        rows=len(rows),
        cols=len(names),
        shared_xaxes=False,
        subplot_titles=titles,
        vertical_spacing=0.07,
        horizontal_spacing=0.05,
        specs=[[{"secondary_y": False}] * 3] * 4,
    )
    hard = {"Japan": "mexico", "Korea": "chile", "Korea, Singapore first": "chile"}
    for c, name in enumerate(names, start=1):
        rp = replays[name]
        ev, st = rp.events, rp.states
        show = c == 1
        bp = st[st["series"] == "business_pressure"]
        fig.add_trace(
            go.Scatter(
                x=bp["date"],
                y=bp["value"],
                mode="lines",
                name="business pressure",
                legendgroup="bp",
                showlegend=show,
                line=dict(color=_C["black"], width=2),
                hovertemplate="%{x|%Y-%m-%d}: %{y:.2f}<extra>business pressure</extra>",
            ),
            row=1,
            col=c,
        )
        for k, track in enumerate(dict.fromkeys(ev.loc[ev["event"] == "concluded", "track"])):
            when = ev[(ev["event"] == "concluded") & (ev["track"] == track)]["date"].iloc[0]
            before_ = bp[bp["date"] <= when]["value"]
            fig.add_trace(
                go.Scatter(
                    x=[when],
                    y=[float(before_.max()) if len(before_) else 0.0],
                    mode="markers+text",
                    text=[f"{esc(plain.track(track))} concluded"],
                    textposition="top right",
                    marker=dict(symbol="star", size=13, color=_C["blue"]),
                    name="FTA concluded",
                    legendgroup="concluded",
                    showlegend=show and k == 0,
                    hovertemplate=f"{esc(plain.track(track))} concluded %{{x|%Y-%m-%d}}<extra></extra>",
                ),
                row=1,
                col=c,
            )
        track = hard[name]
        for series, colour, label in (
            ("home_resistance", _C["blue"], "resistance point"),
            ("home_offer", _C["sky_blue"], "home offer"),
            ("partner_demand", _C["reddish_purple"], "partner demand"),
        ):
            part = st[(st["series"] == series) & (st["track"] == track)]
            fig.add_trace(
                go.Scatter(
                    x=part["date"],
                    y=part["value"],
                    mode="lines+markers",
                    name=f"{label} (hard track)",
                    legendgroup=series,
                    showlegend=show,
                    line=dict(color=colour, width=2),
                    marker=dict(size=4),
                    hovertemplate=f"{esc(plain.track(track))} {label}<br>%{{x|%Y-%m-%d}}: %{{y:.3f}}<extra></extra>",
                ),
                row=2,
                col=c,
            )
        mob = st[(st["series"] == "farm_mobilisation") & (st["track"] == track)]
        fig.add_trace(
            go.Scatter(
                x=mob["date"],
                y=mob["value"],
                mode="lines",
                name="farm mobilisation",
                legendgroup="mob",
                showlegend=show,
                line=dict(color=_C["vermillion"], width=2),
                hovertemplate="%{x|%Y-%m-%d}: %{y:.2f}<extra>farm mobilisation</extra>",
            ),
            row=3,
            col=c,
        )
        protests = ev[(ev["event"] == "protest") & (ev["track"] == track)]
        if len(protests):
            crowd = protests["value"].astype(float)
            fig.add_trace(
                go.Scatter(
                    x=protests["date"],
                    y=[0] * len(protests),
                    mode="markers",
                    name="protest (size = crowd)",
                    legendgroup="protest",
                    showlegend=show,
                    marker=dict(
                        size=6 + 20 * np.sqrt(crowd / max(crowd.max(), 1.0)),
                        color=_C["vermillion"],
                        opacity=0.5,
                        symbol="circle",
                    ),
                    hovertext=[
                        f"protest {d.date()}: {v:,.0f} people"
                        for d, v in zip(protests["date"], crowd, strict=True)
                    ],
                    hoverinfo="text",
                ),
                row=3,
                col=c,
            )
        pays = ev[(ev["event"] == "side_payment_offered") & (ev["track"] == track)]
        fig.add_trace(
            go.Scatter(
                x=pays["date"],
                y=pays["value"].astype(float) / 1e6,
                mode="lines+markers",
                name="side-payment offer (US$ millions)",
                legendgroup="pay",
                showlegend=show,
                line=dict(color=_C["reddish_purple"], shape="hv", width=2),
                marker=dict(symbol="diamond", size=9),
                hovertemplate="%{x|%Y-%m-%d}: US$ %{y:,.0f} million<extra>side payment</extra>",
            ),
            row=4,
            col=c,
        )
        for kind, symbol, colour, label in (
            ("vote_failed", "x", _C["vermillion"], "vote failed"),
            ("vote_blocked", "square", _C["orange"], "vote blocked"),
            ("vote_passed", "triangle-up", _C["bluish_green"], "vote passed"),
        ):
            votes = ev[(ev["event"] == kind) & (ev["track"] == track)]
            fig.add_trace(
                go.Scatter(
                    x=votes["date"],
                    y=[0] * len(votes),
                    mode="markers",
                    name=label,
                    legendgroup=kind,
                    showlegend=show,
                    marker=dict(
                        symbol=symbol, size=13, color=colour, line=dict(width=2, color=colour)
                    ),
                    hovertemplate=f"{label} %{{x|%Y-%m-%d}}<extra></extra>",
                ),
                row=4,
                col=c,
            )
        hist = rp.targets[rp.targets["track"] == track] if len(rp.targets) else rp.targets
        if len(hist) and name != "Korea, Singapore first":
            fails = hist[hist["milestone"].isin(["vote_failed", "ratified"])]
            if len(fails):
                fig.add_trace(
                    go.Scatter(
                        x=[to_day(h) for h in fails["historical"]],
                        y=[0] * len(fails),
                        mode="markers",
                        name="historical vote or ratification",
                        legendgroup="hist",
                        showlegend=show,
                        meta="historical",
                        marker=dict(
                            symbol="diamond-tall-open",
                            size=16,
                            color=HISTORY_COLOUR,
                            line=dict(width=2),
                        ),
                        hovertext=[
                            f"historical {esc(m)}: {esc(d)}"
                            for m, d in zip(fails["milestone"], fails["historical"], strict=True)
                        ],
                        hoverinfo="text",
                    ),
                    row=4,
                    col=c,
                )
        for r_ in range(1, 5):
            fig.update_xaxes(type="date", tickformat="%Y", dtick="M12", row=r_, col=c)
        for r_, (what, ylab) in enumerate(rows, start=1):
            if c == 1:
                fig.update_yaxes(
                    title_text=f"{esc(what)}<br>{esc(ylab)}",
                    title_font=dict(size=10),
                    row=r_,
                    col=c,
                )
            else:  # the same scale across the three columns of a row
                fig.update_yaxes(
                    matches=f"y{(r_ - 1) * len(names) + 1 if r_ > 1 else ''}", row=r_, col=c
                )
    fig = style_figure(
        fig,
        "Sequencing: Japan concluded the easy FTA first, Korea the hard one "
        "(and Korea had it gone Singapore first)",
        1350,
    )
    cmp_dir = Path(comparison)
    figures: list[tuple[str, go.Figure]] = [("side-by-side", fig)]
    comp = json.loads((cmp_dir / "comparison.json").read_text())
    base, alt = load_study(cmp_dir / "baseline"), load_study(cmp_dir / "variant")
    n = f"{len(base.runs):,} paired runs"
    for key, f in (
        (
            "effects",
            comparison_effects(comp, f"Korea, singapore_first against history: effects ({n})"),
        ),
        (
            "delays",
            study_distributions(
                base,
                ("talks_days", "ratification_delay_days"),
                f"Korea-Chile delays: as it happened (baseline) against Singapore first ({n})",
                alt,
            ),
        ),
        (
            "ratification",
            study_distributions(
                base,
                ("concession", "failed_votes", "side_payments_usd"),
                f"Korea-Chile concessions, failed votes and side payments ({n})",
                alt,
            ),
        ),
    ):
        if f is not None:
            figures.append((key, f))
    intro = (
        "<p>Paper 000 argues that the order of partners matters: Japan concluded the easy Singapore FTA "
        "first, which relieved business pressure, so it could hold firm on pork with Mexico and ratify "
        "quickly; Korea began with the hard Chile FTA with no FTA in hand, conceded on grapes under growing "
        "pressure, and faced a year-long ratification fight of protests, blocked votes and side payments. "
        "The top figure shows one seeded replay of each (and of Korea's <code>singapore_first</code> "
        "counterfactual) on the same scales; the figures below compare many paired runs of Korea as it "
        "happened and with Singapore first.</p>"
    )
    after = "<h2>Effects of Singapore first on Korea (paired runs)</h2>" + comparison_table(comp)
    return page(
        "The sequencing story: Japan's and Korea's first FTAs",
        "From saved replays and a saved comparison; rebuilt by timeline-sim dashboard story",
        figures,
        before=intro,
        after=after,
        plotlyjs=plotlyjs,
    ), figures
