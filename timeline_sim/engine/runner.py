"""Running a case: one seeded replication in, one result out.

``run_one(case, params, seed)`` is the functional core every front end (the CLI,
studies, dashboards, tests) builds on. The engine knows no model: a model family
(``models.fta``, ``models.dispute``) registers, with :func:`register_model`, a
``simulate(case_model, params, streams)`` function returning a finished world
with ``calendar``, ``log``, ``states`` and ``summary()``, and its default
parameters.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Protocol

import numpy as np
import pandas as pd

from timeline_sim.engine.cache import per_case
from timeline_sim.engine.calendar import HistoricalDate
from timeline_sim.engine.streams import RandomStreams

#: simulate() of each model family, by case kind (filled by :func:`register_model`).
SIMULATORS: dict[str, Callable[..., Any]] = {}
#: The default parameters of each model family, by case kind.
DEFAULT_PARAMS: dict[str, Callable[[], Any]] = {}
#: Per family: the shared parameters only the named case uses (its knobs in all but name).
SINGLE_CASE_PARAMETERS: dict[str, Callable[[str], list[str]]] = {}


def register_model(
    kind: str,
    simulate: Callable[..., Any],
    default_params: Callable[[], Any],
    single_case_parameters: Callable[[str], list[str]] = lambda case: [],
) -> None:
    """Make ``run_one`` run cases of ``kind`` with ``simulate(case_model, params, streams)``."""
    SIMULATORS[kind] = simulate
    DEFAULT_PARAMS[kind] = default_params
    SINGLE_CASE_PARAMETERS[kind] = single_case_parameters


class Uncertainty(Protocol):
    """Draws one run's uncertain parameters and case inputs from that run's streams."""

    def __call__(self, params: Any, case: Any, streams: RandomStreams) -> tuple[Any, Any, dict]:
        """``(params, case, drawn)``: what the run uses and the values drawn, by name."""
        ...


@dataclass
class RunResult:
    """Everything one replication produced.

    The event and state tables are built on first access: studies that keep only
    milestones and outcomes never pay for them.
    """

    case: str
    variant: str | None
    seed: int
    run_id: int
    tuning_knobs: int  # declared per-case knobs plus shared parameters only this case uses
    world: Any = field(repr=False)
    tracks: dict[str, dict[str, Any]]
    targets: list[dict[str, Any]] = field(default_factory=list)
    outcome_targets: list[dict[str, Any]] = field(default_factory=list)
    drawn: dict[str, float] = field(default_factory=dict)
    single_case_parameters: list[str] = field(default_factory=list)

    @cached_property
    def events(self) -> pd.DataFrame:
        """The tidy event log (see docs/events.md)."""
        return self.world.log.to_frame(self.world.calendar, self.run_id)

    @cached_property
    def states(self) -> pd.DataFrame:
        """The state trajectories."""
        return self.world.states.to_frame(self.world.calendar, self.run_id)

    @property
    def event_count(self) -> int:
        """Number of events logged."""
        return len(self.world.log.records)

    def to_json(self) -> dict[str, Any]:
        """The stable JSON shape of a replay (see README, 'Replay JSON')."""
        return {
            "case": self.case,
            "variant": self.variant,
            "seed": self.seed,
            "run": self.run_id,
            "tuning_knobs": self.tuning_knobs,
            "single_case_parameters": self.single_case_parameters,
            "tracks": self.tracks,
            "targets": self.targets,
            "outcome_targets": self.outcome_targets,
        }

    @property
    def mean_abs_error_days(self) -> float | None:
        """Mean absolute error over every target reached in the run."""
        errors = [abs(t["error_days"]) for t in self.targets if t["error_days"] is not None]
        return None if not errors else float(np.mean(errors))


def run_seed_sequence(seed: int, run_id: int) -> np.random.SeedSequence:
    """The stream of run ``run_id`` of a study seeded with ``seed``.

    Run 0 is the replay of ``seed`` itself; run ``k`` is the k-th spawned child,
    so any run of a study can be replayed alone.
    """
    if run_id == 0:
        return np.random.SeedSequence(seed)
    # the root's entropy is the seed itself: spawn from it without building the root
    return np.random.SeedSequence(entropy=seed, spawn_key=(run_id - 1,))


def run_one(
    case: Any,
    params: Any = None,
    seed: int = 0,
    run_id: int = 0,
    uncertainty: Uncertainty | None = None,
) -> RunResult:
    """Run one replication of ``case`` (a loaded case) with ``params`` and ``seed``.

    ``params`` defaults to the model family's shared parameters. With
    ``uncertainty`` (e.g. :func:`timeline_sim.studies.uncertainty.draw_uncertain`)
    the run first draws its uncertain parameters and inputs from its own
    streams, as every run of a study does.
    """
    if params is None:
        params = DEFAULT_PARAMS[case.kind]()
    streams = RandomStreams(run_seed_sequence(seed, run_id))
    drawn: dict[str, float] = {}
    if uncertainty is not None:
        params, case, drawn = uncertainty(params, case, streams)
    world = SIMULATORS[case.kind](case.model, params, streams)
    tracks = world.summary()
    single = SINGLE_CASE_PARAMETERS.get(case.kind, lambda name: [])(case.name)
    return RunResult(
        case=case.name,
        variant=case.variant,
        seed=seed,
        run_id=run_id,
        tuning_knobs=case.model.tuning_knobs + len(single),
        single_case_parameters=single,
        world=world,
        tracks=tracks,
        targets=compare_targets(case, tracks),
        outcome_targets=compare_outcomes(case, tracks),
        drawn=drawn,
    )


def _simulated_dates(track: dict[str, Any], target: Any) -> list[str]:
    """Simulated dates of a target's milestone (several for a repeated one, ``vote_failed``).

    A target naming a ``party`` is looked up in the track's ``parties`` summary,
    a ``chamber_passed`` target in that party's ``chambers``.
    """
    party = getattr(target, "party", None)
    node = track if party is None else track.get("parties", {}).get(party, {})
    milestone = target.milestone
    if milestone == "vote_failed":
        return list(node.get("outcomes", {}).get("failed_vote_dates", []))
    if milestone == "chamber_passed":
        if party is None:  # the home party's, which the track's summary lists under parties
            node = next(iter(track.get("parties", {}).values()), {})
        value = node.get("chambers", {}).get(getattr(target, "chamber", None))
    else:
        value = node.get("milestones", {}).get(milestone)
    return [] if value is None else [value]


@functools.lru_cache(maxsize=8192)
def _simulated_date(text: str) -> dt.date:
    """The date of a simulated milestone (an ISO date; runs name the same days over and over)."""
    return dt.date.fromisoformat(text) if len(text) == 10 else pd.Timestamp(text).date()


@per_case
def _target_rows(model: Any) -> tuple[tuple[Any, int, HistoricalDate, dict[str, Any]], ...]:
    """Per target of a case: the target, its occurrence index, its date, its row's fixed part."""
    seen: dict[tuple, int] = {}
    out = []
    for target in model.targets:
        party, chamber = getattr(target, "party", None), getattr(target, "chamber", None)
        key = (target.track, party, target.milestone, chamber)
        index = seen.get(key, 0)
        seen[key] = index + 1
        historical = HistoricalDate.parse(target.date)
        fixed = {
            "track": target.track,
            "party": party,
            "chamber": chamber,
            "milestone": target.milestone,
            "historical": str(historical),
            "precision": historical.precision,
        }
        out.append((target, index, historical, fixed))
    return tuple(out)


def compare_targets(case: Any, tracks: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Historical against simulated date of every target, with the error in days.

    The k-th target of a repeated milestone (``vote_failed``) is compared with the
    k-th simulated occurrence.
    """
    rows = []
    for target, index, historical, fixed in _target_rows(case.model):
        track = tracks.get(target.track)
        simulated = None
        if track is not None:
            dates = _simulated_dates(track, target)
            simulated = dates[index] if index < len(dates) else None
        error = None
        if simulated is not None:
            error = (_simulated_date(simulated) - historical.date).days
        rows.append({**fixed, "simulated": simulated, "error_days": error, "source": target.source})
    return rows


def compare_outcomes(case: Any, tracks: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Historical against simulated values of outcome targets (terms of deals, counts)."""
    rows = []
    for target in getattr(case.model, "outcome_targets", []):
        track = tracks.get(target.track, {})
        simulated = track.get("outcomes", {}).get(target.outcome)
        rows.append(
            {
                "track": target.track,
                "outcome": target.outcome,
                "historical": target.value,
                "simulated": simulated,
                "error": None if simulated is None else simulated - target.value,
                "source": target.source,
            }
        )
    return rows
