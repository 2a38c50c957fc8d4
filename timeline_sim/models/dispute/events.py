"""The event kinds of the dispute model (declared with the engine when imported)."""

from timeline_sim.engine.events import declare_event_kinds

DISPUTE_EVENT_KINDS: dict[str, str] = {
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

declare_event_kinds(DISPUTE_EVENT_KINDS)
