"""``timeline-sim calibrate`` and ``timeline-sim evaluate``: inference and its out-of-sample check.

    timeline-sim calibrate [--family fta|dispute] [--method smc|rejection]
                           [--population N] [--generations G] [--simulations N] [--accept F]
                           [--out DIR | --resume DIR] [--workers N] [--scheduler ADDR]
                           [--install]

writes ``DIR/posterior.json`` (the weighted parameter vectors and their
provenance) and prints which parameters the record pins down; ``--install``
copies the posterior into the package, where replays and studies read it.

    timeline-sim evaluate [--from DIR] [--folds K] [--out DIR]

forecasts every agreement of the calibration's cases with the posterior refitted
without it, against two base rates (see :mod:`timeline_sim.studies.evaluate`).
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path
from typing import Any

from timeline_sim.cli.errors import Interrupted, UsageError, require, whole_number
from timeline_sim.studies.spec import StudyError


def _fraction(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0 < value <= 1:
        raise argparse.ArgumentTypeError(f"{text} must be a fraction in (0, 1]")
    return value


def register(sub: Any) -> None:
    """Add the ``calibrate`` command."""
    cal = sub.add_parser(
        "calibrate",
        help="infer the shared parameters from the training cases' record (ABC-SMC)",
    )
    cal.add_argument("--family", choices=["fta", "dispute"], default="fta", help="model family")
    cal.add_argument(
        "--method",
        choices=["smc", "rejection"],
        default="smc",
        help="ABC-SMC with pyabc (default) or rejection ABC (the baseline)",
    )
    cal.add_argument(
        "--population", type=whole_number(2), default=500, help="smc: particles per generation"
    )
    cal.add_argument(
        "--generations",
        type=whole_number(1),
        default=8,
        help="smc: generations (the first under the prior's median distance)",
    )
    cal.add_argument(
        "--simulations",
        type=whole_number(1),
        default=1_000_000,
        help="runs of one case, in all (an evaluation runs every training case once); for smc a "
        "budget checked after each generation",
    )
    cal.add_argument(
        "--accept",
        type=_fraction,
        default=0.005,
        help="rejection: fraction of evaluations kept as the posterior",
    )
    cal.add_argument("--seed", type=whole_number(0), default=0, help="seed of the prior draws")
    where = cal.add_mutually_exclusive_group()
    where.add_argument("--out", type=Path, metavar="DIR", help="new directory for the calibration")
    where.add_argument(
        "--resume", type=Path, metavar="DIR", help="finish a calibration stopped in DIR"
    )
    cal.add_argument("--workers", type=whole_number(1), default=1, help="local worker processes")
    cal.add_argument(
        "--scheduler", metavar="ADDR", help="a Dask scheduler's address (tcp://host:8786)"
    )
    cal.add_argument(
        "--exclude",
        action="append",
        default=[],
        metavar="CASE",
        help="leave a case out (repeatable)",
    )
    cal.add_argument(
        "--install",
        action="store_true",
        help="copy the posterior into the package, where replays and studies read it",
    )
    cal.set_defaults(handler=cmd_calibrate)


def cmd_calibrate(args: argparse.Namespace) -> int:
    from timeline_sim.models.posterior import load_posterior, posterior_path
    from timeline_sim.studies.calibrate import CalibrationSpec, calibrate

    out = args.resume or args.out or Path(f"calibration-{args.family}")
    if args.method == "smc":
        require("pyabc", "ABC-SMC calibration")
        from timeline_sim.studies.smc import calibrate_smc as calibrate  # noqa: F811
    spec = CalibrationSpec(
        family=args.family,
        population=args.population,
        generations=args.generations,
        simulations=args.simulations,
        accept=args.accept,
        seed=args.seed,
        workers=args.workers,
        scheduler=args.scheduler,
        exclude=list(args.exclude),
    )
    try:
        posterior = calibrate(spec, out, resume=args.resume is not None, progress=True)
    except StudyError as exc:
        raise UsageError(str(exc)) from None
    except KeyboardInterrupt:
        raise Interrupted(f"finished work is saved; --resume {out} goes on") from None
    info = posterior.provenance
    kept = (
        f"a last population of {info['accepted']} (effective sample {info['effective_sample']:.0f})"
        if args.method == "smc"
        else f"kept {info['accepted']}"
    )
    print(
        f"{args.family}: {info['simulations']:,} simulations ({info['evaluations']:,} evaluations of "
        f"{len(info['training_cases'])} cases); {kept} "
        f"(tolerance {info['tolerance']:.3g}, prior median distance {info['prior_median_distance']:.3g})"
    )
    for g in info.get("generations", []):
        print(
            f"  generation {g['generation']}: tolerance {g['tolerance']:.3g}, "
            f"{g['evaluations']:,} evaluations, effective sample {g['effective_sample']:.0f}"
        )
    print(identifiability_table(posterior))
    print(f"\nwrote {out / 'posterior.json'}")
    if args.install:
        target = posterior_path(args.family)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(out / "posterior.json", target)
        load_posterior.cache_clear()
        print(f"installed as {target}")
    return 0


def identifiability_table(posterior) -> str:
    """Which parameters the record pins down: posterior against prior spread, per parameter."""
    rows = posterior.identifiability()
    width = max(len(r["parameter"]) for r in rows)
    lines = [
        f"{'parameter':<{width}}  {'prior':<24} {'median':>10} {'posterior':>10} {'sd ratio':>8}  verdict"
    ]
    for r in rows:
        lines.append(
            f"{r['parameter']:<{width}}  {r['prior']:<24} {r['prior_median']:>10.4g} "
            f"{r['posterior_mean']:>10.4g} {r['ratio']:>8.2f}  {r['verdict']}"
        )
    screen = posterior.provenance.get("screen", {})
    dropped = screen.get("not_identifiable", [])
    if dropped:
        lines.append(
            f"\nnot inferred ({len(dropped)}: no statistic responds to them on the prior predictive, "
            f"|rho| < {screen.get('threshold')}; they stay at their prior medians): "
            + ", ".join(dropped)
        )
    single = {c: p for c, p in posterior.provenance.get("single_case_parameters", {}).items() if p}
    if single:
        lines.append(
            "used by one case only (counted as that case's knobs): "
            + "; ".join(f"{c}: {', '.join(p)}" for c, p in sorted(single.items()))
        )
    return "\n".join(lines)


def register_evaluate(sub: Any) -> None:
    """Add the ``evaluate`` command."""
    ev = sub.add_parser(
        "evaluate",
        help="out-of-sample forecasts of every FTA agreement (k folds or leave one case out) against two base rates",
    )
    ev.add_argument(
        "--from",
        dest="source",
        type=Path,
        metavar="DIR",
        default=Path("calibration-fta"),
        help="a finished 'calibrate' directory whose evaluations the folds reuse",
    )
    ev.add_argument(
        "--accept",
        type=_fraction,
        default=None,
        help="fraction kept per fold (default: the calibration's)",
    )
    ev.add_argument(
        "--folds",
        type=whole_number(2),
        default=None,
        help="k folds (default: 5 for an ABC-SMC calibration, each fold a new calibration; "
        "leave one case out for rejection)",
    )
    ev.add_argument(
        "--runs",
        type=whole_number(10),
        default=400,
        help="smc: runs of a held-out case, each under a particle drawn from its fold's posterior",
    )
    ev.add_argument(
        "--workers", type=whole_number(1), default=1, help="smc: local worker processes"
    )
    ev.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help="write scores.csv, summary.csv, evaluation.json, pit.html (and, for ABC-SMC, "
        "the folds' calibrations in DIR/folds)",
    )
    ev.add_argument("--json", action="store_true", help="print one JSON object")
    ev.set_defaults(handler=cmd_evaluate)


def cmd_evaluate(args: argparse.Namespace) -> int:
    import json

    if (args.source / "smc.json").exists():
        report, scores, summary = _evaluate_smc(args)
    else:
        report, scores, summary = _evaluate_rejection(args)
    folds = report["folds"]
    if args.out is not None:
        _write_evaluation(args.out, scores, summary, report, folds)
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(f"out-of-sample forecasts ({folds}; {len(report['cases'])} cases, {report['method']})\n")
    print(summary_table(summary))
    print("\nper agreement (model; * marks a record outside the 80% interval):")
    model = scores[scores["predictor"] == "model"]
    for row in model.itertuples():
        flag = " " if row.in80 else "*"
        print(
            f"{flag} {row.case + '/' + row.track:<32} {row.quantity:<22} record {row.observed:6.0f}  "
            f"median {row.median:6.0f}  80% [{row.p10:6.0f}, {row.p90:6.0f}]  PIT {row.pit:.2f}"
        )
    if args.out is not None:
        print(f"\nwrote scores.csv, summary.csv, evaluation.json, pit.html to {args.out}")
    return 0


def _evaluate_rejection(args: argparse.Namespace):
    import json

    from timeline_sim.cases.loading import load_case
    from timeline_sim.studies.calibrate import load_draws

    if not (args.source / "draws.json").exists():
        raise UsageError(
            f"--from {args.source}: no calibration there; run "
            f"'timeline-sim calibrate --out {args.source}' first"
        )
    require("lifelines", "evaluate (the Weibull base rate)")
    from timeline_sim.studies.evaluate import cross_validate, summarise

    try:
        draws = load_draws(args.source)
    except StudyError as exc:
        raise UsageError(str(exc)) from None
    meta = json.loads((args.source / "draws.json").read_text(encoding="utf-8"))
    posterior_file = args.source / "posterior.json"
    accept = args.accept
    if accept is None:
        accept = (
            json.loads(posterior_file.read_text(encoding="utf-8"))["provenance"]["accept_fraction"]
            if posterior_file.exists()
            else 0.005
        )
    cases = [load_case(name) for name in meta["cases"]]
    scores = cross_validate(draws, cases, accept, args.folds)
    summary = summarise(scores)
    report = {
        "method": f"rejection ABC, {len(draws.z):,} evaluations, kept {accept:g} per fold",
        "folds": "leave one case out" if args.folds is None else f"{args.folds} folds",
        "accept": accept,
        "evaluations": int(len(draws.z)),
        "cases": meta["cases"],
    }
    return _with_tables(report, scores, summary), scores, summary


def _evaluate_smc(args: argparse.Namespace):
    import json

    require("pyabc", "evaluate (ABC-SMC refits)")
    require("lifelines", "evaluate (the Weibull base rate)")
    from timeline_sim.studies.calibrate import CalibrationSpec
    from timeline_sim.studies.evaluate import summarise
    from timeline_sim.studies.refit import cross_validate_smc

    meta = json.loads((args.source / "smc.json").read_text(encoding="utf-8"))
    posterior_file = args.source / "posterior.json"
    if not posterior_file.exists():
        raise UsageError(f"--from {args.source}: the calibration is unfinished; --resume it")
    info = json.loads(posterior_file.read_text(encoding="utf-8"))
    provenance = info["provenance"]
    folds = args.folds or 5
    out = args.out = args.out or Path(f"evaluation-{info['family']}")
    from timeline_sim.output.files import check_directory

    check_directory(out)  # before the folds' calibrations, not after
    spec = CalibrationSpec(
        family=info["family"],
        cases=meta["cases"],
        population=meta["population"],
        generations=len(provenance["generations"]),
        simulations=provenance["simulations"] * 10,  # the folds stop by generations, not budget
        seed=meta["seed"],
        workers=args.workers,
        names=meta.get("candidates"),
        screen_draws=provenance["screen"]["draws"],
        screen_threshold=provenance["screen"]["threshold"],
    )
    try:
        scores = cross_validate_smc(spec, out / "folds", folds, args.runs, progress=True)
    except StudyError as exc:
        raise UsageError(str(exc)) from None
    except KeyboardInterrupt:
        raise Interrupted(
            f"finished folds are saved in {out / 'folds'}; run again to go on"
        ) from None
    summary = summarise(scores)
    report = {
        "method": f"ABC-SMC refitted per fold ({meta['population']} particles, "
        f"{spec.generations} generations), {args.runs} runs per held-out case",
        "folds": f"{folds} folds" if folds < len(meta["cases"]) else "leave one case out",
        "runs": args.runs,
        "cases": meta["cases"],
    }
    return _with_tables(report, scores, summary), scores, summary


def _with_tables(report: dict, scores, summary) -> dict:
    return {
        **report,
        "summary": summary.to_dict(orient="records"),
        "scores": scores.to_dict(orient="records"),
    }


def summary_table(summary) -> str:
    """The summary as aligned text."""
    lines = [
        f"{'delay':<22} {'predictor':<16} {'n':>3} {'cover50':>8} {'cover80':>8} "
        f"{'median AE':>10} {'CRPS':>8} {'vs median':>10}"
    ]
    for r in summary.itertuples():
        lines.append(
            f"{r.quantity:<22} {r.predictor:<16} {r.forecasts:>3} {r.coverage50:>8.0%} {r.coverage80:>8.0%} "
            f"{r.median_abs_error:>10.0f} {r.crps:>8.0f} {r.mae_vs_training_median:>+10.0%}"
        )
    return "\n".join(lines)


def _write_evaluation(out: Path, scores, summary, report, folds: str) -> None:
    import json

    from timeline_sim.figures.common import write_html
    from timeline_sim.figures.evaluation import evaluation_page
    from timeline_sim.output.files import check_directory, write_atomic

    check_directory(out)
    out.mkdir(parents=True, exist_ok=True)
    write_atomic(out / "scores.csv", lambda p: scores.to_csv(p, index=False))
    write_atomic(out / "summary.csv", lambda p: summary.to_csv(p, index=False))
    write_atomic(
        out / "evaluation.json", lambda p: p.write_text(json.dumps(report, indent=1) + "\n")
    )
    table = "<pre>" + summary_table(summary).replace("&", "&amp;").replace("<", "&lt;") + "</pre>"
    write_html(
        out / "pit.html",
        evaluation_page(scores, table, f"{folds}; every FTA agreement of the corpus"),
    )
