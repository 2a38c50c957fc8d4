"""Farmers' mobilisation against an agreement and the protests it produces.

Mobilisation decays exponentially between jumps (a conclusion, a signature, a
vote on the agenda), so it is a closed-form function of time, evaluated only
when an event needs it; protests are drawn exactly from that closed form.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import simpy

from timeline_sim.engine.streams import BufferedDraws
from timeline_sim.engine.waking import wake
from timeline_sim.models.fta.protocol import FtaState


class FarmMobilisation:
    """Farmers' mobilisation against one agreement; decays exponentially between jumps.

    Paper 000: farmers "reacted angrily to the agreement", mounted "massive
    demonstrations" that "thwarted at least three attempts to ratify", and were
    placated by escalating side payments.
    """

    def __init__(self, world: FtaState, track: str):
        self.world = world
        self.track = track
        self.decay_days = world.params.farm.decay_days
        self.t0 = 0.0
        self.level0 = 0.0
        self.watchers: list[simpy.Process] = []  # processes to wake when mobilisation jumps
        self.enabled = world.params.mechanisms.farm_lobby

    def level(self, t: float) -> float:
        """Mobilisation at time ``t``."""
        return self.level0 * math.exp(-(t - self.t0) / self.decay_days)

    def _rebase(self, t: float, level: float) -> None:
        self.t0, self.level0 = t, level
        self.world.states.record(t, self.track, "farm_mobilisation", level)
        wake(self.world.env, self.watchers)

    def jump(self, t: float, amount: float, why: str) -> None:
        """Mobilisation rises by ``amount`` (a conclusion, a signature, a vote)."""
        if not self.enabled or amount <= 0:
            return
        before = self.level(t)
        self.world.states.record(t, self.track, "farm_mobilisation", before)
        self._rebase(t, before + amount)
        self.world.log.emit(t, self.track, "farm lobby", "mobilisation", before + amount, why)

    def scale(self, t: float, factor: float) -> None:
        """Mobilisation is multiplied by ``factor`` (compensation placates farmers)."""
        if not self.enabled:
            return
        before = self.level(t)
        self.world.states.record(t, self.track, "farm_mobilisation", before)
        self._rebase(t, before * factor)


def stage_protests(world: FtaState, mobilisation: FarmMobilisation, active: Callable[[], bool]):
    """Farmers protest at a rate proportional to mobilisation, with crowds to match.

    Protests form an inhomogeneous Poisson process with rate
    ``protest_rate * M(t)``. Between jumps M decays exponentially, so the
    cumulative rate has a closed form and the next protest time is drawn exactly
    by inverting it: with ``L0 = protest_rate * M(now)`` and decay time ``tau``,
    a unit exponential ``E`` gives the wait ``-tau * ln(1 - E / (L0 * tau))``, or no
    further protest at all if ``E >= L0 * tau``. A jump in mobilisation
    interrupts the wait and the draw starts again. ``active()`` is false once
    the agreement is ratified.
    """
    env = world.env
    farm = world.params.farm
    tau = mobilisation.decay_days
    draws = BufferedDraws(world.streams.get(f"{mobilisation.track}/protests"))
    mobilisation.watchers.append(env.active_process)
    # protests are the most frequent event of a run: names bound once, text built once
    emit, level_at, timeout, track = (
        world.log.emit,
        mobilisation.level,
        env.timeout,
        mobilisation.track,
    )
    rate_scale, size = farm.protest_rate * tau, farm.protest_size
    detail = f"farmers rally against the {world.track_label(track)}"
    while active():
        total = rate_scale * level_at(env.now)  # protests still to come if nothing changes
        draw = draws.exponential()
        try:
            if draw >= total:
                yield env.event()  # no protest before mobilisation jumps again
            yield timeout(-tau * math.log(1.0 - draw / total))
        except simpy.Interrupt:
            continue
        if not active():
            break
        crowd = size * level_at(env.now) * math.exp(0.3 * draws.normal())
        emit(env.now, track, "farm lobby", "protest", round(crowd), detail)
    mobilisation.watchers.remove(env.active_process)
