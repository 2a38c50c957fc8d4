"""What a study's runs are uncertain about: the shared parameters and a case's declared inputs.

The shared parameters of each run are one particle of the family's posterior
(:mod:`timeline_sim.models.posterior`), drawn by weight from the run's own stream
(``"study/posterior"``), so a study's spread carries what the calibration left
unknown, and no spread is typed in by hand; without a posterior the runs use the
priors' medians. A case's declared uncertain inputs (an observable the sources
give only roughly) are drawn from ``"study/case-uncertainty"``. The runs table
records the particle and every value drawn, and ``replay --run K`` draws the same.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from timeline_sim.models.params import Params
from timeline_sim.models.posterior import load_posterior


def draw_parameters(
    params: Params, rng: np.random.Generator, family: str, keep: frozenset[str] = frozenset()
) -> tuple[Params, dict[str, float]]:
    """One run's parameters: a posterior particle over ``params``, except the names in ``keep``.

    ``keep`` holds the parameters a study sets itself (a sweep's grid value, a
    ``--param`` change), which a draw must not overwrite.
    """
    posterior = load_posterior(family)
    if posterior is None:
        return params, {}
    index, values = posterior.draw(rng)
    values = {name: value for name, value in values.items() if name not in keep}
    drawn = {"posterior_particle": float(index), **values}
    return params.replace(**values), drawn


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


@dataclass(frozen=True)
class Uncertain:
    """A run's uncertainty (a picklable callable for :func:`timeline_sim.engine.runner.run_one`).

    The shared parameters come from ``"study/posterior"``, the case's declared
    uncertain inputs from ``"study/case-uncertainty"``, so a study's run ``k`` and
    ``replay --run k`` draw the same values. ``keep`` names the parameters the
    study fixes itself.
    """

    keep: frozenset[str] = field(default_factory=frozenset)
    parameters: bool = True

    def __call__(self, params: Params, case, streams) -> tuple[Params, object, dict[str, float]]:
        drawn: dict[str, float] = {}
        if self.parameters:
            params, drawn = draw_parameters(
                params, streams.get("study/posterior"), case.kind, self.keep
            )
        case, drawn_case = draw_case_values(case, streams.get("study/case-uncertainty"))
        drawn.update(drawn_case)
        return params, case, drawn


#: Both kinds of uncertainty, nothing kept fixed.
draw_uncertain = Uncertain()
