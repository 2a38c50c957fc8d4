"""Plotly dashboards of replays and studies, built from saved results only.

Every function here reads saved tables (a replay directory written by
``report.write_replay``, a study directory written by ``study.run_many`` or a
comparison directory written by ``study.compare``) or DataFrames, never the
running model, so a dashboard can be rebuilt from results alone. The case file
named in the saved metadata is read, when it can be, for its title, descriptions
and historical record; nothing is simulated.

Conventions:

- dates on every time axis, not day numbers;
- the Okabe-Ito palette, with marker symbols and dashes doubling colour, so
  colour-blind readers can tell series apart;
- every string that comes from a case file or an event log is HTML-escaped
  before it reaches the page or a Plotly label (``<script>`` shows as text);
- one self-contained HTML file: plotly.js is inlined, nothing is fetched;
- studies are summarised in Python (pre-binned histograms, thinned cumulative
  curves), so a 10,000-run study makes a file about as large as a 1,000-run one.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import math
import re
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from plotly.offline import get_plotlyjs
from plotly.subplots import make_subplots

# ------------------------------------------------------------------ conventions

#: Okabe & Ito (2008), "Color Universal Design": distinguishable with any colour vision.
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "grey": "#999999",
}
_C = OKABE_ITO
#: per-track dashes, so two tracks' curves of one series differ without colour
DASHES = ("solid", "dash", "dot", "dashdot", "longdash")
#: one colour per track for study curves
TRACK_COLOURS = (
    _C["blue"],
    _C["vermillion"],
    _C["bluish_green"],
    _C["reddish_purple"],
    _C["orange"],
    _C["sky_blue"],
)
BASELINE_COLOUR, VARIANT_COLOUR = _C["blue"], _C["orange"]
HISTORY_COLOUR = _C["black"]

FONT = dict(family="Segoe UI, Helvetica, Arial, sans-serif", size=13)
DAY_MS = 86_400_000

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


def esc(text: Any) -> str:
    """HTML-escape a string from a case file or a log (None and NaN become '')."""
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return ""
    return html.escape(str(text), quote=True)


def _wrap(text: str, width: int = 70) -> str:
    """Escape and wrap long text for a hover label."""
    return "<br>".join(esc(line) for line in textwrap.wrap(str(text), width)) if text else ""


def _num(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    value = float(value)
    if abs(value) >= 1e6:
        return f"{value:,.3g}"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.3g}"


def _style(fig: go.Figure, title: str, height: int) -> go.Figure:
    fig.update_layout(
        title=dict(text=title, x=0.01, xanchor="left", font=dict(size=18)),
        template="plotly_white",
        font=FONT,
        height=height,
        margin=dict(l=20, r=20, t=80, b=40),
        hoverlabel=dict(align="left", font=dict(size=12)),
        legend=dict(groupclick="toggleitem", font=dict(size=12)),
    )
    return fig


# ------------------------------------------------------------------ case information


@dataclass
class CaseInfo:
    """What a dashboard shows of the case file: text and the historical record."""

    name: str
    title: str = ""
    description: str = ""
    variant: str | None = None
    variant_description: str = ""
    kind: str = ""
    start_date: str | None = None
    tracks: dict[str, dict[str, Any]] = field(default_factory=dict)  # description, talks_start
    targets: list[dict[str, Any]] = field(default_factory=list)  # track, milestone, date, source
    outcome_targets: list[dict[str, Any]] = field(default_factory=list)
    problem: str = ""


def case_info(case: str | Path, variant: str | None = None) -> CaseInfo:
    """Read a case file's text and historical record (the case is validated, never run)."""
    from timeline_sim.case import load_case  # data only: the schema and its checks

    info = CaseInfo(name=str(Path(str(case)).stem), variant=variant)
    try:
        loaded = load_case(case, variant=variant)
    except Exception as exc:  # a dashboard of saved results still builds without its case file
        info.problem = f"case file {case} could not be read: {exc}"
        return info
    model = loaded.model
    info.name, info.title, info.description = (
        loaded.name,
        model.title,
        getattr(model, "description", ""),
    )
    info.kind = getattr(model, "kind", "")
    if variant and variant in getattr(model, "variants", {}):
        info.variant_description = model.variants[variant].description
    info.start_date = getattr(model.start_date, "date", None)
    for name, track in model.tracks.items():
        info.tracks[name] = {
            "description": getattr(track, "description", ""),
            "talks_start": getattr(getattr(track, "talks_start", None), "date", None),
            "partner": getattr(track, "partner", ""),
        }
    info.targets = [
        {"track": t.track, "milestone": t.milestone, "date": t.date, "source": t.source}
        for t in model.targets
    ]
    info.outcome_targets = [
        {"track": t.track, "outcome": t.outcome, "value": t.value, "source": t.source}
        for t in getattr(model, "outcome_targets", [])
    ]
    return info


