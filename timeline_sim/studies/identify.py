"""What the record can and cannot tell about each shared parameter, checked without the record.

:func:`screen` asks, on the prior predictive, whether any summary statistic
responds to a parameter at all (a parameter none responds to cannot be learnt,
whatever the record says); :func:`parameter_users` asks which cases a parameter
can change at all (one used by a single case is that case's knob in all but
name). Neither looks at a target.
"""

from __future__ import annotations

import numpy as np

from timeline_sim.cases.loading import LoadedCase
from timeline_sim.engine.runner import run_one
from timeline_sim.models.params import Params
from timeline_sim.models.priors import PRIORS


def screen(model, draws: int = 400, seed: int = 0, workers: int = 1) -> dict[str, float]:
    """Prior-predictive screening: each parameter's largest rank correlation with a statistic.

    ``draws`` parameter vectors are drawn from the priors (a SeedSequence stream)
    and ``model`` (a :class:`~timeline_sim.studies.calibrate.CalibrationModel`)
    runs every training case once at each; a parameter whose strongest
    Spearman correlation with any simulated statistic is small cannot be learnt
    from these statistics, whatever the record says. The record is not used:
    the screen looks at what the statistics *could* tell, not at what they do.
    """
    names = model.names
    rng = np.random.default_rng(np.random.SeedSequence([seed, 7_331]))
    z = rng.standard_normal(size=(draws, len(names)))
    particles = [model.particle(z[i]) for i in range(draws)]
    if workers > 1:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(workers) as pool:
            rows = list(pool.map(model, particles, chunksize=max(1, draws // (4 * workers))))
    else:
        rows = [model(p) for p in particles]
    keys = sorted(rows[0])
    stats = np.array([[row[k] for k in keys] for row in rows])
    ranks = lambda a: np.argsort(np.argsort(a, axis=0), axis=0).astype(float)  # noqa: E731
    rz, rs = ranks(z), ranks(stats)
    rz -= rz.mean(axis=0)
    rs -= rs.mean(axis=0)
    sz = np.sqrt((rz**2).sum(axis=0))
    ss = np.sqrt((rs**2).sum(axis=0))
    ss[ss == 0] = np.inf  # a statistic that never varies tells nothing
    rho = (rz.T @ rs) / np.outer(sz, ss)
    return {n: float(np.max(np.abs(rho[j]))) for j, n in enumerate(names)}


def parameter_users(
    cases: list[LoadedCase], names: list[str], seeds: int = 3, base: Params | None = None
) -> dict[str, list[str]]:
    """The cases whose runs a parameter can change: each set to its prior's low and high end.

    A case uses a parameter if, on any of ``seeds`` paired seeds, some milestone
    date or outcome differs between the two ends. A parameter that only one case
    uses is a per-case knob in all but name: the replay's knob count includes it.
    The other parameters sit at ``base`` (the posterior mean, where the
    calibrated runs are).
    """
    users: dict[str, list[str]] = {n: [] for n in names}
    base = base or Params()
    for case in cases:
        for name in names:
            prior = PRIORS[name]
            ends = [base.replace(**{name: prior.low}), base.replace(**{name: prior.high})]
            for seed in range(seeds):
                low, high = (run_one(case, params, seed=seed).tracks for params in ends)
                if _outcomes(low) != _outcomes(high):
                    users[name].append(case.name)
                    break
    return users


def _outcomes(tracks: dict) -> list:
    return [
        (t, d["milestones"], {k: str(v) for k, v in d["outcomes"].items()})
        for t, d in sorted(tracks.items())
    ]
