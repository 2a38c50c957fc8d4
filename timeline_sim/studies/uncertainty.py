"""Uncertain parameters: distributions declared once, drawn per run in studies.

A distribution is a small value object that validates its own parameters and
prints readably. It is centred on the parameter's default (a lognormal's
median, a uniform's midpoint scaled by factors), so the defaults stay the
model's point estimates and a study explores the spread around them. Each run
of a study draws its values from its own stream (``"study/uncertainty"``) and
the runs table records what was drawn.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from timeline_sim.models.params import Params


@dataclass(frozen=True)
class Lognormal:
    """Multiplicative spread: the value is ``central * exp(N(0, sigma))``."""

    sigma: float

    def __post_init__(self) -> None:
        if not (math.isfinite(self.sigma) and self.sigma >= 0):
            raise ValueError(f"Lognormal sigma must be a finite number >= 0, got {self.sigma}")

    def draw(self, rng: np.random.Generator, central: float) -> float:
        return float(central * math.exp(rng.normal(0.0, self.sigma)))

    def __str__(self) -> str:
        return f"lognormal(sigma={self.sigma:g})"


@dataclass(frozen=True)
class UniformFactor:
    """Uniform between ``low * central`` and ``high * central``."""

    low: float
    high: float

    def __post_init__(self) -> None:
        if not (
            math.isfinite(self.low) and math.isfinite(self.high) and 0 <= self.low <= self.high
        ):
            raise ValueError(f"UniformFactor needs 0 <= low <= high, got {self.low}, {self.high}")

    def draw(self, rng: np.random.Generator, central: float) -> float:
        return float(central * rng.uniform(self.low, self.high))

    def __str__(self) -> str:
        return f"uniform(x{self.low:g} to x{self.high:g})"


#: Spread of the shared behavioural parameters in studies: rates and delays that
#: no source pins down are uncertain by about a fifth either way.
PARAMETER_UNCERTAINTY: dict[str, Lognormal | UniformFactor] = {
    "pressure.growth_per_year": Lognormal(0.1),
    "bargaining.round_interval_days": Lognormal(0.15),
    "bargaining.legal_scrub_days": Lognormal(0.2),
    "farm.decay_days": Lognormal(0.2),
    "farm.protest_rate": Lognormal(0.2),
    "ratification.submission_days": Lognormal(0.2),
    "ratification.retry_days": Lognormal(0.2),
}


def draw_parameters(
    params: Params,
    rng: np.random.Generator,
    spread: dict[str, Lognormal | UniformFactor] | None = None,
) -> tuple[Params, dict[str, float]]:
    """Parameters for one run, drawn around ``params``, and the values drawn."""
    spread = PARAMETER_UNCERTAINTY if spread is None else spread
    flat = params.flat()
    drawn = {name: spread[name].draw(rng, float(flat[name])) for name in sorted(spread)}
    return params.replace(**drawn), drawn


def draw_case_values(case, rng: np.random.Generator):
    """The case with its declared uncertain inputs drawn for one run, and the draws.

    Returns ``(case, {"case.PATH": value})``; a case that declares nothing is
    returned as it is.
    """
    declared = getattr(case.model, "uncertainty", {}) or {}
    if not declared:
        return case, {}
    changes = {}
    for path in sorted(declared):
        spec = declared[path]
        node = case.raw
        for part in path.split("."):
            node = node[int(part)] if isinstance(node, list) else node[part]
        central = float(node)
        if spec.distribution == "lognormal":
            changes[path] = central * math.exp(rng.normal(0.0, spec.sigma))
        else:
            changes[path] = central * rng.uniform(spec.low, spec.high)
    return case.with_values(changes), {f"case.{k}": v for k, v in changes.items()}


def draw_uncertain(params: Params, case, streams) -> tuple[Params, object, dict[str, float]]:
    """One run's parameters and case, drawn from its own streams, and the values drawn.

    The shared parameters come from ``"study/uncertainty"``, the case's declared
    uncertain inputs from ``"study/case-uncertainty"``, so a study's run ``k`` and
    ``replay --run k`` draw the same values.
    """
    params, drawn = draw_parameters(params, streams.get("study/uncertainty"))
    case, drawn_case = draw_case_values(case, streams.get("study/case-uncertainty"))
    drawn.update(drawn_case)
    return params, case, drawn