def _day(text: str | None) -> pd.Timestamp | None:
    """A historical date (day, month '2005-12' as mid-month, or year) as a timestamp."""
    if not text:
        return None
    from timeline_sim.calendar import HistoricalDate

    try:
        return pd.Timestamp(HistoricalDate.parse(str(text)).date)
    except Exception:
        try:
            return pd.Timestamp(text)
        except Exception:
            return None


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
            return None if t is None else _day(t["date"])

        start = _day(data.get("talks_start"))
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


# ------------------------------------------------------------------ replays


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
    value = _num(row.value)
    if value:
        parts.append(f"value: {value}")
    if detail:
        parts.append(_wrap(detail))
    if source:
        parts.append("source: " + _wrap(source))
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
            when = _day(t.historical)
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
                f"error: {'not reached' if error is None else f'{error:+d} days'}<br>source: {_wrap(t.source)}"
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
    return _style(fig, title, timeline_h + panel_h * len(panels) + 160)


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


def _case_header(info: CaseInfo) -> str:
    parts = []
    if info.description:
        parts.append(f"<p class='description'>{esc(info.description)}</p>")
    if info.variant:
        parts.append(
            f"<p class='variant'><b>Counterfactual variant {esc(info.variant)}:</b> "
            f"{esc(info.variant_description)}</p>"
        )
    if info.tracks:
        items = "".join(
            f"<li><b>{esc(name)}</b>: {esc(t.get('description', ''))}</li>"
            for name, t in info.tracks.items()
            if t.get("description")
        )
        if items:
            parts.append(f"<ul class='tracks'>{items}</ul>")
    if info.problem:
        parts.append(f"<p class='problem'>{esc(info.problem)}</p>")
    return "".join(parts)


def replay_html(directory: str | Path) -> tuple[str, list[tuple[str, go.Figure]]]:
    """The replay dashboard of a saved replay directory, and its figures."""
    replay = load_replay(directory)
    figures = replay_figures(replay)
    heading = esc(replay.info.title or replay.info.name)
    body = [
        _case_header(replay.info),
        "<h2>Simulated against historical milestones</h2>",
        _targets_table(replay.targets),
    ]
    subtitle = f"Replay of {esc(replay.info.name)}, seed {esc(replay.metadata.get('seed'))}"
    return page(
        heading, subtitle, figures, before="".join(body[:1]), after="".join(body[1:])
    ), figures


