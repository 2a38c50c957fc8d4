"""Opposed sectors' mobilisation against an agreement, and the protests it produces.

One process for every opposed sector, farmers being one instance (paper 000:
Korean farmers "reacted angrily to the agreement", mounted "massive
demonstrations" that "thwarted at least three attempts to ratify", and were
placated by escalating side payments). Mobilisation jumps with the grievance a
conclusion, a signature or a scheduled vote brings, and decays exponentially
between jumps, so it is a closed-form function of time evaluated only when an
event needs it; protests are drawn exactly from that closed form.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import simpy

from timeline_sim.engine.streams import BufferedDraws
from timeline_sim.engine.waking import wake
from timeline_sim.models.fta.protocol import FtaState
from timeline_sim.models.fta.state import SectorState

#: Sector kinds whose mobilisation the ``farm_lobby`` switch governs; ``sector_lobbies`` the rest.
FARM_KINDS = ("farm", "fishery")


def series_name(sector: SectorState, home: str) -> str:
    """The state series of a sector's mobilisation (``farm_mobilisation`` for home farmers)."""
    base = "farm_mobilisation" if sector.kind in FARM_KINDS else "sector_mobilisation"
    return base if sector.party == home else f"{sector.party}:{base}"


def lobby_name(sector: SectorState) -> str:
    """The actor a sector's acts are logged under."""
    return "farm lobby" if sector.kind in FARM_KINDS else f"{sector.name} lobby"


class SectorMobilisation:
    """A sector's mobilisation against one agreement; decays exponentially between jumps."""

    def __init__(self, world: FtaState, track: str, sector: SectorState):
        self.world = world
        self.track = track
        self.sector = sector
        self.series = series_name(sector, world.case.home)
        self.actor = lobby_name(sector)
        self.decay_days = world.params.farm.decay_days
        self.t0 = 0.0
        self.level0 = 0.0
        self.watchers: list[simpy.Process] = []  # processes to wake when mobilisation jumps
        switches = world.params.mechanisms
        self.enabled = switches.farm_lobby if sector.kind in FARM_KINDS else switches.sector_lobbies

    def level(self, t: float) -> float:
        """Mobilisation at time ``t``."""
        return self.level0 * math.exp(-(t - self.t0) / self.decay_days)

    def _rebase(self, t: float, level: float) -> None:
        self.t0, self.level0 = t, level
        self.world.states.record(t, self.track, self.series, level)
        wake(self.world.env, self.watchers)

    def jump(self, t: float, amount: float, why: str) -> None:
        """Mobilisation rises by ``amount`` (a conclusion, a signature, a vote)."""
        if not self.enabled or amount <= 0:
            return
        before = self.level(t)
        self.world.states.record(t, self.track, self.series, before)
        self._rebase(t, before + amount)
        self.world.log.emit(t, self.track, self.actor, "mobilisation", before + amount, why)

    def scale(self, t: float, factor: float) -> None:
        """Mobilisation is multiplied by ``factor`` (compensation placates the sector)."""
        if not self.enabled:
            return
        before = self.level(t)
        self.world.states.record(t, self.track, self.series, before)
        self._rebase(t, before * factor)


def stage_protests(world: FtaState, mobilisation: SectorMobilisation, active: Callable[[], bool]):
    """The sector protests at a rate proportional to its mobilisation, with crowds to match.

    Protests form an inhomogeneous Poisson process with rate
    ``protest_rate * M(t)``. Between jumps M decays exponentially, so the
    cumulative rate has a closed form and the next protest time is drawn exactly
    by inverting it: with ``L0 = protest_rate * M(now)`` and decay time ``tau``,
    a unit exponential ``E`` gives the wait ``-tau * ln(1 - E / (L0 * tau))``, or no
    further protest at all if ``E >= L0 * tau``. A jump in mobilisation
    interrupts the wait and the draw starts again. ``active()`` is false once
    the sector's party has ratified.
    """
    env = world.env
    farm = world.params.farm
    tau = mobilisation.decay_days
    sector = mobilisation.sector
    stream = f"{mobilisation.track}/protests"
    if sector.party != world.case.home or sector.kind not in FARM_KINDS:
        stream = f"{mobilisation.track}/{sector.party}/{sector.name}/protests"
    draws = BufferedDraws(world.streams.get(stream))
    mobilisation.watchers.append(env.active_process)
    # protests are the most frequent event of a run: names bound once, text built once
    emit, level_at, timeout, track, actor = (
        world.log.emit,
        mobilisation.level,
        env.timeout,
        mobilisation.track,
        mobilisation.actor,
    )
    rate_scale, size = farm.protest_rate * tau, farm.protest_size
    who = "farmers" if sector.kind in FARM_KINDS else sector.name
    detail = f"{who} rally against the {world.track_label(track)}"
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
        emit(env.now, track, actor, "protest", round(crowd), detail)
    mobilisation.watchers.remove(env.active_process)
