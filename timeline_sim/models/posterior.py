"""The posterior of the shared parameters: samples with weights, and where they came from.

``timeline-sim calibrate`` writes one posterior per model family
(``timeline_sim/models/posteriors/FAMILY.json``): the weighted particles of the
last ABC-SMC population over the inferred parameters, the priors they were drawn
from and the provenance of the fit (training cases, simulations, tolerances,
library versions). Replays use the posterior mean; studies draw one particle per
run; parameters the calibration does not infer stay at their prior medians (the
literal defaults of :mod:`timeline_sim.models.params`).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from timeline_sim.models.params import Params
from timeline_sim.models.priors import PRIORS

POSTERIOR_DIR = Path(__file__).resolve().parent / "posteriors"


@dataclass(frozen=True)
class Posterior:
    """Weighted samples of the inferred parameters of one family."""

    family: str
    names: list[str]
    samples: np.ndarray  # particles x parameters, in natural units
    weights: np.ndarray  # normalised
    provenance: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Posterior:
        weights = np.asarray(data["weights"], dtype=float)
        return cls(
            family=data["family"],
            names=list(data["names"]),
            samples=np.asarray(data["samples"], dtype=float),
            weights=weights / weights.sum(),
            provenance=data.get("provenance", {}),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "family": self.family,
            "names": self.names,
            "samples": self.samples.tolist(),
            "weights": self.weights.tolist(),
            "provenance": self.provenance,
        }

    def save(self, path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.to_json(), indent=1) + "\n", encoding="utf-8")
        return path

    def mean(self) -> dict[str, float]:
        """Posterior mean of each parameter (the mean of its log where its prior is log-uniform)."""
        out = {}
        for j, name in enumerate(self.names):
            column = self.samples[:, j]
            if PRIORS[name].kind == "loguniform":
                out[name] = float(math.exp(np.sum(self.weights * np.log(column))))
            else:
                out[name] = float(np.sum(self.weights * column))
        return out

    def particle(self, index: int) -> dict[str, float]:
        """One particle's parameter values."""
        return {name: float(self.samples[index, j]) for j, name in enumerate(self.names)}

    def draw(self, rng: np.random.Generator) -> tuple[int, dict[str, float]]:
        """A particle drawn by weight, from the run's own stream."""
        index = int(rng.choice(len(self.weights), p=self.weights))
        return index, self.particle(index)

    def params(self, base: Params | None = None, values: dict[str, float] | None = None) -> Params:
        """Parameters with the posterior mean (or ``values``) in place of the inferred ones."""
        return (base or Params()).replace(**(values if values is not None else self.mean()))

    def spread(self, name: str) -> float:
        """Posterior standard deviation of a parameter, on its prior's scale (log for log-uniform)."""
        j = self.names.index(name)
        column = self.samples[:, j]
        if PRIORS[name].kind == "loguniform":
            column = np.log(column)
        mean = np.sum(self.weights * column)
        return float(math.sqrt(np.sum(self.weights * (column - mean) ** 2)))

    def identifiability(self) -> list[dict[str, Any]]:
        """Per parameter: posterior against prior spread, and what the data do with it.

        ``ratio`` is posterior sd / prior sd (1: the data say nothing; 0: pinned).
        """
        rows = []
        for name in self.names:
            prior = PRIORS[name]
            ratio = self.spread(name) / prior.sd if prior.sd > 0 else math.nan
            verdict = "pinned" if ratio < 0.5 else "narrowed" if ratio < 0.8 else "not identified"
            rows.append(
                {
                    "parameter": name,
                    "prior": f"{prior.kind}({prior.low:g}, {prior.high:g})",
                    "prior_median": prior.median,
                    "posterior_mean": self.mean()[name],
                    "ratio": ratio,
                    "verdict": verdict,
                }
            )
        return rows


def posterior_path(family: str) -> Path:
    return POSTERIOR_DIR / f"{family}.json"


@lru_cache(maxsize=8)
def load_posterior(family: str, path: str | None = None) -> Posterior | None:
    """The shipped posterior of a family (or the one at ``path``), or None if there is none."""
    file = Path(path) if path else posterior_path(family)
    if not file.exists():
        return None
    return Posterior.from_json(json.loads(file.read_text(encoding="utf-8")))


def default_params(family: str) -> Params:
    """What a family's runs use unless told otherwise: the posterior mean, else the priors'."""
    posterior = load_posterior(family)
    return Params() if posterior is None else posterior.params()


def single_case_parameters(family: str, case: str) -> list[str]:
    """The shared parameters that, by the calibration's check, only ``case`` uses."""
    posterior = load_posterior(family)
    if posterior is None:
        return []
    return list(posterior.provenance.get("single_case_parameters", {}).get(case, []))
