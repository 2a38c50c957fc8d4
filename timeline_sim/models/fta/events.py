"""The event kinds of the FTA model (declared with the engine when imported)."""

from timeline_sim.engine.events import declare_event_kinds

FTA_EVENT_KINDS: dict[str, str] = {
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
}

declare_event_kinds(FTA_EVENT_KINDS)
