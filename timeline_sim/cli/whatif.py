"""``timeline-sim forecast`` and ``timeline-sim sensitivity``: what the calibrated model says of one case.

timeline-sim forecast CASE --as-of YYYY-MM-DD [--track T] [--runs N] [--bandwidth DAYS]
timeline-sim sensitivity CASE [--track T] [--samples N] [--prim DAYS] [--out DIR]
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from timeline_sim.cli.errors import UsageError, require, whole_number


def _track(case, track: str | None) -> str:
    """The track ``--track`` names, or the case's only enabled one."""
    tracks = [n for n, t in case.model.tracks.items() if t.enabled]
    if track is None:
        if len(tracks) > 1:
            raise UsageError(f"{case.name} has tracks {', '.join(tracks)}: choose one with --track")
        return tracks[0]
    if track not in tracks:
        raise UsageError(f"--track {track!r}: {case.name} has tracks {', '.join(tracks)}")
    return track


def register_forecast(sub: Any) -> None:
    """Add the ``forecast`` command."""
    fc = sub.add_parser(
        "forecast", help="forecast a case's remaining milestones given the record up to a date"
    )
    fc.add_argument("case", help="a shipped case name or a path to a .toml file")
    fc.add_argument(
        "--as-of",
        required=True,
        metavar="YYYY-MM-DD",
        help="what has happened by this day is known",
    )
    fc.add_argument("--track", help="the track to forecast (needed when the case has several)")
    fc.add_argument(
        "--runs", type=whole_number(10), default=20_000, help="posterior predictive runs"
    )
    fc.add_argument("--seed", type=whole_number(0), default=0, help="study seed")
    fc.add_argument(
        "--bandwidth",
        type=float,
        default=90.0,
        help="days: how closely a run must match a recorded date",
    )
    fc.add_argument("--json", action="store_true", help="print one JSON object")
    fc.set_defaults(handler=cmd_forecast)


def cmd_forecast(args: argparse.Namespace) -> int:
    import datetime as dt
    import json

    from timeline_sim.cases.loading import load_case
    from timeline_sim.studies.forecast import forecast

    try:
        as_of = dt.date.fromisoformat(args.as_of)
    except ValueError:
        raise UsageError(f"--as-of {args.as_of!r}: not a date; give YYYY-MM-DD") from None
    if not args.bandwidth > 0:
        raise UsageError(f"--bandwidth {args.bandwidth}: give a positive number of days")
    case = load_case(args.case)
    track = _track(case, args.track)
    result = forecast(case, track, as_of, runs=args.runs, seed=args.seed, bandwidth=args.bandwidth)
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    ev = result["evidence"]
    print(f"{case.model.title}, track {track}, as of {result['as_of']}")
    known = ", ".join(f"{m} {d}" for m, d in ev["happened"].items()) or "nothing yet"
    print(f"known: {known}; failed votes so far: {ev['failed_votes']}")
    print(
        f"{result['consistent_runs']:,} of {result['runs']:,} runs agree with it "
        f"(effective {result['effective_runs']:.0f}, bandwidth {result['bandwidth_days']:g} days)\n"
    )
    print(
        f"{'milestone':<18} {'P(reached)':>10} {'p10':>11} {'median':>11} {'p90':>11} {'record':>11} {'pctile':>6}"
    )
    for row in result["forecast"]:
        if "p50" not in row:
            print(
                f"{row['milestone']:<18} {'-':>10}  too few agreeing runs reach it; record {row['record']}"
            )
            continue
        print(
            f"{row['milestone']:<18} {row['probability_reached']:>10.0%} {row['p10']:>11} {row['p50']:>11} "
            f"{row['p90']:>11} {row['record']:>11} {row['record_percentile']:>6.0%}"
        )
    if result["effective_runs"] < 30:
        print(
            "\nfew runs agree with the record so far: raise --runs or --bandwidth before trusting this"
        )
    return 0


def register_sensitivity(sub: Any) -> None:
    """Add the ``sensitivity`` command."""
    se = sub.add_parser(
        "sensitivity",
        help="Sobol indices of a case's delays to the shared parameters; PRIM scenario discovery",
    )
    se.add_argument("case", help="a shipped case name or a path to a .toml file")
    se.add_argument("--track", help="the track to analyse (needed when the case has several)")
    se.add_argument(
        "--samples",
        type=whole_number(8),
        default=256,
        help="Saltelli base samples (runs: samples x (k + 2))",
    )
    se.add_argument(
        "--seed", type=whole_number(0), default=0, help="seed of the samples and of every run"
    )
    se.add_argument(
        "--prim",
        type=float,
        default=365.0,
        metavar="DAYS",
        help="PRIM: find where the first outcome exceeds DAYS (FTA: ratification over a year)",
    )
    se.add_argument(
        "--out", type=Path, metavar="DIR", help="write sobol.csv, prim.json, sensitivity.html"
    )
    se.add_argument("--json", action="store_true", help="print one JSON object")
    se.set_defaults(handler=cmd_sensitivity)


