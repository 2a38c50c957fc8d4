"""Why the calibration's ABC-SMC uses an independent Gaussian proposal.

Runs the first generations of the FTA calibration (the installed posterior's
parameters and training cases, 500 particles, seed 0) with three transitions
and prints, per generation, the tolerance and the effective sample size of the
importance weights:

- ``kde``: pyabc's default, a Gaussian kernel density of the population
  (``MultivariateNormalTransition``, Silverman's bandwidth);
- ``gaussian x2``: one Gaussian fitted to the population, covariance doubled;
- ``gaussian x1.2``: the same, x1.2 (what ``timeline-sim calibrate`` uses).

    python benchmarks/smc_proposals.py [--generations 4] [--population 500] [--workers 2]

About two minutes per transition on two cores. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from timeline_sim.models.posterior import load_posterior  # noqa: E402
from timeline_sim.studies import smc  # noqa: E402
from timeline_sim.studies.calibrate import CalibrationModel, _key, training_cases  # noqa: E402
from timeline_sim.studies.statistics import observed_record, statistic_weights  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--generations", type=int, default=4)
    parser.add_argument("--population", type=int, default=500)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    import pyabc

    posterior = load_posterior("fta")
    cases = training_cases("fta", posterior.provenance["training_cases"])
    observed = observed_record(cases)
    model = CalibrationModel(cases, posterior.names)
    keys = [_key(n) for n in posterior.names]
    transitions = {
        "kde": pyabc.MultivariateNormalTransition,
        "gaussian x2": lambda: smc.GaussianProposal(2.0),
        "gaussian x1.2": lambda: smc.GaussianProposal(1.2),
    }
    report = {"parameters": len(keys), "cases": len(cases), "population": args.population}
    for label, make in transitions.items():
        settings = smc.SmcSettings(
            population=args.population,
            generations=args.generations,
            workers=args.workers,
            proposal=make,
        )
        with tempfile.TemporaryDirectory() as folder:
            history = smc.run_smc(
                model,
                keys,
                observed,
                statistic_weights(observed),
                f"sqlite:///{Path(folder) / 'abc.db'}",
                settings,
            )
            report[label] = [
                {k: round(g[k], 3) for k in ("generation", "tolerance", "effective_sample")}
                for g in smc.generations(history)
            ]
        sys.stderr.write(f"{label}: {report[label]}\n")
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
