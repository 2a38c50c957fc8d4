"""The sequencing story: Japan's and Korea's first FTAs side by side, and Korea's
``singapore_first`` counterfactual (paper 000's argument, shown).

    python dashboards/sequencing_story.py --out sequencing_story.html [--seed 0] [--runs 500]
                                          [--results DIR] [--workers 2]

It first saves results with the public API (three replays with
``timeline_sim.output.files.write_replay`` and a paired comparison with ``timeline_sim.compare``) under
``--results DIR`` (default: a temporary directory, removed afterwards), then
builds the dashboard from those saved files only (``timeline_sim.figures.story.sequencing_story_html``).
The generated HTML is not committed: write it wherever you like with ``--out``.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from timeline_sim import ExecutionOptions, Params, StudySpec, load_case, run_one
from timeline_sim.figures.common import write_html
from timeline_sim.figures.story import sequencing_story_html
from timeline_sim.output.files import write_replay
from timeline_sim.studies import compare


def save_results(results: Path, seed: int, runs: int, workers: int) -> dict[str, Path]:
    """Run and save what the story shows; return the directories."""
    params = Params()
    dirs = {}
    for key, name, variant in (
        ("japan", "japan_ftas", None),
        ("korea", "korea_ftas", None),
        ("korea_variant", "korea_ftas", "singapore_first"),
    ):
        case = load_case(name, variant=variant)
        dirs[key] = results / f"replay-{key}"
        write_replay(dirs[key], case, params, run_one(case, params, seed=seed))
    dirs["comparison"] = results / "compare-korea-singapore_first"
    if dirs["comparison"].exists():
        shutil.rmtree(dirs["comparison"])
    compare(
        StudySpec("korea_ftas", runs, seed),
        "singapore_first",
        ExecutionOptions(workers=workers),
        out=dirs["comparison"],
    )
    return dirs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="the HTML file to write")
    parser.add_argument("--seed", type=int, default=0, help="seed of the replays and the study")
    parser.add_argument("--runs", type=int, default=500, help="paired runs of the comparison")
    parser.add_argument(
        "--workers", type=int, default=2, help="worker processes for the comparison"
    )
    parser.add_argument("--results", type=Path, help="keep the saved results in this directory")
    args = parser.parse_args(argv)
    results = args.results or Path(tempfile.mkdtemp(prefix="sequencing-story-"))
    results.mkdir(parents=True, exist_ok=True)
    try:
        dirs = save_results(results, args.seed, args.runs, args.workers)
        html, _figures = sequencing_story_html(
            dirs["japan"], dirs["korea"], dirs["korea_variant"], dirs["comparison"]
        )
        path = write_html(args.out, html)
    finally:
        if args.results is None:
            shutil.rmtree(results, ignore_errors=True)
    print(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
