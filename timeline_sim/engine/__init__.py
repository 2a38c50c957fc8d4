"""The engine: time and dates, the event log, random streams, running one replication.

It knows no model: model families register their simulators and event kinds
with it (:func:`timeline_sim.engine.runner.register_model`,
:func:`timeline_sim.engine.events.declare_event_kinds`).
"""
