"""A saved replay read back for the replay dashboard: its event styles, phases and lanes."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from timeline_sim.figures.common import OKABE_ITO as _C
from timeline_sim.figures.common import CaseInfo, case_info, esc, format_number, to_day, wrap_text
from timeline_sim.output import labels

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
    "vote_blocked": ("votes blocked", "square", _C["reddish_purple"], 12),
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
        "Positions on the sensitive issue (0 = home opening, 1 = partner ask)",
        "concession share",
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


def start_date_of(events: pd.DataFrame) -> pd.Timestamp | None:
    if not len(events):
        return None
    row = events.iloc[0]
    return (row["date"] - pd.Timedelta(days=float(row["t"]))).normalize()


def track_order(events: pd.DataFrame, states: pd.DataFrame) -> list[str]:
    order = list(dict.fromkeys(list(events.get("track", [])) + list(states.get("track", []))))
    if "domestic" in order:
        order.remove("domestic")
        order.insert(0, "domestic")
    return order


def lane_of(track: str, who: str) -> str:
    return f"{esc(labels.track(track))} · {esc(who)}"


def _spans(
    kinds: dict[str, list[pd.Timestamp]], start: pd.Timestamp | None, end: pd.Timestamp, track: str
) -> list[dict[str, Any]]:
    """Phase spans of one track from the dates of its events (or milestones)."""
    out = []
    for name, _colour, starts, ends in PHASES:
        for s_kind in starts:
            begins = (
                [start] if s_kind == "__start__" and start is not None else kinds.get(s_kind, [])
            )
            if s_kind == "__start__" and "talks_launched" not in kinds:
                begins = []
            for begin in begins:
                later = [d for e in ends for d in kinds.get(e, []) if d >= begin]
                finish = min(later) if later else end
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


def historical_phases(
    replay: Replay, start: pd.Timestamp | None, end: pd.Timestamp
) -> list[dict[str, Any]]:
    """Phase spans of every track from the historical record (milestone dates and talks' start)."""
    by_track: dict[str, dict[str, list[pd.Timestamp]]] = {}
    for t in replay.targets.itertuples(index=False):
        when = to_day(t.historical)
        if when is not None:
            by_track.setdefault(t.track, {}).setdefault(t.milestone, []).append(when)
    out = []
    for track, kinds in by_track.items():
        launch = to_day(replay.info.tracks.get(track, {}).get("talks_start"))
        if launch is not None and "talks_launched" not in kinds:
            kinds["talks_launched"] = [launch]
        out += [
            p
            for p in _spans(kinds, start, end, track)
            if not (p["open"] and p["phase"] == "joint study")
        ]
    return out


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
        out += _spans(kinds, start, end_of_log, track)
    return out


def hover_event(row: Any) -> str:
    detail = str(row.detail or "")
    source = ""
    match = re.search(r"\s*\[source: (.*)\]\s*$", detail)
    if match:
        source, detail = match.group(1), detail[: match.start()]
    parts = [
        f"<b>{esc(labels.event(row.event))}</b>",
        f"date: {row.date.date()}",
        f"track: {esc(labels.track(row.track))}",
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


def span_of(replay: Replay, start: pd.Timestamp | None) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The case's span: from its start (or first event or historical date) to its last, padded."""
    dates = list(replay.events["date"]) if len(replay.events) else []
    dates += [d for d in (to_day(t) for t in replay.targets.get("historical", [])) if d is not None]
    if start is not None:
        dates.append(start)
    if not dates:
        today = pd.Timestamp.today().normalize()
        return today, today + pd.Timedelta(days=365)
    first, last = min(dates), max(dates)
    pad = max(pd.Timedelta(days=30), (last - first) * 0.02)
    return first - pad, last + pad


def targets_table(targets: pd.DataFrame) -> str:
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
            f"<tr><td>{esc(labels.track(t.track))}</td><td>{esc(labels.milestone(t.milestone))}</td><td>{esc(t.historical)}</td>"
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
