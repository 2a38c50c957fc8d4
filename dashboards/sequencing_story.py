"""The sequencing story: Japan's and Korea's first FTAs side by side, and Korea's
``singapore_first`` counterfactual (paper 000's argument, shown).

    python dashboards/sequencing_story.py --out sequencing_story.html [--seed 0] [--runs 500]
                                          [--results DIR] [--workers 2]

The same as ``timeline-sim dashboard story --out FILE``: it saves three replays
and a paired comparison under ``--results DIR`` (default: a temporary directory,
removed afterwards), then builds the dashboard from those saved files only
(``timeline_sim.cli.dashboard.build_story``).
"""

from __future__ import annotations

import sys

from timeline_sim.cli.main import main as timeline_sim


def main(argv: list[str] | None = None) -> int:
    return timeline_sim(["dashboard", "story", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    sys.exit(main())
