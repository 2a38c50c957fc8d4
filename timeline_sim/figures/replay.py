"""The replay dashboard: one saved replay as swimlanes, phases, events, history and
state curves on one date axis (see ``figures_common`` for the conventions)."""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from timeline_sim.figures_common import (
    DASHES,
    HISTORY_COLOUR,
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

#: event kind -> (legend group, marker symbol, colour, base size)
EVENT_STYLE: dict[str, tuple[str, str, str, int]] = {
    "talks_launched": ("milestones", "triangle-right", _C["blue"], 12),
    "concluded": ("milestones", "star", _C["blue"], 14),
    "signed": ("milestones", "star-square", _C["blue"], 13),
    "submitted": ("milestones", "triangle-right-open", _C["blue"], 10),
    "committee_passed": ("milestones", "square-open", _C["blue"], 10),
    "ratified": ("milestones", "star", _C["bluish_green"], 16),
    "agreement": ("milestones", "star", _C["bluish_green"], 16),
    "talks_resumed": ("milestones", "triangle-right-open", _C["grey"], 10),
    "round": ("negotiating rounds", "line-ns-open", _C["grey"], 10),
    "offer": ("offers", "circle", _C["sky_blue"], 5),
    "stall": ("stalls and breakdowns", "hourglass", _C["orange"], 10),
    "breakdown": ("stalls and breakdowns", "x-thin-open", _C["vermillion"], 14),
    "committee_stalled": ("stalls and breakdowns", "square-x-open", _C["orange"], 10),
    "protest": ("farm protests (size = crowd)", "circle", _C["vermillion"], 0),
    "mobilisation": ("farm mobilisation jumps", "arrow-up", _C["vermillion"], 9),
    "vote_scheduled": ("votes scheduled", "line-ns-open", _C["black"], 9),
    "vote_passed": ("votes passed", "triangle-up", _C["bluish_green"], 13),
    "vote_failed": ("votes failed", "x", _C["vermillion"], 13),
    "vote_blocked": ("votes blocked", "square", _C["orange"], 12),
    "side_payment_offered": ("side payments offered", "diamond", _C["reddish_purple"], 11),
    "lobbying_act": ("business lobbying", "triangle-up-open", _C["blue"], 9),
    "pressure_relieved": ("business pressure relieved", "triangle-down", _C["blue"], 10),
    "strategy_chosen": ("strategy chosen", "circle-open-dot", _C["black"], 11),
    "off_record_talks": ("value creating", "circle", _C["sky_blue"], 10),
    "accommodation": ("value creating", "circle", _C["sky_blue"], 10),
    "public_demand": (
        "value claiming: demands, statements",
        "diamond-open",
        _C["reddish_purple"],
        10,
    ),
    "harsh_statement": (
        "value claiming: demands, statements",
        "diamond-open",
        _C["reddish_purple"],
        10,
    ),
    "deadline_set": ("threats: 301, WTO, sanctions", "diamond", _C["vermillion"], 12),
    "section_301": ("threats: 301, WTO, sanctions", "diamond", _C["vermillion"], 13),
    "wto_referral": ("threats: 301, WTO, sanctions", "diamond", _C["vermillion"], 13),
    "sanctions_list": ("threats: 301, WTO, sanctions", "diamond-wide", _C["vermillion"], 16),
    "wto_complaint": ("threats: 301, WTO, sanctions", "diamond", _C["vermillion"], 13),
    "counter_sanctions": ("threats: 301, WTO, sanctions", "diamond-wide", _C["vermillion"], 16),
    "sanctions_imposed": ("threats: 301, WTO, sanctions", "x-thin-open", _C["black"], 16),
    "deadline_missed": ("deadlines missed or extended", "hourglass", _C["vermillion"], 12),
    "deadline_extended": ("deadlines missed or extended", "hourglass", _C["orange"], 12),
    "shock": ("shocks (inputs)", "star-triangle-up", _C["black"], 13),
    "summit": ("summits, deadlines, elections (inputs)", "line-ns", _C["black"], 14),
    "deadline": ("summits, deadlines, elections (inputs)", "line-ns", _C["black"], 14),
    "election": ("summits, deadlines, elections (inputs)", "line-ns", _C["black"], 14),
    "session_opens": ("legislative sessions (inputs)", "triangle-right-open", _C["grey"], 8),
    "session_closes": ("legislative sessions (inputs)", "triangle-left-open", _C["grey"], 8),
}
OTHER_STYLE = ("other events", "circle-open", _C["grey"], 8)

#: phases: (name, colour, start events, end events); a phase with no end runs to the end of the log
PHASES: list[tuple[str, str, tuple[str, ...], tuple[str, ...]]] = [
    ("joint study", "#E8E8E8", ("__start__",), ("talks_launched",)),
    ("talks", "#BFDDF2", ("talks_launched",), ("concluded", "agreement")),
    ("talks suspended", "#F6C9A6", ("breakdown",), ("talks_resumed", "concluded")),
    ("legal scrubbing, signature", "#CDE7DD", ("concluded",), ("signed",)),
    ("ratification", "#F2E6A6", ("signed",), ("ratified",)),
    ("Section 301 clock", "#EBC9DD", ("section_301",), ("agreement", "sanctions_imposed")),
    ("sanctions list pending", "#F3B8A0", ("sanctions_list",), ("agreement", "sanctions_imposed")),
]

#: state series -> (panel, label, colour)
SERIES_STYLE: dict[str, tuple[str, str, str]] = {
    "business_pressure": ("pressure", "business pressure", _C["black"]),
    "farm_mobilisation": ("pressure", "farm mobilisation", _C["vermillion"]),
    "home_resistance": ("positions", "home resistance point", _C["blue"]),
    "home_offer": ("positions", "home offer", _C["sky_blue"]),
    "partner_demand": ("positions", "partner demand", _C["reddish_purple"]),
    "initiator_value": ("values", "initiator's value (domain)", _C["blue"]),
    "target_value": ("values", "target's value (domain)", _C["vermillion"]),
}
PANEL_TITLES = {
    "pressure": ("Domestic pressure", "level (model units)"),
    "positions": (
        "Positions on the sensitive issue",
        "concession share (0 = home opening, 1 = partner ask)",
    ),
    "values": ("Each side's prospect-theory value (below 0: losses)", "value of position"),
    "other": ("Other state series", "value"),
}


@dataclass
class Replay:
    """A saved replay directory, read back."""

    directory: Path
    events: pd.DataFrame
    states: pd.DataFrame
    targets: pd.DataFrame
    summary: dict[str, Any]
    metadata: dict[str, Any]
    info: CaseInfo


def load_replay(directory: str | Path) -> Replay:
    """Read a replay directory (``timeline-sim replay --out DIR``)."""
    directory = Path(directory)
    missing = [
        n
        for n in ("events.csv", "states.csv", "targets.csv", "summary.json", "metadata.json")
        if not (directory / n).is_file()
    ]
    if missing:
        raise FileNotFoundError(
            f"{directory}: not a replay directory (missing {', '.join(missing)})"
        )
    events = pd.read_csv(
        directory / "events.csv", keep_default_na=False, na_values={"value": [""], "t": [""]}
    )
    states = pd.read_csv(directory / "states.csv")
    try:
        targets = pd.read_csv(
            directory / "targets.csv", keep_default_na=False, na_values={"error_days": [""]}
        )
    except pd.errors.EmptyDataError:
        targets = pd.DataFrame(
            columns=["track", "milestone", "historical", "simulated", "error_days", "source"]
        )
    summary = json.loads((directory / "summary.json").read_text())
    metadata = json.loads((directory / "metadata.json").read_text())
    case_file = metadata.get("case_file") or metadata.get("case")
    info = case_info(case_file, metadata.get("variant")) if case_file else CaseInfo(name="?")
    if not info.title:
        info.name = metadata.get("case", info.name)
    for frame in (events, states):
        if len(frame):
            frame["date"] = pd.to_datetime(frame["date"])
    return Replay(directory, events, states, targets, summary, metadata, info)


def _start_date(events: pd.DataFrame) -> pd.Timestamp | None:
    if not len(events):
        return None
    row = events.iloc[0]
    return (row["date"] - pd.Timedelta(days=float(row["t"]))).normalize()


def _track_order(events: pd.DataFrame, states: pd.DataFrame) -> list[str]:
    order = list(dict.fromkeys(list(events.get("track", [])) + list(states.get("track", []))))
    if "domestic" in order:
        order.remove("domestic")
        order.insert(0, "domestic")
    return order


def _lane(track: str, who: str) -> str:
    return f"{esc(track)} · {esc(who)}"


def replay_phases(events: pd.DataFrame, start: pd.Timestamp | None) -> list[dict[str, Any]]:
    """Phase bars of every track from the event log: name, track, start, end, open-ended."""
    if not len(events):
        return []
    end_of_log = events["date"].max()
    out = []
    for track, group in events.groupby("track", sort=False):
        if track == "domestic":
            continue
        kinds = group.groupby("event")["date"].apply(list).to_dict()
        for name, _colour, starts, ends in PHASES:
            for s_kind in starts:
                begins = (
                    [start]
                    if s_kind == "__start__" and start is not None
                    else kinds.get(s_kind, [])
                )
                if s_kind == "__start__" and "talks_launched" not in kinds:
                    begins = []
                for begin in begins:
                    later = [d for e in ends for d in kinds.get(e, []) if d >= begin]
                    finish = min(later) if later else end_of_log
                    if finish <= begin and not later:
                        continue
                    out.append(
                        {
                            "phase": name,
                            "track": track,
                            "start": begin,
                            "end": finish,
                            "open": not later,
                        }
                    )
    return out


def _hover_event(row: Any) -> str:
    detail = str(row.detail or "")
    source = ""
    match = re.search(r"\s*\[source: (.*)\]\s*$", detail)
    if match:
        source, detail = match.group(1), detail[: match.start()]
    parts = [
        f"<b>{esc(row.event.replace('_', ' '))}</b>",
        f"date: {row.date.date()}",
        f"track: {esc(row.track)}",
        f"actor: {esc(row.actor)}",
    ]
    value = format_number(row.value)
    if value:
        parts.append(f"value: {value}")
    if detail:
        parts.append(wrap_text(detail))
    if source:
        parts.append("source: " + wrap_text(source))
    return "<br>".join(parts)


def replay_timeline(replay: Replay) -> go.Figure:
    """Swimlanes per track and actor, phases as bars, events as markers, history overlaid,
    deadlines and elections as vertical lines, the state curves beneath on the same dates."""
    events, states = replay.events, replay.states
    tracks = _track_order(events, states)
    start = _start_date(events)
    panels = [
        p
        for p in ("pressure", "positions", "values", "other")
        if any(SERIES_STYLE.get(s, ("other",))[0] == p for s in states.get("series", []))
    ]
    lanes: list[str] = []
    targets = replay.targets
    for track in tracks:
        if track != "domestic":
            lanes.append(_lane(track, "phases"))
        if len(targets) and track in set(targets["track"]):
            lanes.append(_lane(track, "historical record"))
        for actor in dict.fromkeys(events.loc[events["track"] == track, "actor"]):
            lanes.append(_lane(track, actor))
    lane_height = 30
    timeline_h = max(260, lane_height * len(lanes) + 80)
    panel_h = 230
    rows = 1 + len(panels)
    titles = ["Chronology: phases, events and the historical record"] + [
        PANEL_TITLES[p][0] for p in panels
    ]
    fig = make_subplots(
        rows=rows,
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.06 if rows > 1 else 0.02,
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
                y=[_lane(p["track"], "phases") for p in rows_],
                base=[p["start"].isoformat() for p in rows_],
                x=[(p["end"] - p["start"]).total_seconds() * 1000 for p in rows_],
                marker=dict(color=colours[name], line=dict(color="#555555", width=0.5)),
                hovertext=[
                    f"<b>{esc(name)}</b><br>track: {esc(p['track'])}<br>{p['start'].date()} to {p['end'].date()}"
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
                y=[_lane(r.track, r.actor) for r in rows_],
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
                hovertext=[_hover_event(r) for r in rows_],
                hoverinfo="text",
            ),
            row=1,
            col=1,
        )
    # the historical record: a marker at the historical date, a line to the simulated date
    if len(targets):
        hx, hy, htext, labels = [], [], [], []
        lx, ly = [], []
        for t in targets.itertuples(index=False):
            when = to_day(t.historical)
            if when is None:
                continue
            lane = _lane(t.track, "historical record")
            error = None if pd.isna(t.error_days) else int(t.error_days)
            simulated = "" if not isinstance(t.simulated, str) else t.simulated
            hx.append(when)
            hy.append(lane)
            labels.append("" if error is None else f"{error:+d} d")
            htext.append(
                f"<b>historical {esc(str(t.milestone).replace('_', ' '))}</b><br>"
                f"historical: {esc(t.historical)}<br>simulated: {esc(simulated) or 'not reached'}<br>"
                f"error: {'not reached' if error is None else f'{error:+d} days'}<br>source: {wrap_text(t.source)}"
            )
            if simulated:
                lx += [when, pd.Timestamp(simulated), None]
                ly += [lane, lane, None]
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
                name = label if track == "domestic" else f"{label}: {track}"
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
    for r in lines.itertuples(index=False):
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
        )
    fig.update_xaxes(type="date", showgrid=True, tickformat="%b %Y", hoverformat="%Y-%m-%d")
    fig.update_xaxes(title_text="date", row=rows, col=1)
    fig.update_layout(barmode="overlay", hovermode="closest")
    label = f"{esc(replay.info.title or replay.info.name)}"
    variant = replay.metadata.get("variant")
    title = (
        f"{label}{' [variant: ' + esc(variant) + ']' if variant else ''}"
        f"<br><sup>seed {replay.metadata.get('seed', '?')}, run {replay.metadata.get('run', 0)}; "
        f"dashed lines: summits and deadlines, dotted: elections</sup>"
    )
    return style_figure(fig, title, timeline_h + panel_h * len(panels) + 160)


