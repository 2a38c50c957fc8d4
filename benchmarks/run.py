"""Speed and memory of the simulator, measured as ratios within one run.

Prints one JSON object:

- ``model_events_per_s``, ``bare_simpy_events_per_s``, ``event_rate_ratio``: SimPy events
  processed per second of wall time by replays of ``korea_ftas`` (everything ``run_one``
  does, tables aside) against a bare loop of timeouts, in the same process;
- ``runs_per_s_1``, ``runs_per_s_2``, ``parallel_efficiency``: runs per second of a
  study with one worker (in the calling process) and with two local worker processes;
- ``dask_runs_per_s``, ``dask_ratio``: the same study on a two-worker Dask LocalCluster
  on loopback, against two local workers;
- ``calibration_runs_per_s_per_core``: single-case runs per second of calibration
  evaluations (every shipped FTA case once per prior draw) on one worker in this
  process; ``calibration_evaluation`` adds the median over repeats, the time per
  evaluation and, from a short cProfile, the share of time of each component
  (``profile_shares``) and of the costliest functions by their own time;
- ``seconds_10k_runs_2_workers``: wall time of a 10,000-run study of ``korea_ftas``;
- ``peak_rss_mb``: peak resident memory of the study process (the parent that gathers
  the runs table and writes it) for summary-mode studies of 10,000 and 100,000 runs,
  each in a fresh process; ``--quick`` skips the 100,000-run study.

The machine is shared and noisy: compare ratios, not absolute figures.

    python benchmarks/run.py [--quick]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import simpy

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from timeline_sim.cases.loading import load_case  # noqa: E402
from timeline_sim.engine.runner import SIMULATORS, run_seed_sequence  # noqa: E402
from timeline_sim.engine.streams import RandomStreams  # noqa: E402
from timeline_sim.models.params import Params  # noqa: E402
from timeline_sim.studies import ExecutionOptions, StudySpec, run_many  # noqa: E402


def _count_events(env: simpy.Environment) -> int:
    """Events scheduled so far (SimPy numbers them with an itertools counter)."""
    return next(env._eid)  # noqa: SLF001 - the only count SimPy keeps


def model_event_rate(seconds: float = 3.0) -> float:
    case = load_case("korea_ftas")
    params = Params()
    events, started, run = 0, time.perf_counter(), 0
    while time.perf_counter() - started < seconds:
        run += 1
        world = SIMULATORS[case.kind](case.model, params, RandomStreams(run_seed_sequence(0, run)))
        world.summary()
        events += _count_events(world.env)
    return events / (time.perf_counter() - started)


def bare_simpy_event_rate(seconds: float = 3.0) -> float:
    def ticker(env: simpy.Environment):
        while True:
            yield env.timeout(1.0)

    events, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        env = simpy.Environment()
        env.process(ticker(env))
        env.run(until=20_000)
        events += _count_events(env)
    return events / (time.perf_counter() - started)


def runs_per_second(runs: int, workers: int = 1, scheduler: str | None = None) -> float:
    spec = StudySpec("korea_ftas", runs=runs, seed=1)
    started = time.perf_counter()
    run_many(spec, ExecutionOptions(workers=workers, scheduler=scheduler, chunk_size=500))
    return runs / (time.perf_counter() - started)


def dask_rate(runs: int) -> float | None:
    try:
        from distributed import LocalCluster
    except ImportError:
        return None
    with LocalCluster(
        n_workers=2, threads_per_worker=1, host="127.0.0.1", dashboard_address=None
    ) as cluster:
        runs_per_second(200, scheduler=cluster.scheduler_address)  # warm the workers
        return runs_per_second(runs, scheduler=cluster.scheduler_address)


_STUDY = """
import json, resource, sys, time
sys.path.insert(0, {root!r})
from timeline_sim.studies import ExecutionOptions, StudySpec, summarise_study
spec = StudySpec("korea_ftas", runs={runs}, seed=7)
started = time.perf_counter()
summarise_study(spec, ExecutionOptions(workers=2, chunk_size=500), out={out!r})
print(json.dumps({{"seconds": time.perf_counter() - started,
                   "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""


def study_in_fresh_process(runs: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        code = _STUDY.format(root=str(ROOT), runs=runs, out=str(Path(tmp) / "study"))
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        return json.loads(out.stdout.strip().splitlines()[-1])


def _owner(filename: str) -> str | None:
    """The component a profiled function's own time is charged to (None: its callers)."""
    path = filename.replace("\\", "/")
    if "/simpy/" in path:
        return "simpy engine (scheduling, resuming processes)"
    if "/timeline_sim/" not in path:
        return None  # numpy, builtins, the standard library: charged to whoever called them
    module = path.rsplit("/timeline_sim/", 1)[1]
    for prefix, component in _COMPONENTS:
        if module.startswith(prefix):
            return component
    return "other model processes (entry into force, shocks, compensation, terms)"


#: Model modules by component, first match wins (own time, callees outside the project folded in).
_COMPONENTS = (
    ("engine/streams.py", "random streams (creation and block draws)"),
    ("engine/events.py", "event log and state recording"),
    ("engine/runner.py", "run_one and target comparison"),
    ("engine/calendar.py", "calendar and date parsing"),
    ("models/fta/negotiation.py", "negotiation rounds"),
    ("models/fta/bargaining.py", "negotiation rounds"),
    ("models/fta/world.py", "world set-up and milestones"),
    ("models/fta/parties.py", "world set-up and milestones"),
    ("models/fta/inputs.py", "logging the case's dated inputs"),
    ("models/fta/sectors.py", "sector mobilisation and protests"),
    ("models/fta/summary.py", "summary and statistics"),
    ("studies/statistics.py", "summary and statistics"),
    ("models/fta/routes.py", "ratification (routes, votes, agenda, support)"),
    ("models/fta/votes.py", "ratification (routes, votes, agenda, support)"),
    ("models/fta/agenda.py", "ratification (routes, votes, agenda, support)"),
    ("models/fta/support.py", "ratification (routes, votes, agenda, support)"),
    ("models/fta/pressure.py", "business pressure and lobbying"),
    ("models/fta/schema.py", "case look-ups (schema helpers)"),
    ("cases/", "case look-ups (schema helpers)"),
    ("engine/cache.py", "case look-ups (schema helpers)"),
    ("models/params.py", "parameters"),
    ("studies/calibrate.py", "parameters"),
)


def profile_shares(stats) -> dict[str, float]:
    """Share of profiled time by component, from a ``pstats.Stats``.

    Each function's own time goes to its component; time of a function outside
    the project and SimPy (numpy, builtins) goes to its callers, in proportion
    to the time each caller spent in it.
    """
    raw = stats.stats  # func -> (cc, nc, own, cumulative, callers)
    memo: dict = {}

    def split(func, depth=0) -> dict[str, float]:
        """How one unit of ``func``'s own time divides among components."""
        if func in memo:
            return memo[func]
        owner = _owner(func[0])
        if owner is not None:
            memo[func] = {owner: 1.0}
            return memo[func]
        memo[func] = {"other (interpreter, libraries)": 1.0}  # guards recursion
        callers = raw[func][4]
        total = sum(c[2] for c in callers.values())
        if depth > 20 or total <= 0:
            return memo[func]
        out: dict[str, float] = {}
        for caller, c in callers.items():
            if caller not in raw:
                continue
            for component, part in split(caller, depth + 1).items():
                out[component] = out.get(component, 0.0) + part * c[2] / total
        memo[func] = out or memo[func]
        return memo[func]

    charged: dict[str, float] = {}
    for func, (_cc, _nc, own, _cum, _callers) in raw.items():
        for component, part in split(func).items():
            charged[component] = charged.get(component, 0.0) + own * part
    total = sum(charged.values()) or 1.0
    return dict(sorted(((k, v / total) for k, v in charged.items()), key=lambda kv: -kv[1]))


def calibration_evaluation_rate(
    evaluations: int = 40, repeats: int = 3, profiled: int = 15
) -> dict:
    """Single-case runs per second of calibration evaluations, in this process (one core).

    One evaluation (``CalibrationModel.__call__``) runs every shipped FTA case
    once at one prior draw, as a calibration worker does. The same draws are
    timed ``repeats`` times (the best and the median are reported: the machine
    is shared), then ``profiled`` of them run under cProfile for the share of
    time each component takes.
    """
    import cProfile
    import pstats

    import numpy as np

    from timeline_sim.models.posterior import load_posterior
    from timeline_sim.models.priors import inferred
    from timeline_sim.studies.calibrate import CalibrationModel, training_cases

    posterior = load_posterior("fta")
    names = posterior.names if posterior is not None else inferred("fta")
    model = CalibrationModel(training_cases("fta"), names)
    z = np.random.default_rng(2024).standard_normal((evaluations, len(names)))
    particles = [model.particle(row) for row in z]
    for particle in particles[:3]:  # warm up (imports, caches)
        model(particle)
    seconds = []
    for _ in range(repeats):
        started = time.perf_counter()
        for particle in particles:
            model(particle)
        seconds.append(time.perf_counter() - started)
    runs = evaluations * len(model.cases)
    profile = cProfile.Profile()
    profile.enable()
    for particle in particles[:profiled]:
        model(particle)
    profile.disable()
    stats = pstats.Stats(profile)
    own = sorted(stats.stats.items(), key=lambda kv: -kv[1][2])[:8]
    total = sum(v[2] for v in stats.stats.values()) or 1.0
    return {
        "cases": len(model.cases),
        "evaluations": evaluations,
        "runs_per_s_per_core": runs / min(seconds),
        "runs_per_s_per_core_median": runs / sorted(seconds)[len(seconds) // 2],
        "ms_per_evaluation": 1000 * min(seconds) / evaluations,
        "profile_shares": {k: round(v, 3) for k, v in profile_shares(stats).items() if v >= 0.005},
        "top_own_time": {
            f"{Path(f[0]).name}:{f[1]}({f[2]})": round(v[2] / total, 3) for f, v in own
        },
    }


def calibration_rate(simulations: int, workers: int) -> dict[str, float]:
    """Calibration throughput: simulations (runs of one case) per second, and per core.

    A real calibration of the FTA family on every shipped case, without the
    prior-predictive screen (timed apart from it), into a scratch directory.
    """
    from timeline_sim.studies.calibrate import CalibrationSpec, calibrate

    with tempfile.TemporaryDirectory() as tmp:
        spec = CalibrationSpec(
            family="fta", simulations=simulations, workers=workers, screen_draws=0, chunk=100
        )
        started = time.perf_counter()
        posterior = calibrate(spec, Path(tmp) / "cal")
        seconds = time.perf_counter() - started
    done = posterior.provenance["simulations"]
    return {
        "simulations": done,
        "seconds": seconds,
        "per_s": done / seconds,
        "per_s_per_core": done / seconds / workers,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip the 100,000-run study")
    parser.add_argument("--runs", type=int, default=4000, help="runs for the worker comparison")
    parser.add_argument(
        "--calibration",
        type=int,
        default=100_000,
        help="simulations of the timed calibration (0: skip)",
    )
    args = parser.parse_args()

    evaluation = calibration_evaluation_rate()  # first, before the worker pools load the machine
    model = model_event_rate()
    bare = bare_simpy_event_rate()
    runs_per_second(200, workers=1)  # warm up (imports, caches) before either is timed
    rps1 = runs_per_second(args.runs, workers=1)
    rps2 = runs_per_second(args.runs, workers=2)
    dask = dask_rate(args.runs)
    ten_k = study_in_fresh_process(10_000)
    cal = calibration_rate(args.calibration, workers=2) if args.calibration else None
    peak = {"10000": round(ten_k["peak_rss_mb"], 1)}
    if not args.quick:
        peak["100000"] = round(study_in_fresh_process(100_000)["peak_rss_mb"], 1)
    print(
        json.dumps(
            {
                "model_events_per_s": round(model),
                "bare_simpy_events_per_s": round(bare),
                "event_rate_ratio": round(model / bare, 3),
                "runs_per_s_1": round(rps1, 1),
                "runs_per_s_2": round(rps2, 1),
                "parallel_efficiency": round(rps2 / (2 * rps1), 3),
                "dask_runs_per_s": None if dask is None else round(dask, 1),
                "dask_ratio": None if dask is None else round(dask / rps2, 3),
                "seconds_10k_runs_2_workers": round(ten_k["seconds"], 1),
                "peak_rss_mb": peak,
                "calibration_runs_per_s_per_core": round(evaluation["runs_per_s_per_core"], 1),
                "calibration_evaluation": {
                    k: round(v, 2) if isinstance(v, float) else v for k, v in evaluation.items()
                },
                "calibration": None
                if cal is None
                else {
                    "simulations": cal["simulations"],
                    "seconds_2_workers": round(cal["seconds"], 1),
                    "simulations_per_s_per_core": round(cal["per_s_per_core"], 1),
                    "minutes_per_100k_on_2_cores": round(100_000 / cal["per_s"] / 60, 2),
                },
                "python": sys.version.split()[0],
                "simpy": simpy.__version__,
                "max_rss_self_mb": round(
                    resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1
                ),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
