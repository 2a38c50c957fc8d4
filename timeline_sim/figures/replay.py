"""The replay dashboard: one saved replay as swimlanes, phases, events, history and
state curves on one date axis (see ``figures.common`` for the conventions)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from timeline_sim.figures.common import (
    DASHES,
    HISTORY_COLOUR,
    case_header,
    esc,
    page,
    style_figure,
    to_day,
    wrap_text,
)
from timeline_sim.figures.common import OKABE_ITO as _C
from timeline_sim.figures.replay_data import (  # noqa: F401  (load_replay is re-exported)
    EVENT_STYLE,
    OTHER_STYLE,
    PANEL_TITLES,
    PHASES,
    SERIES_STYLE,
    Replay,
    historical_phases,
    hover_event,
    lane_of,
    load_replay,
    replay_phases,
    span_of,
    start_date_of,
    targets_table,
    track_order,
)
from timeline_sim.output import labels as names


def replay_timeline(replay: Replay) -> go.Figure:
    """Swimlanes per track and actor, phases as bars, events as markers, history overlaid,
    deadlines and elections as vertical lines, the state curves beneath on the same dates."""
    events, states = replay.events, replay.states
    tracks = track_order(events, states)
    start = start_date_of(events)
    panels = [
        p
        for p in ("pressure", "positions", "values", "other")
        if any(SERIES_STYLE.get(s, ("other",))[0] == p for s in states.get("series", []))
    ]
    lanes: list[str] = []
    targets = replay.targets
    for track in tracks:
        if track != "domestic":
            lanes.append(lane_of(track, "phases"))
        if len(targets) and track in set(targets["track"]):
            lanes.append(lane_of(track, "history"))
        for actor in dict.fromkeys(events.loc[events["track"] == track, "actor"]):
            lanes.append(lane_of(track, actor))
    lane_height = 30
    timeline_h = max(260, lane_height * len(lanes) + 80)
    panel_h = 230
    rows = 1 + len(panels)
    titles = ["Chronology: phases, events and the historical record"] + [
        PANEL_TITLES[p][0] for p in panels
    ]
    first, last = span_of(replay, start)
    fig = make_subplots(
        rows=rows,
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.09 if rows > 1 else 0.02,
        row_heights=[timeline_h] + [panel_h] * len(panels),
        subplot_titles=titles,
    )
    # phases
    phases = replay_phases(events, start)
    colours = {name: colour for name, colour, _s, _e in PHASES}
    for name in [p[0] for p in PHASES]:
        rows_ = [p for p in phases if p["phase"] == name]
        if not rows_:
            continue
        fig.add_trace(
            go.Bar(
                orientation="h",
                name=f"phase: {name}",
                legendgroup="phases",
                legendgrouptitle_text="Phases",
                y=[lane_of(p["track"], "phases") for p in rows_],
                base=[p["start"].isoformat() for p in rows_],
                x=[(p["end"] - p["start"]).total_seconds() * 1000 for p in rows_],
                marker=dict(color=colours[name], line=dict(color="#555555", width=0.5)),
                hovertext=[
                    f"<b>{esc(name)}</b><br>track: {esc(names.track(p['track']))}<br>{p['start'].date()} to {p['end'].date()}"
                    f"{' (still open when the run ended)' if p['open'] else ''}<br>"
                    f"{(p['end'] - p['start']).days} days"
                    for p in rows_
                ],
                hoverinfo="text",
                width=0.6,
                showlegend=True,
            ),
            row=1,
            col=1,
        )
    _historical_phase_bars(fig, replay, start, last)
    # events, one trace per group
    groups: dict[str, list[Any]] = {}
    for row in events.itertuples(index=False):
        groups.setdefault(EVENT_STYLE.get(row.event, OTHER_STYLE)[0], []).append(row)
    protest_max = (
        float(events.loc[events["event"] == "protest", "value"].max() or 1.0)
        if len(events)
        else 1.0
    )
    order = list(dict.fromkeys(s[0] for s in EVENT_STYLE.values())) + [OTHER_STYLE[0]]
    for group in order:
        rows_ = groups.get(group)
        if not rows_:
            continue
        symbols, sizes, colour_list = [], [], []
        for r in rows_:
            _g, symbol, colour, size = EVENT_STYLE.get(r.event, OTHER_STYLE)
            if r.event == "protest":
                v = 0.0 if pd.isna(r.value) else float(r.value)
                size = 5 + 17 * math.sqrt(max(v, 0.0) / max(protest_max, 1.0))
            symbols.append(symbol)
            sizes.append(size)
            colour_list.append(colour)
        fig.add_trace(
            go.Scatter(
                x=[r.date for r in rows_],
                y=[lane_of(r.track, r.actor) for r in rows_],
                mode="markers",
                name=group,
                legendgroup="events",
                legendgrouptitle_text="Events",
                marker=dict(
                    symbol=symbols,
                    size=sizes,
                    color=colour_list,
                    opacity=0.45 if group.startswith("farm protests") else 0.95,
                    line=dict(width=1.5, color=colour_list),
                ),
                hovertext=[hover_event(r) for r in rows_],
                hoverinfo="text",
            ),
            row=1,
            col=1,
        )
    # the historical record: a marker at the historical date, a line to the simulated date
    if len(targets):
        hx, hy, htext, labels = [], [], [], []
        lx, ly = [], []
        gap, labelled = (last - first) / 18, {}  # labels closer than ``gap`` would overlap
        for t in targets.itertuples(index=False):
            when = to_day(t.historical)
            if when is None:
                continue
            row_lane = lane_of(t.track, "history")
            error = None if pd.isna(t.error_days) else int(t.error_days)
            simulated = "" if not isinstance(t.simulated, str) else t.simulated
            hx.append(when)
            hy.append(row_lane)
            near = any(abs(when - d) < gap for d in labelled.get(row_lane, []))
            labels.append("" if error is None or near else f"{error:+d} d")
            if labels[-1]:
                labelled.setdefault(row_lane, []).append(when)
            htext.append(
                f"<b>historical: {esc(names.milestone(str(t.milestone)))}</b><br>"
                f"historical: {esc(t.historical)}<br>simulated: {esc(simulated) or 'not reached'}<br>"
                f"error: {'not reached' if error is None else f'{error:+d} days'}<br>source: {wrap_text(t.source)}"
            )
            if simulated:
                lx += [when, pd.Timestamp(simulated), None]
                ly += [row_lane, row_lane, None]
        if lx:
            fig.add_trace(
                go.Scatter(
                    x=lx,
                    y=ly,
                    mode="lines+markers",
                    name="simulated date (error span)",
                    legendgroup="history",
                    legendgrouptitle_text="History",
                    line=dict(color=_C["grey"], width=2, dash="dot"),
                    marker=dict(
                        symbol="circle-open", size=[0, 9, 0] * (len(lx) // 3), color=_C["black"]
                    ),
                    hoverinfo="skip",
                ),
                row=1,
                col=1,
            )
        fig.add_trace(
            go.Scatter(
                x=hx,
                y=hy,
                mode="markers+text",
                name="historical date (target)",
                legendgroup="history",
                legendgrouptitle_text="History",
                marker=dict(
                    symbol="diamond-tall-open", size=14, color=HISTORY_COLOUR, line=dict(width=2)
                ),
                text=labels,
                textposition="top center",
                textfont=dict(size=10),
                hovertext=htext,
                hoverinfo="text",
                meta="historical-targets",
            ),
            row=1,
            col=1,
        )
    fig.update_yaxes(
        categoryorder="array",
        categoryarray=list(reversed(lanes)),
        row=1,
        col=1,
        tickfont=dict(size=11),
        automargin=True,
    )
    # state curves
    for i, panel in enumerate(panels, start=2):
        for series, (p, label, colour) in list(SERIES_STYLE.items()) + [
            (s, ("other", s, _C["grey"]))
            for s in states["series"].unique()
            if s not in SERIES_STYLE
        ]:
            if p != panel:
                continue
            for k, track in enumerate(tracks):
                part = states[(states["series"] == series) & (states["track"] == track)]
                if not len(part):
                    continue
                name = label if track == "domestic" else f"{label}: {names.track(track)}"
                fig.add_trace(
                    go.Scatter(
                        x=part["date"],
                        y=part["value"],
                        mode="lines+markers",
                        name=esc(name),
                        legendgroup=f"state-{panel}",
                        legendgrouptitle_text=PANEL_TITLES[panel][0],
                        line=dict(
                            color=colour, dash=DASHES[k % len(DASHES)], width=2, shape="linear"
                        ),
                        marker=dict(size=4, color=colour),
                        hovertemplate=f"{esc(name)}<br>%{{x|%Y-%m-%d}}: %{{y:.3g}}<extra></extra>",
                    ),
                    row=i,
                    col=1,
                )
        fig.update_yaxes(title_text=PANEL_TITLES[panel][1], title_font=dict(size=11), row=i, col=1)
        if panel == "values":
            fig.add_hline(y=0, line=dict(color=_C["grey"], width=1), row=i, col=1)
    # deadlines, summits and elections: vertical lines through every panel
    lines = (
        events[events["event"].isin(["deadline", "summit", "election"])] if len(events) else events
    )
    lines = lines.sort_values("date", kind="stable") if len(lines) else lines
    texts, near = [], (last - first) / 80  # lines closer than ``near`` share one label
    for r in lines.itertuples(index=False):
        if texts and r.date - texts[-1][0] < near:
            shared = next(k for _d, k in reversed(texts) if k is not None)
            if r.event not in shared:
                shared.append(r.event)
            texts.append((texts[-1][0], None))
        else:
            texts.append((r.date, [r.event]))
    for r, (_when, kinds) in zip(lines.itertuples(index=False), texts, strict=True):
        dash = "dot" if r.event == "election" else "dash"
        colour = _C["reddish_purple"] if r.event == "election" else _C["grey"]
        fig.add_shape(
            type="line",
            xref="x",
            yref="paper",
            x0=r.date,
            x1=r.date,
            y0=0,
            y1=1,
            line=dict(color=colour, width=1, dash=dash),
            layer="below",
            label=dict(
                text=", ".join(kinds) if kinds else "",
                textposition="end",
                textangle=-90,
                xanchor="right",
                yanchor="bottom",
                font=dict(size=9, color=colour),
            ),
            name=f"{r.event}-line",
        )
    fig.update_xaxes(
        type="date",
        showgrid=True,
        tickformat="%b %Y",
        hoverformat="%Y-%m-%d",
        range=[first, last],
        showticklabels=True,
    )
    fig.update_xaxes(
        title_text="date",
        rangeslider=dict(visible=True, thickness=0.05, range=[first, last]),
        row=rows,
        col=1,
    )
    fig.update_layout(barmode="overlay", hovermode="closest")
    label = f"{esc(replay.info.title or replay.info.name)}"
    variant = replay.metadata.get("variant")
    title = (
        f"{label}{' [variant: ' + esc(variant) + ']' if variant else ''}"
        f"<br><sup>seed {replay.metadata.get('seed', '?')}, run {replay.metadata.get('run', 0)}; "
        f"dashed lines: summits and deadlines, dotted: elections</sup>"
    )
    return style_figure(fig, title, timeline_h + panel_h * len(panels) + 160)


def _historical_phase_bars(
    fig: go.Figure, replay: Replay, start: pd.Timestamp | None, end: pd.Timestamp
) -> None:
    """The historical record's phases, hatched, in each track's history lane."""
    spans = historical_phases(replay, start, end)
    if not spans:
        return
    colours = {name: colour for name, colour, _s, _e in PHASES}
    fig.add_trace(
        go.Bar(
            orientation="h",
            name="historical phases (hatched)",
            legendgroup="history",
            legendgrouptitle_text="History",
            y=[lane_of(p["track"], "history") for p in spans],
            base=[p["start"].isoformat() for p in spans],
            x=[(p["end"] - p["start"]).total_seconds() * 1000 for p in spans],
            marker=dict(
                color=[colours[p["phase"]] for p in spans],
                line=dict(color="#555555", width=0.5),
                pattern=dict(shape="/", fgcolor="#777777", size=6, solidity=0.2),
            ),
            hovertext=[
                f"<b>historical {esc(p['phase'])}</b><br>track: {esc(names.track(p['track']))}<br>"
                f"{p['start'].date()} to {p['end'].date()}"
                f"{' (no end in the record)' if p['open'] else ''}"
                for p in spans
            ],
            hoverinfo="text",
            width=0.6,
            meta="historical-phases",
        ),
        row=1,
        col=1,
    )


def replay_figures(replay: Replay) -> list[tuple[str, go.Figure]]:
    """The figures of a replay dashboard, by name."""
    return [("timeline", replay_timeline(replay))]


def replay_html(
    directory: str | Path, plotlyjs: str = "inline"
) -> tuple[str, list[tuple[str, go.Figure]]]:
    """The replay dashboard of a saved replay directory, and its figures."""
    replay = load_replay(directory)
    figures = replay_figures(replay)
    heading = esc(replay.info.title or replay.info.name)
    body = [
        case_header(replay.info),
        "<h2>Simulated against historical milestones</h2>",
        targets_table(replay.targets),
    ]
    subtitle = f"Replay of {esc(replay.info.name)}, seed {esc(replay.metadata.get('seed'))}"
    return page(
        heading,
        subtitle,
        figures,
        before="".join(body[:1]),
        after="".join(body[1:]),
        plotlyjs=plotlyjs,
    ), figures
