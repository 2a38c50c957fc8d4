"""Business 'get into the FTA game' pressure and the lobby's public acts.

Pressure evolves smoothly between events, so it is not ticked day by day: it is
a closed-form function of time, re-based when an event changes it, and
evaluated only when a process needs it. The lobby, which acts when pressure
reaches a level, computes the crossing time and waits for it, or for the next
change, whichever comes first.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import simpy

from timeline_sim.engine.waking import wake
from timeline_sim.models.fta.protocol import FtaState

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

    def __init__(self, world: FtaState, in_force: int = 0):
        self.world = world
        params = world.params.pressure
        self.growth = (
            params.growth_per_year / 365.0 if world.params.mechanisms.pressure_growth else 0.0
        )
        # a country that starts with FTAs in force is in the game already
        self.growth *= params.growth_after_fta**in_force
        self.t0 = 0.0
        self.level0 = 0.0
        self.watchers: list[simpy.Process] = []  # processes to wake when pressure is re-based
        self.concluded = in_force
        self.ratified = in_force

    def level(self, t: float) -> float:
        """Pressure at time ``t`` (not before the last re-basing)."""
        return self.level0 + self.growth * (t - self.t0)

    def rebase(self, t: float, level: float, growth: float) -> None:
        """Set pressure to ``level`` at ``t``, growing at ``growth`` per day after."""
        self.t0, self.level0, self.growth = t, level, growth
        self.world.states.record(t, DOMESTIC, "business_pressure", level)
        wake(self.world.env, self.watchers)

    def relieve(
        self, t: float, track: str, fraction: float, growth_factor: float, why: str
    ) -> None:
        """An agreement relieves pressure by ``fraction`` and scales its growth."""
        before = self.level(t)
        self.world.states.record(t, DOMESTIC, "business_pressure", before)
        after = before * (1.0 - fraction)
        self.rebase(t, after, self.growth * growth_factor)
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


def lobby_for_agreements(world: FtaState, describe: Callable[[float], tuple[str, str]]):
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


def lobbying_form(world: FtaState, t: float) -> tuple[str, str]:
    """The track a lobbying act concerns and the form it takes.

    Letters to every legislator while an agreement awaits ratification; a report
    and public statements while talks go on; otherwise a report on being shut out.
    """
    home = world.parties[world.case.home]
    chambers = list(home.chambers.values())
    members = sum(c.seats or 0 for c in chambers)
    for name, state in world.tracks.items():
        if state.signed_at is not None and state.ratified_at is None:
            return name, (
                f"business groups send letters to all {members or 'the'} members of the "
                f"{home.legislature_name or 'legislature'} urging ratification of the "
                f"{world.track_label(name)}"
            )
    for name, state in world.tracks.items():
        if state.talks_start is not None and state.concluded_at is None:
            return (
                name,
                f"business federation report and statements: conclude the {world.track_label(name)}",
            )
    return DOMESTIC, "business federation report: the country is being shut out of the FTA game"
