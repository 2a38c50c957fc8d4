"""Summary statistics of a run and of the record: what calibration and evaluation compare.

Per agreement (FTA track): the logarithm of the days from the launch of talks to
conclusion, from conclusion to signature, and from signature to entry into
force (or to the home party's ratification where entry into force is not a
target); per dispute episode: the days from the launch of talks to each milestone
the record dates (a Section 301 case, a sanctions list, the agreement). Outcome targets a case gives
(failed votes, the concession, side payments) are statistics too. A milestone a
run does not reach by its horizon counts as reached at the horizon, so a run
that never concludes is as far as it can be from one that does.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from timeline_sim.cases.loading import LoadedCase
from timeline_sim.engine.calendar import HistoricalDate

#: (statistic, start milestone, end milestone) of an FTA track.
FTA_SPANS = (
    ("launch_to_conclusion", "talks_launched", "concluded"),
    ("conclusion_to_signature", "concluded", "signed"),
    ("signature_to_force", "signed", "entry_into_force"),
)
#: Outcome targets that are statistics, with the transform that puts them on a common scale.
OUTCOMES = {
    "failed_votes": lambda v: math.log1p(v),
    "concession": lambda v: v,
    "side_payments_usd": lambda v: math.log10(1.0 + v),
}


def _horizon(case: LoadedCase) -> dt.date:
    model = case.model
    if getattr(model, "horizon", None) is not None:
        return model.horizon.day
    years = 12 if case.kind == "fta" else 8
    start = model.start_date.day
    return start + dt.timedelta(days=365 * years)


def _target(case: LoadedCase, track: str, milestone: str) -> dt.date | None:
    if milestone == "talks_launched":
        return case.model.tracks[track].talks_start.day
    for target in case.model.targets:
        if (
            target.track == track
            and target.milestone == milestone
            and getattr(target, "party", None) is None
        ):
            return HistoricalDate.parse(target.date).date
    return None


def _spans(case: LoadedCase) -> list[tuple[str, str, str, str]]:
    """(key, track, start, end) of every span with both ends in the record."""
    spans = []
    for name, track in case.model.tracks.items():
        if not track.enabled:
            continue
        if case.kind == "fta":
            for stat, start, end in FTA_SPANS:
                if end == "entry_into_force" and _target(case, name, end) is None:
                    end = "ratified"
                if _target(case, name, start) is not None and _target(case, name, end) is not None:
                    spans.append((f"{case.name}/{name}/{stat}", name, start, end))
        else:  # a dispute: from the launch of talks to each milestone the record dates
            milestones = dict.fromkeys(t.milestone for t in case.model.targets if t.track == name)
            for milestone in milestones:
                spans.append(
                    (f"{case.name}/{name}/launch_to_{milestone}", name, "talks_launched", milestone)
                )
    return spans


def _log_days(a: dt.date, b: dt.date) -> float:
    return math.log1p(max(0.0, float((b - a).days)))


def observed_record(cases: list[LoadedCase]) -> dict[str, float]:
    """The record's statistics of every case in ``cases``."""
    return {key: value for case in cases for key, value in observed_statistics(case).items()}


def observed_statistics(case: LoadedCase) -> dict[str, float]:
    """The record's statistics of one case."""
    out = {}
    for key, track, start, end in _spans(case):
        out[key] = _log_days(_target(case, track, start), _target(case, track, end))
    for target in case.model.outcome_targets:
        if target.outcome in OUTCOMES:
            out[f"{case.name}/{target.track}/{target.outcome}"] = OUTCOMES[target.outcome](
                target.value
            )
        elif target.outcome in ("sanctions_imposed", "reached_sanctions_list"):
            out[f"{case.name}/{target.track}/{target.outcome}"] = float(target.value)
    return out


def simulated_statistics(case: LoadedCase, tracks: dict[str, Any]) -> dict[str, float]:
    """One run's statistics of one case (the same keys as :func:`observed_statistics`)."""
    horizon = _horizon(case)
    out = {}
    for key, track, start, end in _spans(case):
        milestones = tracks[track]["milestones"]
        a = (
            case.model.tracks[track].talks_start.day
            if start == "talks_launched"
            else milestones.get(start)
        )
        b = milestones.get(end)
        a = a if isinstance(a, dt.date) else (horizon if a is None else dt.date.fromisoformat(a))
        b = horizon if b is None else dt.date.fromisoformat(b)
        out[key] = _log_days(a, b)
    for target in case.model.outcome_targets:
        value = tracks[target.track]["outcomes"].get(target.outcome)
        key = f"{case.name}/{target.track}/{target.outcome}"
        if target.outcome in OUTCOMES:
            out[key] = OUTCOMES[target.outcome](0.0 if value is None else float(value))
        elif target.outcome in ("sanctions_imposed", "reached_sanctions_list"):
            out[key] = float(bool(value))
    return out


def statistic_weights(observed: dict[str, float]) -> dict[str, float]:
    """Each case's statistics weighted to sum to one, so every training case counts the same.

    The statistics are logarithms of days (or outcomes on comparable scales), so a
    fixed weighting is unit-free; it does not depend on the particles, which keeps
    the distance defined when a statistic never varies.
    """
    counts: dict[str, int] = {}
    for key in observed:
        case = key.split("/", 1)[0]
        counts[case] = counts.get(case, 0) + 1
    return {key: 1.0 / counts[key.split("/", 1)[0]] for key in observed}
