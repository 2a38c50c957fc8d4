"""Regenerate the reference pages that are written from the code.

    python -m timeline_sim.cli.docs

writes ``docs/events.md`` (every event kind of the engine and of each model
family) and ``docs/case-schema.md`` (every field of every case kind). Tests
check that both pages are current.
"""

from __future__ import annotations

from pathlib import Path

import timeline_sim.models  # noqa: F401  (registers every model's case and event kinds)
from timeline_sim.cases.reference import write_reference
from timeline_sim.engine.events import event_kinds_markdown

EVENTS_PAGE = Path(__file__).resolve().parents[2] / "docs" / "events.md"


def main() -> None:
    """Write both pages and say where."""
    EVENTS_PAGE.write_text(event_kinds_markdown(), encoding="utf-8")
    print(f"wrote {EVENTS_PAGE}")
    print(f"wrote {write_reference()}")


if __name__ == "__main__":
    main()
