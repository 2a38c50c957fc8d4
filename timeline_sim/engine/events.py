"""The tidy event log and the state trajectories of one run.

A run appends plain tuples while it runs and turns them into one DataFrame at the
end (``run_id, t, date, track, actor, event, value, detail``). Every event kind
that a process may emit is declared first: the engine declares the dated inputs
every model shares, and each model family declares its own kinds with
:func:`declare_event_kinds` when it is imported. ``docs/events.md`` documents
the same list and a test keeps the two in step.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from timeline_sim.engine.calendar import Calendar

#: Every event kind declared so far, with what it means and what its ``value`` holds.
EVENT_KINDS: dict[str, str] = {
    # inputs: dated facts of the case, never outcomes
    "talks_launched": "input: formal negotiations open on a track (value: none)",
    "summit": "input: a leaders' or ministers' meeting that acts as a deadline for the talks",
    "election": "input: a legislative election on the calendar",
    "session_opens": "input: a legislative session opens (votes can only be held in session)",
    "session_closes": "input: a legislative session closes",
    "shock": "input: an exogenous shock changes parameters of one side (value: size)",
}


def declare_event_kinds(kinds: dict[str, str]) -> None:
    """Declare a model family's event kinds; a kind declared twice must mean the same."""
    for kind, text in kinds.items():
        if EVENT_KINDS.get(kind, text) != text:
            raise ValueError(f"event kind {kind!r} is already declared with another meaning")
        EVENT_KINDS[kind] = text


@dataclass
class EventLog:
    """Append-only list of events of one run."""

    records: list[tuple[float, str, str, str, float, str]] = field(default_factory=list)

    def emit(
        self,
        t: float,
        track: str,
        actor: str,
        event: str,
        value: float = math.nan,
        detail: str = "",
    ) -> None:
        """Record one event; ``event`` must be a declared kind."""
        if event not in EVENT_KINDS:
            raise KeyError(f"undeclared event kind {event!r}")
        self.records.append((float(t), track, actor, event, float(value), detail))

    def to_frame(self, calendar: Calendar, run_id: int = 0) -> pd.DataFrame:
        """The tidy event table, ordered by time then by order of emission."""
        frame = pd.DataFrame(
            self.records, columns=["t", "track", "actor", "event", "value", "detail"]
        )
        frame.insert(0, "run_id", run_id)
        frame.insert(2, "date", [calendar.iso(t) for t in frame["t"]])
        return frame.sort_values("t", kind="stable").reset_index(drop=True)

    def first(self, track: str, event: str) -> float | None:
        """Time of the first ``event`` on ``track``, or None."""
        for t, trk, _actor, kind, _value, _detail in self.records:
            if trk == track and kind == event:
                return t
        return None

    def count(self, track: str, event: str) -> int:
        """Number of ``event`` records on ``track``."""
        return sum(1 for r in self.records if r[1] == track and r[3] == event)


@dataclass
class StateRecorder:
    """Samples of smoothly evolving state (pressure, mobilisation, resistance points)."""

    records: list[tuple[float, str, str, float]] = field(default_factory=list)

    def record(self, t: float, track: str, series: str, value: float) -> None:
        """Record the value of ``series`` on ``track`` at time ``t``."""
        self.records.append((float(t), track, series, float(value)))

    def to_frame(self, calendar: Calendar, run_id: int = 0) -> pd.DataFrame:
        """The tidy state table: ``run_id, t, date, track, series, value``."""
        frame = pd.DataFrame(self.records, columns=["t", "track", "series", "value"])
        frame.insert(0, "run_id", run_id)
        frame.insert(2, "date", [calendar.iso(t) for t in frame["t"]])
        return frame.sort_values(["series", "track", "t"], kind="stable").reset_index(drop=True)


def event_kinds_markdown() -> str:
    """The table of event kinds for ``docs/events.md`` (``python -m timeline_sim.log``)."""
    lines = [
        "# Event kinds",
        "",
        "Generated from `EVENT_KINDS` (`timeline_sim/engine/events.py` and each model's declarations)",
        "by `python -m timeline_sim.cli.docs`; a test checks that every kind is listed here.",
        "",
        "Every run produces one tidy event table with the columns:",
        "",
        "| column | meaning |",
        "|---|---|",
        "| `run_id` | replication number within a study (0 for a replay) |",
        "| `t` | simulation time in days since the case's `start_date` |",
        "| `date` | calendar date of `t` (ISO) |",
        "| `track` | the negotiation (e.g. `chile`, `autos_1995`), or `domestic` for country-wide state |",
        "| `actor` | who acts: a government, a legislature, negotiators, a lobby |",
        "| `event` | the kind, one of those below |",
        "| `value` | a number whose meaning depends on the kind (below); empty if none |",
        "| `detail` | free text; for inputs it ends with `[source: ...]` |",
        "",
        "Kinds marked *input* are dated facts of the case file; every other kind is an",
        "outcome of the run.",
        "",
        "| kind | meaning (and value) |",
        "|---|---|",
    ]
    lines += [f"| `{kind}` | {text} |" for kind, text in EVENT_KINDS.items()]
    lines += [
        "",
        "## State trajectories",
        "",
        "`states.csv` holds `run_id, t, date, track, series, value`, sampled whenever an event",
        "changes a smoothly evolving quantity (which is computed in closed form between events):",
        "",
        "| series | meaning |",
        "|---|---|",
        "| `business_pressure` | the country's 'get into the FTA game' pressure (track `domestic`) |",
        "| `farm_mobilisation` | farmers' mobilisation against one agreement |",
        "| `home_resistance` | the home government's resistance point (largest concession share it accepts) |",
        "| `home_offer` | the home side's offer after a round (concession share) |",
        "| `partner_demand` | the partner's demand after a round (concession share) |",
        "| `initiator_value`, `target_value` | each side's prospect-theory value of its position (disputes) |",
    ]
    return "\n".join(lines) + "\n"
