"""The tidy event log and the state trajectories of one run.

A run appends plain tuples while it runs and turns them into one DataFrame at the
end (``run_id, t, date, track, actor, event, value, detail``). Every event kind
that a process may emit is declared in :data:`EVENT_KINDS`; ``docs/events.md``
documents the same list and a test keeps the two in step.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from timeline_sim.calendar import Calendar

#: Every event kind, with what it means and what its ``value`` holds.
EVENT_KINDS: dict[str, str] = {
    # inputs: dated facts of the case, never outcomes
    "talks_launched": "input: formal negotiations open on a track (value: none)",
    "summit": "input: a leaders' or ministers' meeting that acts as a deadline for the talks",
    "election": "input: a legislative election on the calendar",
    "session_opens": "input: a legislative session opens (votes can only be held in session)",
    "session_closes": "input: a legislative session closes",
    "shock": "input: an exogenous shock changes parameters of one side (value: size)",
    # business lobby
    "pressure_relieved": "business 'get into the FTA game' pressure falls after an agreement "
    "(value: pressure after relief)",
    "lobbying_act": "the business lobby acts in public: a report, a statement or letters to every "
    "legislator (value: pressure when it acts)",
    # negotiation rounds
    "round": "a negotiating round (value: share of the text agreed after it)",
    "offer": "a side's position on the sensitive issue after a round (value: concession share "
    "offered by the home side, or demanded by the partner)",
    "stall": "offers stop converging: the home side is at its resistance point and the partner "
    "still demands more (value: gap between demand and offer)",
    "breakdown": "a summit passes with no deal while talks are stalled; talks are suspended "
    "(value: gap between demand and offer)",
    "talks_resumed": "talks resume after a breakdown",
    "concluded": "the negotiators agree: offers crossed and the text is complete "
    "(value: concession share on the sensitive issue)",
    "signed": "the agreement is signed (value: concession share)",
    # farm lobby
    "mobilisation": "the farm lobby's mobilisation jumps (value: mobilisation after the jump)",
    "protest": "a farmers' protest (value: number of protesters)",
    # ratification
    "submitted": "the government submits the agreement to the legislature",
    "committee_stalled": "the committee reviews the bill and does not report it "
    "(value: support margin)",
    "committee_passed": "the committee reports the bill to the floor (value: support margin)",
    "vote_scheduled": "a plenary vote is put on the agenda (value: days ahead)",
    "vote_blocked": "a scheduled vote is blocked: obstruction, filibuster or procedural delay "
    "(value: probability it was blocked)",
    "vote_failed": "a vote is held and fails (value: share of members present voting yes)",
    "vote_passed": "a vote is held and passes (value: share of members present voting yes)",
    "ratified": "the legislature approves the agreement (value: yes votes)",
    "side_payment_offered": "the government offers or raises compensation to farmers "
    "(value: total offer in US dollars)",
    # trade disputes (paper 001; timeline_sim.dispute)
    "deadline": "input: a statutory or announced deadline on the calendar (Super 301 date, benchmark)",
    "strategy_chosen": "a side classifies its domain and (re)chooses value creating or claiming "
    "(value: Kahneman-Tversky value of its position)",
    "off_record_talks": "value creating: low-key working-level talks (value: side's value)",
    "public_demand": "value claiming: public demand for numerical targets (value: side's value)",
    "harsh_statement": "value claiming: harsh statement, blame or counter-threat (value: side's value)",
    "deadline_set": "value claiming: the initiator commits in public to a deadline (value: side's value)",
    "section_301": "value claiming: a Section 301 case opens its one-year clock (value: side's value)",
    "wto_referral": "value claiming: the initiator announces a WTO case (value: side's value)",
    "sanctions_list": "value claiming: a sanctions list is published with an effective date "
    "(value: side's value)",
    "wto_complaint": "target's reply: it takes the initiator to the WTO (value: side's value)",
    "counter_sanctions": "target's reply: a counter-sanctions list (value: side's value)",
    "accommodation": "target's reply: it accommodates, promising to address the complaints "
    "(value: side's value)",
    "deadline_missed": "a deadline passes without agreement; the initiator's losses deepen",
    "deadline_extended": "a threat deadline is moved to allow more time (value: days added)",
    "sanctions_imposed": "the listed sanctions take effect: the threat is carried out",
    "agreement": "the dispute ends in agreement (value: market access, cosmetic deals score low)",
}


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
        "Generated from `EVENT_KINDS` in `timeline_sim/log.py` by `python -m timeline_sim.log`;",
        "a test checks that every kind is listed here.",
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


if __name__ == "__main__":
    print(event_kinds_markdown(), end="")
