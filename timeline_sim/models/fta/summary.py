"""The milestones (dates) and outcomes of every track of a finished FTA run.

Per track: the agreement's milestones and the home party's (as the seed cases
speak of them: ``submitted``, ``committee_passed``, ``ratified_lower``,
``ratified``), its outcomes, and under ``parties`` every party's own
milestones, chambers passed and outcomes.
"""

from __future__ import annotations

from typing import Any

from timeline_sim.models.fta.protocol import FtaState
from timeline_sim.models.fta.state import PartyRecord
from timeline_sim.models.fta.terms import deal_terms


def _party_summary(world: FtaState, record: PartyRecord) -> dict[str, Any]:
    iso = world.calendar.iso

    def date(t: float | None) -> str | None:
        return None if t is None else iso(t)

    return {
        "milestones": {
            "submitted": date(record.submitted_at),
            "committee_passed": date(record.committee_passed_at),
            "court_approved": date(record.court_approved_at),
            "referendum_held": date(record.referendum_at),
            "ratified": date(record.ratified_at),
        },
        "chambers": {chamber: iso(t) for chamber, t in record.chambers_passed.items()},
        "outcomes": {
            "failed_votes": record.failed_votes,
            "failed_vote_dates": [iso(t) for t in record.failed_vote_times],
            "side_payments_usd": round(record.side_payments_usd, 0),
            "side_payment_raises": record.side_payment_raises,
            "held_days": round(record.held_days, 1),
            "fast_track": int(record.under_fast_track),
            "stuck": record.stuck,
        },
    }


def summarise(world: FtaState) -> dict[str, dict[str, Any]]:
    """Milestones (ISO dates or None) and outcomes of every track, as the replay JSON has them."""
    iso = world.calendar.iso
    # one pass over the log for what the summary counts: protests' sizes, breakdowns' times
    protests_of: dict[str, list[float]] = {name: [] for name in world.tracks}
    breakdowns_of: dict[str, list[float]] = {name: [] for name in world.tracks}
    for t, trk, _a, kind, v, _d in world.log.records:
        if kind == "protest":
            if trk in protests_of:
                protests_of[trk].append(v)
        elif kind == "breakdown" and trk in breakdowns_of:
            breakdowns_of[trk].append(t)
    out: dict[str, dict[str, Any]] = {}
    for name, state in world.tracks.items():
        home = state.home_record
        protests = protests_of[name]
        breakdowns = breakdowns_of[name]

        def date(t: float | None) -> str | None:
            return None if t is None else iso(t)

        def since_signature(
            t: float | None, signed: float | None = state.signed_at
        ) -> float | None:
            return None if t is None or signed is None else round(t - signed, 1)

        issue = world.case.tracks[name].issue
        terms = deal_terms(issue, state.concession) if state.concession is not None else None
        chambers = [] if home.code not in world.parties else list(world.parties[home.code].chambers)
        lower = home.chambers_passed.get(chambers[0]) if len(chambers) > 1 else None
        parties = {code: _party_summary(world, record) for code, record in state.parties.items()}
        out[name] = {
            "milestones": {
                "talks_launched": date(state.talks_start),
                "breakdown": date(breakdowns[0] if breakdowns else None),
                "concluded": date(state.concluded_at),
                "signed": date(state.signed_at),
                "submitted": date(home.submitted_at),
                "committee_passed": date(home.committee_passed_at),
                "ratified_lower": date(lower),
                "ratified": date(home.ratified_at),
                "renegotiation_opened": date(state.renegotiation_opened_at),
                "renegotiated": date(state.renegotiated_at),
                "notes_exchanged": date(state.notes_at),
                "entry_into_force": date(state.in_force_at),
            },
            "outcomes": {
                "talks_days": None
                if state.concluded_at is None or state.talks_start is None
                else round(state.concluded_at - state.talks_start, 1),
                "ratification_delay_days": since_signature(home.ratified_at),
                "entry_into_force_delay_days": since_signature(state.in_force_at),
                "failed_votes": home.failed_votes,
                "failed_vote_dates": [iso(t) for t in home.failed_vote_times],
                "side_payments_usd": round(home.side_payments_usd, 0),
                "side_payment_raises": home.side_payment_raises,
                "concession": None if state.concession is None else round(state.concession, 4),
                "terms_value": None if terms is None else round(terms["value"], 1),
                "terms_unit": issue.unit,
                "products_liberalised": None if terms is None else terms["products_liberalised"],
                "breakdowns": len(breakdowns),
                "renegotiations": state.renegotiations,
                "protests": len(protests),
                "largest_protest": max(protests) if protests else 0,
                "stuck": home.stuck,
            },
            "parties": parties,
        }
    return out
