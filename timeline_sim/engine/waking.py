"""Waking processes that wait on a smoothly evolving quantity.

A process that must act when a quantity reaches a level computes the crossing
time and waits for it; when an event re-bases the quantity, the process is
interrupted and computes again. Interrupts are cheaper than condition events
for the handful of watchers a quantity has.
"""

from __future__ import annotations

import simpy


def wake(env: simpy.Environment, watchers: list[simpy.Process]) -> None:
    """Interrupt every waiting watcher (not the process doing the waking)."""
    for process in watchers:
        if process.is_alive and process is not env.active_process:
            process.interrupt("state changed")
