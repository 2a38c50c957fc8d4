"""The milestones (dates) and outcomes of every track of a finished FTA run."""

from __future__ import annotations

from typing import Any

from timeline_sim.models.fta.protocol import FtaState
from timeline_sim.models.fta.terms import deal_terms


def summarise(world: FtaState) -> dict[str, dict[str, Any]]:
    """Milestones (ISO dates or None) and outcomes of every track, as the replay JSON has them."""
    iso = world.calendar.iso
    out: dict[str, dict[str, Any]] = {}
    for name, state in world.tracks.items():
        failed = [
            t
            for t, trk, _a, kind, _v, _d in world.log.records
            if trk == name and kind in ("vote_failed", "vote_blocked")
        ]
        protests = [
            v for _t, trk, _a, kind, v, _d in world.log.records if trk == name and kind == "protest"
        ]
        breakdown = world.log.first(name, "breakdown")

        def date(t: float | None) -> str | None:
            return None if t is None else iso(t)

        delay = None
        if state.ratified_at is not None and state.signed_at is not None:
            delay = state.ratified_at - state.signed_at
        issue = world.case.tracks[name].issue
        terms = deal_terms(issue, state.concession) if state.concession is not None else None
        out[name] = {
            "milestones": {
                "talks_launched": date(state.talks_start),
                "breakdown": date(breakdown),
                "concluded": date(state.concluded_at),
                "signed": date(state.signed_at),
                "submitted": date(state.submitted_at),
                "committee_passed": date(world.log.first(name, "committee_passed")),
                "ratified_lower": date(state.lower_passed_at),
                "ratified": date(state.ratified_at),
            },
            "outcomes": {
                "talks_days": None
                if state.concluded_at is None or state.talks_start is None
                else round(state.concluded_at - state.talks_start, 1),
                "ratification_delay_days": None if delay is None else round(delay, 1),
                "failed_votes": state.failed_votes,
                "failed_vote_dates": [iso(t) for t in failed],
                "side_payments_usd": round(state.side_payments_usd, 0),
                "side_payment_raises": state.side_payment_raises,
                "concession": None if state.concession is None else round(state.concession, 4),
                "terms_value": None if terms is None else round(terms["value"], 1),
                "terms_unit": issue.unit,
                "products_liberalised": None if terms is None else terms["products_liberalised"],
                "breakdowns": world.log.count(name, "breakdown"),
                "protests": len(protests),
                "largest_protest": max(protests) if protests else 0,
                "stuck": state.stuck,
            },
        }
    return out