# ------------------------------------------------------------------ studies


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
        hovertext=f"<b>{esc(text)}</b><br>{_wrap(label)}<br>percentile in the simulated runs: {percentile:.1f}",
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
    return _style(fig, title, 330 * rows + 120)


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
                when = _day(target["date"])
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
                            f"{share:.1f}% of runs had reached it by then<br>source: {_wrap(target['source'])}"
                        ),
                        hoverinfo="text",
                    ),
                    row=row,
                    col=1,
                )
        fig.update_yaxes(title_text="% of runs", range=[0, 105], row=row, col=1)
        fig.update_xaxes(type="date", tickformat="%b %Y", row=row, col=1)
    fig.update_xaxes(title_text="date", row=len(tracks), col=1)
    return _style(
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
                    f"<b>{lab}</b><br>baseline mean: {_num(r['baseline_mean'])}<br>variant mean: "
                    f"{_num(r['variant_mean'])}<br>effect: {_num(r['effect'])} "
                    f"[{_num(r['ci_low'])}, {_num(r['ci_high'])}]<br>{r.get('n', '')} paired runs"
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
    return _style(fig, title, sum(max(200, 34 * len(groups[u]) + 120) for u in units) + 120)


def _comparison_table(comparison: dict[str, Any]) -> str:
    rows = []
    for track, outcomes in comparison.get("tracks", {}).items():
        for outcome, r in outcomes.items():
            if r.get("effect") == 0 and r.get("ci_low") == r.get("ci_high"):
                continue
            rows.append(
                f"<tr><td>{esc(track)}</td><td>{esc(outcome)}</td><td class='num'>{_num(r['baseline_mean'])}</td>"
                f"<td class='num'>{_num(r['variant_mean'])}</td><td class='num'>{_num(r['effect'])}</td>"
                f"<td class='num'>[{_num(r['ci_low'])}, {_num(r['ci_high'])}]</td></tr>"
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
            "after": "<h2>Effects</h2>" + _comparison_table(comparison),
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
        before=_case_header(context["info"]),
        after=context["after"],
    ), figures


# ------------------------------------------------------------------ the sequencing story


def sequencing_story_html(
    japan: str | Path, korea: str | Path, korea_variant: str | Path, comparison: str | Path
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
                    text=[f"{esc(track)} concluded"],
                    textposition="top right",
                    marker=dict(symbol="star", size=13, color=_C["blue"]),
                    name="FTA concluded",
                    legendgroup="concluded",
                    showlegend=show and k == 0,
                    hovertemplate=f"{esc(track)} concluded %{{x|%Y-%m-%d}}<extra></extra>",
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
                    hovertemplate=f"{esc(track)} {label}<br>%{{x|%Y-%m-%d}}: %{{y:.3f}}<extra></extra>",
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
                        x=[_day(h) for h in fails["historical"]],
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
    fig = _style(
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
    after = "<h2>Effects of Singapore first on Korea (paired runs)</h2>" + _comparison_table(comp)
    return page(
        "The sequencing story: Japan's and Korea's first FTAs",
        "From saved replays and a saved comparison; rebuilt by dashboards/sequencing_story.py",
        figures,
        before=intro,
        after=after,
    ), figures


# ------------------------------------------------------------------ the page

STYLE = """
body { font-family: "Segoe UI", Helvetica, Arial, sans-serif; margin: 0 auto; max-width: 1400px;
       padding: 16px 24px; color: #222; }
h1 { font-size: 1.6em; margin: 0.2em 0; } h2 { font-size: 1.2em; margin-top: 1.5em; }
p.subtitle { color: #555; margin-top: 0; } p.problem { color: #D55E00; }
.figure { margin: 12px 0 28px 0; border-top: 1px solid #ddd; padding-top: 8px; }
table.targets { border-collapse: collapse; font-size: 0.9em; }
table.targets td, table.targets th { border-bottom: 1px solid #ddd; padding: 3px 8px; text-align: left;
                                     vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; } td.src { color: #555; font-size: 0.9em; }
footer { color: #777; font-size: 0.8em; margin-top: 2em; }
"""

#: scripts run only if inline (plotly.js and the figure calls); nothing is fetched from anywhere
CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src data: blob:; font-src data:; connect-src 'none'"
)


def page(
    heading: str,
    subtitle: str,
    figures: list[tuple[str, go.Figure]],
    before: str = "",
    after: str = "",
) -> str:
    """One self-contained HTML page: plotly.js inline, every figure, no network access.

    ``heading``, ``subtitle``, ``before`` and ``after`` must already be escaped HTML.
    """
    divs = []
    config = {
        "displaylogo": False,
        "responsive": True,
        "toImageButtonOptions": {"format": "svg", "scale": 1},
    }
    for key, fig in figures:
        div = pio.to_html(
            fig,
            full_html=False,
            include_plotlyjs=False,
            div_id=f"figure-{key}",
            config=config,
            validate=True,
        )
        divs.append(f"<section class='figure' data-figure='{esc(key)}'>{div}</section>")
    from timeline_sim import __version__

    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        f"<meta http-equiv='Content-Security-Policy' content=\"{CSP}\">"
        f"<meta name='viewport' content='width=device-width, initial-scale=1'><title>{heading}</title>"
        f"<style>{STYLE}</style><script type='text/javascript'>{get_plotlyjs()}</script></head><body>"
        f"<h1>{heading}</h1><p class='subtitle'>{subtitle}</p>{before}"
        + "".join(divs)
        + after
        + f"<footer>timeline_sim {esc(__version__)}, built {dt.date.today().isoformat()} from saved results; "
        "colours: Okabe-Ito palette.</footer></body></html>\n"
    )


def write_html(path: str | Path, text: str) -> Path:
    """Write a dashboard atomically."""
    import os
    import tempfile

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(tmp, path)
    return path


class ExportUnavailable(Exception):
    """Static export (png, svg, pdf) needs the kaleido package and a Chrome or Chromium."""


def export_static(figures: list[tuple[str, go.Figure]], out: str | Path, fmt: str) -> list[Path]:
    """Write each figure as ``OUT-STEM-NAME.FMT`` (one file per figure; papers take one each)."""
    try:
        import kaleido  # noqa: F401
    except ImportError:
        raise ExportUnavailable(
            f"--format {fmt} needs the kaleido package for static export (pip install kaleido) "
            "and a Chrome or Chromium; it is not installed. Write HTML instead (--format html), "
            "or use the camera button of each figure in the HTML dashboard to save an SVG."
        ) from None
    out = Path(out)
    stem = out.with_suffix("")
    written = []
    for key, fig in figures:
        target = stem.parent / f"{stem.name}-{key}.{fmt}"
        try:
            fig.write_image(str(target), format=fmt, width=1400, height=fig.layout.height or 800)
        except Exception as exc:
            raise ExportUnavailable(f"--format {fmt}: static export failed: {exc}") from None
        written.append(target)
    return written