def cmd_sensitivity(args: argparse.Namespace) -> int:
    import json

    from timeline_sim.cases.loading import load_case

    require("SALib", "sensitivity (Sobol indices)")
    require("ema_workbench", "sensitivity (PRIM)")
    from timeline_sim.studies.sensitivity import OUTCOMES, prim_box, sample_runs, sobol_indices

    case = load_case(args.case)
    track = _track(case, args.track)
    names, values, outcomes = sample_runs(case, track, args.samples, args.seed)
    table = sobol_indices(names, outcomes, case.kind, args.samples)
    outcome = OUTCOMES[case.kind][-1][0] if case.kind == "fta" else OUTCOMES[case.kind][0][0]
    event = outcomes[outcome].to_numpy() > args.prim
    box = prim_box(names, values, event) if 0 < event.mean() < 1 else None
    report = {
        "case": case.name,
        "track": track,
        "runs": int(len(outcomes)),
        "parameters": names,
        "sobol": table.to_dict(orient="records"),
        "prim": {"event": f"{outcome} > {args.prim:g}", "box": box},
    }
    if args.out is not None:
        _write_sensitivity(args.out, table, report)
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(
        f"{case.model.title}, track {track}: {len(outcomes):,} runs over the priors of {len(names)} parameters\n"
    )
    for _key, part in table.groupby("outcome", sort=False):
        print(part["label"].iloc[0])
        print(f"  {'parameter':<44} {'S1':>6} {'±':>5} {'ST':>6} {'±':>5}")
        for r in part.itertuples():
            print(
                f"  {r.parameter:<44} {r.S1:>6.2f} {r.S1_conf:>5.2f} {r.ST:>6.2f} {r.ST_conf:>5.2f}"
            )
        print()
    print(f"PRIM: where {outcome} > {args.prim:g}")
    if box is None:
        print("  the event happens in all or none of the runs: nothing to discover")
    else:
        print(
            f"  base rate {box['base_rate']:.0%}; box coverage {box['coverage']:.0%}, density {box['density']:.0%}, "
            f"mass {box['mass']:.0%}"
        )
        for r in box["restricted"]:
            print(
                f"  {r['parameter']:<44} {r['low']:>10.4g} to {r['high']:<10.4g} (prior {r['prior'][0]:g} to {r['prior'][1]:g})"
            )
    return 0


def _write_sensitivity(out: Path, table, report) -> None:
    import json

    import plotly.graph_objects as go

    from timeline_sim.figures.common import page, style_figure, write_html
    from timeline_sim.output.files import check_directory, write_atomic

    check_directory(out)
    out.mkdir(parents=True, exist_ok=True)
    write_atomic(out / "sobol.csv", lambda p: table.to_csv(p, index=False))
    write_atomic(
        out / "prim.json", lambda p: p.write_text(json.dumps(report["prim"], indent=1) + "\n")
    )
    figures = []
    for key, part in table.groupby("outcome", sort=False):
        fig = go.Figure()
        for index, colour in (("S1", "#0072B2"), ("ST", "#E69F00")):
            fig.add_trace(
                go.Bar(
                    y=part["parameter"],
                    x=part[index],
                    error_x={"type": "data", "array": part[f"{index}_conf"]},
                    orientation="h",
                    name=index,
                    marker_color=colour,
                )
            )
        fig.update_layout(
            barmode="group", xaxis_title="Sobol index", yaxis={"autorange": "reversed"}
        )
        figures.append((key, style_figure(fig, part["label"].iloc[0], 120 + 28 * len(part))))
    write_html(
        out / "sensitivity.html",
        page(f"Sensitivity: {report['case']}", f"track {report['track']}", figures),
    )


def register_predictive(sub: Any) -> None:
    """Add the ``predictive`` command."""
    pr = sub.add_parser(
        "predictive", help="each target's percentile in a case's posterior predictive runs"
    )
    pr.add_argument("cases", nargs="+", help="shipped case names or paths to .toml files")
    pr.add_argument(
        "--runs", type=whole_number(10), default=500, help="posterior predictive runs per case"
    )
    pr.add_argument("--seed", type=whole_number(0), default=0, help="study seed")
    pr.add_argument("--json", action="store_true", help="print one JSON object")
    pr.set_defaults(handler=cmd_predictive)


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.3g}" if abs(value) < 1000 else f"{value:,.0f}"
    return "-" if value is None else str(value)


def cmd_predictive(args: argparse.Namespace) -> int:
    import json

    from timeline_sim.cases.loading import load_case
    from timeline_sim.studies.predictive import target_percentiles

    report = {}
    for name in args.cases:
        case = load_case(name)
        report[case.name] = target_percentiles(case, args.runs, args.seed)
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    for name, rows in report.items():
        print(f"{name}: {args.runs} posterior predictive runs\n")
        print("| track | target | record | p10 | median | p90 | reached | record's percentile |")
        print("|---|---|---|---|---|---|---|---|")
        for r in rows:
            print(
                f"| {r['track']} | {r['target']} | {_cell(r['record'])} | {_cell(r.get('p10'))} | "
                f"{_cell(r.get('p50'))} | {_cell(r.get('p90'))} | {r['reached']:.0%} | {r['percentile']:.0%} |"
            )
        print()
    return 0
