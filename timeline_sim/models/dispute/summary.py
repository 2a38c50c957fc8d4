"""The milestones (dates) and outcomes of every episode of a finished dispute run."""

from __future__ import annotations

from typing import Any

from timeline_sim.models.dispute.protocol import DisputeState


def summarise(world: DisputeState) -> dict[str, dict[str, Any]]:
    """Milestones (ISO dates or None) and outcomes of every track."""
    out: dict[str, dict[str, Any]] = {}

    def date(t: float | None) -> str | None:
        return None if t is None else world.calendar.iso(t)

    for name, ep in world.tracks.items():
        us_share = ep.us.claiming_share()
        them_share = ep.them.claiming_share()
        out[name] = {
            "milestones": {
                "talks_launched": date(ep.talks_start),
                "section_301": date(ep.section_301_at),
                "wto_referral": date(world.log.first(name, "wto_referral")),
                "sanctions_list": date(ep.list_at),
                "wto_complaint": date(world.log.first(name, "wto_complaint")),
                "counter_sanctions": date(world.log.first(name, "counter_sanctions")),
                "agreement": date(ep.agreed_at),
            },
            "outcomes": {
                "deadlines_missed": ep.deadlines_missed,
                "deadlines_extended": world.log.count(name, "deadline_extended"),
                "sanctions_imposed": int(ep.sanctions_imposed),
                "market_access": None if ep.market_access is None else round(ep.market_access, 4),
                "share_of_demand_met": None
                if ep.agreed_share is None
                else round(ep.agreed_share, 4),
                "days_before_deadline": None
                if ep.days_before_deadline is None
                else round(ep.days_before_deadline, 2),
                "value_claiming_share": None if us_share is None else round(us_share, 3),
                "target_value_claiming_share": None if them_share is None else round(them_share, 3),
                "initiator_strategy": ep.us.strategy,
                "target_strategy": ep.them.strategy,
                "initiator_value": round(world.value_of(ep.us), 2),
                "target_value": round(world.value_of(ep.them), 2),
            },
        }
    return out
