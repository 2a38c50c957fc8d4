"""Presenting a run in the terminal: the dated chronology and the targets table.

The chronology has a header and one line per event, each value with its unit.
Unless ``verbose``, farm protests are summarised into waves (one line with the
number of protests, the protesters in all and the largest) and runs of rounds
that make no progress into one line; offers, mobilisation and session dates are
left out (they are all in the event table of ``replay --out``).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from timeline_sim.engine.runner import RunResult
from timeline_sim.output import labels

#: Event kinds left out of the printed chronology (they are in the event table).
QUIET_EVENTS = {"offer", "mobilisation", "session_opens", "session_closes"}
#: A protest wave ends when farmers have been quiet this many days.
WAVE_GAP_DAYS = 14
#: Event kinds that do not end a wave of protests or a run of rounds on their track.
_BACKGROUND = {
    "protest",
    "round",
    "lobbying_act",
    "pressure_relieved",
    "vote_scheduled",
    "side_payment_offered",
} | QUIET_EVENTS


#: how the value of each event kind reads, with its unit
VALUE_TEXT: dict[str, Callable[[float], str]] = {
    "lobbying_act": lambda v: f"pressure {labels.number(v)}",
    "pressure_relieved": lambda v: f"pressure {labels.number(v)}",
    "round": lambda v: f"{labels.percent(v)} agreed",
    "offer": lambda v: f"share {labels.percent(v)}",
    "stall": lambda v: f"gap {labels.percent(v)}",
    "breakdown": lambda v: f"gap {labels.percent(v)}",
    "concluded": lambda v: f"concession {labels.percent(v)}",
    "signed": lambda v: f"concession {labels.percent(v)}",
    "mobilisation": lambda v: f"level {labels.number(v)}",
    "protest": lambda v: f"{labels.number(v, True)} people",
    "committee_stalled": lambda v: f"margin {labels.number(v)}",
    "committee_passed": lambda v: f"margin {labels.number(v)}",
    "vote_scheduled": lambda v: f"in {labels.number(v, True)} days",
    "vote_blocked": lambda v: f"P(block) {labels.probability(v)}",
    "vote_failed": lambda v: f"{labels.percent(v)} yes",
    "vote_passed": lambda v: f"{labels.percent(v)} yes",
    "ratified": lambda v: f"{labels.number(v, True)} yes votes",
    "side_payment_offered": labels.usd,
    "deadline_extended": lambda v: f"+{labels.number(v, True)} days",
    "agreement": lambda v: f"access {labels.number(v)}",
    "shock": lambda v: f"size {labels.number(v)}",
}
#: event kinds whose value is a side's prospect-theory value
_PROSPECT = {
    "strategy_chosen",
    "off_record_talks",
    "public_demand",
    "harsh_statement",
    "deadline_set",
    "section_301",
    "wto_referral",
    "sanctions_list",
    "wto_complaint",
    "counter_sanctions",
    "accommodation",
}


def event_value(event: str, value: float) -> str:
    """The value of one event as it reads, with its unit ('' if the event has none)."""
    if isinstance(value, float) and math.isnan(value):
        return ""
    if event in _PROSPECT:
        return f"value {labels.number(value)}"
    return VALUE_TEXT.get(event, labels.number)(value)


@dataclass
class _Line:
    date: str
    track: str
    actor: str
    event: str
    value: str
    detail: str


def _wave(rows: list):
    """One line for a wave of protests (a single protest stays as it is)."""
    if len(rows) == 1:
        return rows[0]
    sizes = [r.value for r in rows]
    return _Line(
        rows[0].date,
        rows[0].track,
        rows[0].actor,
        "protest wave",
        f"{len(rows)} protests",
        f"{labels.number(sum(sizes), True)} protesters in all, largest "
        f"{labels.number(max(sizes), True)}; {_span(rows)}",
    )


def _span(rows: list) -> str:
    first, last = rows[0].date, rows[-1].date
    return f"on {first}" if first == last else f"{first} to {last}"


def _stuck(rows: list) -> _Line:
    summits = sum(1 for r in rows if r.detail.startswith("summit"))
    also = (
        f", {summits} at a summit" if summits == 1 else f", {summits} at summits" if summits else ""
    )
    return _Line(
        rows[0].date,
        rows[0].track,
        rows[0].actor,
        "rounds, no progress",
        f"{len(rows)} rounds",
        f"text still {labels.percent(rows[0].value)} agreed{also}; {_span(rows)}",
    )


def _summarised(events) -> list:
    """Events with protest waves and runs of rounds without progress as single rows."""
    rows = list(events.itertuples(index=False))
    out: list = []
    open_wave: dict[str, list] = {}
    open_run: dict[str, list] = {}
    last_round: dict[str, float] = {}
    slot: dict[tuple[str, str], int] = {}

    def close(kind: str, track: str) -> None:
        group = (open_wave if kind == "wave" else open_run).pop(track, None)
        if not group:
            return
        index = slot.pop((kind, track))
        if kind == "wave":
            out[index] = _wave(group)
        elif len(group) > 1:
            out[index] = _stuck(group)
        else:
            out[index] = group[0]

    for row in rows:
        if row.event == "protest":
            wave = open_wave.get(row.track)
            if wave and row.t - wave[-1].t > WAVE_GAP_DAYS:
                close("wave", row.track)
                wave = None
            if not wave:
                open_wave[row.track] = []
                slot[("wave", row.track)] = len(out)
                out.append(None)
            open_wave[row.track].append(row)
            continue
        if row.event == "round":
            previous = last_round.get(row.track)
            last_round[row.track] = row.value
            if previous is not None and row.value <= previous:
                run = open_run.get(row.track)
                if not run:
                    open_run[row.track] = []
                    slot[("run", row.track)] = len(out)
                    out.append(None)
                open_run[row.track].append(row)
                continue
            close("run", row.track)
            out.append(row)
            continue
        if row.event not in _BACKGROUND:
            close("wave", row.track)
            close("run", row.track)
        out.append(row)
    for kind, groups in (("wave", open_wave), ("run", open_run)):
        for track in list(groups):
            close(kind, track)
    return out


def chronology(result: RunResult, verbose: bool = False) -> str:
    """The dated chronology of a run as text: a header, then one event (or summary) a line."""
    events = result.events
    if not verbose:
        events = events[~events["event"].isin(QUIET_EVENTS)]
        rows = _summarised(events)
    else:
        rows = list(events.itertuples(index=False))
    lines = [
        f"{'date':<10}  {'track':<11} {'actor':<20} {'event':<22} {'value':>16}  detail",
        f"{'-' * 10}  {'-' * 11} {'-' * 20} {'-' * 22} {'-' * 16}  {'-' * 6}",
    ]
    for row in rows:
        if isinstance(row, _Line):
            value, event, detail = row.value, row.event, row.detail
        else:
            value = event_value(row.event, row.value)
            event = row.event.replace("_", " ")
            detail = labels.plain_numbers(row.detail)
        if not verbose and len(detail) > 90:
            detail = detail[:87] + "..."
        lines.append(
            f"{row.date:<10}  {row.track:<11} {row.actor[:20]:<20} {event[:22]:<22} "
            f"{value:>16}  {detail}".rstrip()
        )
    return "\n".join(lines)


def _outcome_value(row: dict, units: dict[str, str]) -> tuple[str, str]:
    unit = labels.unit_of(row["outcome"])
    terms = units.get(row["track"])
    return (
        labels.value(row["historical"], unit, terms),
        "-" if row["simulated"] is None else labels.value(row["simulated"], unit, terms),
    )


def target_name(row: dict) -> str:
    """A target's milestone in words, with whose it is: "CHL: Senate passed"."""
    milestone = row["milestone"]
    if milestone == "chamber_passed" and row.get("chamber"):
        text = f"{row['chamber']} passed"
    else:
        text = labels.milestone(milestone)
    return f"{row['party']}: {text}" if row.get("party") else text