def replay_figures(replay: Replay) -> list[tuple[str, go.Figure]]:
    """The figures of a replay dashboard, by name."""
    return [("timeline", replay_timeline(replay))]


def _targets_table(targets: pd.DataFrame) -> str:
    if not len(targets):
        return "<p>No historical targets in this case.</p>"
    rows = []
    errors = []
    for t in targets.itertuples(index=False):
        error = None if pd.isna(t.error_days) else int(t.error_days)
        if error is not None:
            errors.append(abs(error))
        simulated = t.simulated if isinstance(t.simulated, str) and t.simulated else "not reached"
        rows.append(
            f"<tr><td>{esc(t.track)}</td><td>{esc(t.milestone)}</td><td>{esc(t.historical)}</td>"
            f"<td>{esc(simulated)}</td><td class='num'>{'' if error is None else f'{error:+d}'}</td>"
            f"<td class='src'>{esc(t.source)}</td></tr>"
        )
    mae = (
        f"{np.mean(errors):.0f} days over {len(errors)} of {len(targets)} targets reached"
        if errors
        else "-"
    )
    return (
        "<table class='targets'><thead><tr><th>track</th><th>milestone</th><th>historical</th>"
        "<th>simulated</th><th>error (days)</th><th>source</th></tr></thead><tbody>"
        + "".join(rows)
        + f"</tbody></table><p>Mean absolute error: {mae}.</p>"
    )


def replay_html(directory: str | Path) -> tuple[str, list[tuple[str, go.Figure]]]:
    """The replay dashboard of a saved replay directory, and its figures."""
    replay = load_replay(directory)
    figures = replay_figures(replay)
    heading = esc(replay.info.title or replay.info.name)
    body = [
        case_header(replay.info),
        "<h2>Simulated against historical milestones</h2>",
        _targets_table(replay.targets),
    ]
    subtitle = f"Replay of {esc(replay.info.name)}, seed {esc(replay.metadata.get('seed'))}"
    return page(
        heading, subtitle, figures, before="".join(body[:1]), after="".join(body[1:])
    ), figures
