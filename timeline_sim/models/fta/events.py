"""The event kinds of the FTA model (declared with the engine when imported)."""

from timeline_sim.engine.events import declare_event_kinds

FTA_EVENT_KINDS: dict[str, str] = {
    # inputs of the parties' calendars
    "presidential_election": "input: a presidential election on a party's calendar",
    "authority_granted": "input: a fast-track authority comes into force",
    "authority_expired": "input: a fast-track authority expires",
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
    "ratified": "a party completes its ratification (its legislature, cabinet or court has "
    "approved; detail: which party)",
    "side_payment_offered": "the government offers or raises compensation to farmers "
    "(value: total offer in US dollars)",
    # every party's route
    "held_back": "the executive holds the agreement back: a vote would likely fail "
    "(value: expected support margin, logit units)",
    "cabinet_approved": "a cabinet, decree or head of state approves the agreement",
    "court_review_started": "a constitutional court starts its review of the agreement",
    "court_approved": "the court finds the agreement constitutional",
    "referendum_called": "opponents force a referendum (value: probability they would)",
    "referendum_period_ended": "the period for demanding a referendum ends with none called "
    "(value: probability one would have been)",
    "referendum_held": "voters approve the agreement (value: share voting yes)",
    "referendum_failed": "voters reject the agreement (value: share voting yes)",
    "implementation_certified": "implementing measures are certified complete",
    "renegotiation_opened": "the parties reopen the signed terms (value: days since signature)",
    "renegotiated": "a protocol amending the terms is signed; every party ratifies it "
    "(value: concession share after the protocol)",
    "notes_exchanged": "the parties notify each other that ratification is complete",
    "entry_into_force": "the agreement enters into force under its clause",
}

declare_event_kinds(FTA_EVENT_KINDS)
