"""A country's domestic state: business pressure and farm mobilisation.

Both quantities evolve smoothly between events, so neither is ticked day by day:
each is a closed-form function of time, re-based when an event changes it, and
evaluated only when a process needs it. Processes that must act when a level
is reached compute the crossing time and wait for it, or for the next change,
whichever comes first.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING

import simpy

if TYPE_CHECKING:  # pragma: no cover
    from timeline_sim.fta import FtaWorld

DOMESTIC = "domestic"


class BusinessPressure:
    """Business 'get into the FTA game' pressure on one country's government.

    Paper 000 ('A Model for Interpreting These Cases'): pressure builds while the
    country has no FTA, "as time continues to pass without a concluded FTA", and
    an FTA concluded "diminishes a key source of domestic pressure". Pressure
    grows linearly while no FTA is ratified, is partly relieved at a conclusion
    and mostly relieved at ratification, after which it grows more slowly: the
    country is in the game.
    """

    def __init__(self, world: FtaWorld):
        self.world = world
        params = world.params.pressure
        self.growth = (
            params.growth_per_year / 365.0 if world.params.mechanisms.pressure_growth else 0.0
        )
        self.t0 = 0.0
        self.level0 = 0.0
        self.watchers: list[simpy.Process] = []  # processes to wake when pressure is re-based
        self.concluded = 0
        self.ratified = 0

    def level(self, t: float) -> float:
        """Pressure at time ``t`` (not before the last re-basing)."""
        return self.level0 + self.growth * (t - self.t0)

    def _rebase(self, t: float, level: float, growth: float) -> None:
        self.t0, self.level0, self.growth = t, level, growth
        self.world.states.record(t, DOMESTIC, "business_pressure", level)
        _wake(self.world.env, self.watchers)

    def relieve(
        self, t: float, track: str, fraction: float, growth_factor: float, why: str
    ) -> None:
        """An agreement relieves pressure by ``fraction`` and scales its growth."""
        before = self.level(t)
        self.world.states.record(t, DOMESTIC, "business_pressure", before)
        after = before * (1.0 - fraction)
        self._rebase(t, after, self.growth * growth_factor)
        self.world.log.emit(
            t,
            track,
            "business lobby",
            "pressure_relieved",
            after,
            f"{why}: {before:.2f} -> {after:.2f}",
        )

    def on_concluded(self, t: float, track: str) -> None:
        """A concluded FTA shows the country is getting into the game."""
        self.concluded += 1
        self.relieve(t, track, self.world.params.pressure.conclusion_relief, 1.0, "FTA concluded")

    def on_ratified(self, t: float, track: str) -> None:
        """A ratified FTA puts the country in the game: relief, and slower growth after."""
        self.ratified += 1
        params = self.world.params.pressure
        self.relieve(t, track, params.ratification_relief, params.growth_after_fta, "FTA ratified")


def lobby_for_agreements(world: FtaWorld, describe: Callable[[float], tuple[str, str]]):
    """The business lobby acts in public each time its pressure climbs another step.

    ``describe(t)`` names the track concerned and the form of the act (a report
    and public statements while talks go on; letters to every legislator while an
    agreement awaits ratification). Acts are emitted when pressure is high, never
    from a historical date.
    """
    env, pressure = world.env, world.pressure
    pressure.watchers.append(env.active_process)
    step = world.params.pressure.lobby_step
    next_level = step
    while True:
        level = pressure.level(env.now)
        if level >= next_level - 1e-9:
            track, form = describe(env.now)
            world.log.emit(env.now, track, "business lobby", "lobbying_act", level, form)
            world.states.record(env.now, DOMESTIC, "business_pressure", level)
            next_level += step
            continue
        if level < next_level - 2 * step:  # pressure was relieved: act again from one step above
            next_level = (math.floor(level / step) + 1) * step
        try:
            if pressure.growth <= 0:
                yield env.event()  # nothing to wait for until pressure is re-based
            else:
                yield env.timeout((next_level - level) / pressure.growth)
        except simpy.Interrupt:
            continue


class FarmMobilisation:
    """Farmers' mobilisation against one agreement; decays exponentially between jumps.

    Paper 000: farmers "reacted angrily to the agreement", mounted "massive
    demonstrations" that "thwarted at least three attempts to ratify", and were
    placated by escalating side payments.
    """

    def __init__(self, world: FtaWorld, track: str):
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
        _wake(self.world.env, self.watchers)

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


def stage_protests(world: FtaWorld, mobilisation: FarmMobilisation, active: Callable[[], bool]):
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


def _wake(env: simpy.Environment, watchers: list[simpy.Process]) -> None:
    """Interrupt every waiting watcher (not the process doing the waking)."""
    for process in watchers:
        if process.is_alive and process is not env.active_process:
            process.interrupt("state changed")


class BufferedDraws:
    """Random numbers from one generator, drawn in blocks (cheaper than one at a time).

    The sequence depends only on the generator, so runs stay reproducible.
    """

    def __init__(self, rng, block: int = 128):
        self.rng = rng
        self.block = block
        self._exp = rng.standard_exponential(block)
        self._norm = rng.standard_normal(block)
        self._i = self._j = 0

    def exponential(self) -> float:
        if self._i == self.block:
            self._exp, self._i = self.rng.standard_exponential(self.block), 0
        self._i += 1
        return float(self._exp[self._i - 1])

    def normal(self) -> float:
        if self._j == self.block:
            self._norm, self._j = self.rng.standard_normal(self.block), 0
        self._j += 1
        return float(self._norm[self._j - 1])
