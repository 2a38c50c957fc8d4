"""The tactics of value claiming and value creating, and how much each threatens (paper 001).

Claiming is a ladder of tactics in order of risk; each threat of the initiator
puts a share of the target's stake at risk, each counter-threat of the target
deepens the initiator's losses.
"""

from __future__ import annotations

from timeline_sim.models.params import DisputeParams

INITIATOR = "initiator"
TARGET = "target"

#: The initiator's ladder of value-claiming tactics, in order of risk.
US_LADDER = (
    "public_demand",
    "harsh_statement",
    "deadline_set",
    "section_301",
    "wto_referral",
    "sanctions_list",
)
CLAIMING_TACTICS = frozenset(US_LADDER + ("wto_complaint", "counter_sanctions"))
CREATING_TACTICS = frozenset(("off_record_talks", "accommodation"))

#: How much a target's counter-threat deepens the initiator's losses (weight x counter_threat_loss).
COUNTER_WEIGHT = {"harsh_statement": 0.5, "wto_complaint": 1.0, "counter_sanctions": 1.5}


def threat_weight(tactic: str, p: DisputeParams) -> float:
    """Share of the target's stake put at risk by an initiator tactic."""
    return {
        "public_demand": p.threat_weight_demand,
        "harsh_statement": p.threat_weight_statement,
        "deadline_set": p.threat_weight_deadline,
        "section_301": p.threat_weight_301,
        "wto_referral": p.threat_weight_wto,
        "sanctions_list": p.threat_weight_list,
    }.get(tactic, 0.0)