def targets_table(result: RunResult, terms_units: dict[str, str] | None = None) -> str:
    """Historical against simulated milestones, with the error in days.

    A counterfactual replay (a variant) is not what happened, so it is not scored
    against history: the historical dates are shown for reference, without errors.
    ``terms_units`` gives each track's unit of ``terms_value`` (from the case file).
    """
    units = terms_units or {}
    scored = result.variant is None
    lines = []
    if not scored:
        lines += [
            f"counterfactual (variant {result.variant}): history did not take this path, so the",
            "simulated dates are not scored against it; the historical dates are for reference.",
            "",
        ]
    names = [target_name(row) for row in result.targets]
    width = max([30, *(len(n) for n in names)])
    header = f"{'track':<11} {'milestone':<{width}} {'historical':<11} {'simulated':<11}"
    lines.append((header + (f" {'error (days)':>12}" if scored else "")).rstrip())
    for row, name in zip(result.targets, names, strict=True):
        simulated = row["simulated"] or "not reached"
        line = f"{row['track']:<11} {name:<{width}} {row['historical']:<11} {simulated:<11}"
        if scored:
            error = "-" if row["error_days"] is None else f"{row['error_days']:+,d}"
            line += f" {error:>12}"
        lines.append(line.rstrip())
    if scored:
        mae = result.mean_abs_error_days
        reached = sum(1 for row in result.targets if row["error_days"] is not None)
        lines.append(
            f"mean absolute error: {'-' if mae is None else f'{labels.number(round(mae), True)} days'} "
            f"over the {reached} of {len(result.targets)} targets reached"
        )
    if result.outcome_targets:
        names = [
            labels.outcome(r["outcome"], units.get(r["track"])) for r in result.outcome_targets
        ]
        width = max(30, *(len(n) for n in names))
        lines.append("")
        lines.append(f"{'track':<11} {'outcome':<{width}} {'historical':>12} {'simulated':>12}")
        for row, name in zip(result.outcome_targets, names, strict=True):
            historical, simulated = _outcome_value(row, units)
            lines.append(f"{row['track']:<11} {name:<{width}} {historical:>12} {simulated:>12}")
    knobs = f"per-case tuning knobs: {result.tuning_knobs}"
    if result.single_case_parameters:
        knobs += (
            " (shared parameters only this case uses: "
            + ", ".join(result.single_case_parameters)
            + ")"
        )
    lines.append(knobs)
    return "\n".join(lines)


def parties_table(result: RunResult) -> str:
    """Every party's ratification of every agreement: its milestones, votes, holds and clock."""
    lines = [
        f"{'track':<11} {'party':<6} {'submitted':<11} {'chambers passed':<36} "
        f"{'ratified':<11} {'failed votes':>12} {'held (days)':>11}  fast track"
    ]
    for track, data in result.tracks.items():
        for code, party in data.get("parties", {}).items():
            m, o = party["milestones"], party["outcomes"]
            chambers = ", ".join(f"{name} {date}" for name, date in party["chambers"].items())
            lines.append(
                f"{track:<11} {code:<6} {m['submitted'] or '-':<11} {chambers or '-':<36} "
                f"{m['ratified'] or 'not yet':<11} {o['failed_votes']:>12} "
                f"{o['held_days']:>11,.0f}  {'yes' if o['fast_track'] else 'no'}"
            )
        milestones = data["milestones"]
        if "entry_into_force" in milestones:
            lines.append(
                f"{track:<11} {'all':<6} notes exchanged {milestones['notes_exchanged'] or '-'}, "
                f"in force {milestones['entry_into_force'] or 'not within the horizon'}"
            )
    return "\n".join(lines)
