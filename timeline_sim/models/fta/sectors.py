"""Opposed sectors' mobilisation against an agreement, and the protests it produces.

One process for every opposed sector, farmers being one instance (paper 000:
Korean farmers "reacted angrily to the agreement", mounted "massive
demonstrations" that "thwarted at least three attempts to ratify", and were
placated by escalating side payments). Mobilisation jumps with the grievance a
conclusion, a signature or a scheduled vote brings, and decays exponentially
between jumps, so it is a closed-form function of time evaluated only when an
event needs it; protests are drawn exactly from that closed form once the run
is over (they act on nothing else).
"""

from __future__ import annotations

import math

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
        self.stretches: list[tuple[float, float]] = []  # (start, level then) of each stretch
        self.watchers: list[simpy.Process] = []  # processes to wake when mobilisation jumps
        switches = world.params.mechanisms
        self.enabled = switches.farm_lobby if sector.kind in FARM_KINDS else switches.sector_lobbies

    def level(self, t: float) -> float:
        """Mobilisation at time ``t``."""
        return self.level0 * math.exp(-(t - self.t0) / self.decay_days)

    def _rebase(self, t: float, level: float) -> None:
        self.t0, self.level0 = t, level
        self.stretches.append((t, level))
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


def stage_protests(world: FtaState, mobilisation: SectorMobilisation, until: float) -> None:
    """The sector's protests up to ``until`` (its party's ratification, or the end of the run).

    Protests do not act on anything else in a run, so they are drawn once the run is
    over, from the mobilisation trajectory it recorded, rather than as events of the
    simulation. They form an inhomogeneous Poisson process with rate
    ``protest_rate * M(t)``; between jumps M decays exponentially from ``M0``, so the
    cumulative rate has a closed form and each protest time is drawn exactly by
    inverting it: with ``L0 = protest_rate * M0`` and decay time ``tau``, a unit
    exponential ``E`` gives the wait ``-tau * ln(1 - E / (L0 * tau))``, or no further
    protest in that stretch if the wait would pass its end. Crowds are about
    ``protest_size * M`` (lognormal noise).
    """
    farm = world.params.farm
    tau = mobilisation.decay_days
    sector = mobilisation.sector
    stream = f"{mobilisation.track}/protests"
    if sector.party != world.case.home or sector.kind not in FARM_KINDS:
        stream = f"{mobilisation.track}/{sector.party}/{sector.name}/protests"
    draws = BufferedDraws(world.streams.get(stream))
    emit, track, actor = world.log.emit, mobilisation.track, mobilisation.actor
    who = "farmers" if sector.kind in FARM_KINDS else sector.name
    detail = f"{who} rally against the {world.track_label(track)}"
    rate, size = farm.protest_rate, farm.protest_size
    stretches = mobilisation.stretches + [(until, 0.0)]
    for (start, level0), (end, _next) in zip(stretches, stretches[1:], strict=False):
        end = min(end, until)
        t = start
        while level0 > 0 and t < end:
            left = rate * level0 * math.exp(-(t - start) / tau) * tau  # expected protests to come
            draw = draws.exponential()
            if draw >= left:
                break
            t -= tau * math.log(1.0 - draw / left)
            if t >= end:
                break
            level = level0 * math.exp(-(t - start) / tau)
            emit(
                t,
                track,
                actor,
                "protest",
                round(size * level * math.exp(0.3 * draws.normal())),
                detail,
            )
        if start >= until:
            break
