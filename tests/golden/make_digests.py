"""Write the digests of the seed episodes' replays (tests/golden/digests.json).

A refactoring guard, not a check of validity: the digests pin what the model
produced when they were written, so that moving code around cannot change a
single number unnoticed. Rewrite them (``python tests/golden/make_digests.py``)
only in a commit that changes the model on purpose, and say why in its message.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import timeline_sim as ts

HERE = Path(__file__).resolve().parent

#: (case, variant, seed, run, uncertain): replays of every case and variant, and study runs
REPLAYS = [
    (case, variant, seed, run, run > 0)
    for case, variants in (
        ("korea_ftas", (None, "singapore_first")),
        ("japan_ftas", (None, "no_singapore")),
        ("us_japan_autos", (None, "value_creating")),
        ("us_korea_autos", (None,)),
    )
    for variant in variants
    for seed, run in ((0, 0), (1, 0), (7, 0), (3, 5))
]


def digest(case: str, variant: str | None, seed: int, run: int, uncertain: bool) -> str:
    """SHA-256 of the event log, the state table and the summary of one replay."""
    loaded = ts.load_case(case, variant=variant)
    from timeline_sim.studies.uncertainty import draw_uncertain

    result = ts.run_one(
        loaded,
        ts.Params(),
        seed=seed,
        run_id=run,
        uncertainty=draw_uncertain if uncertain else None,
    )
    text = (
        result.events.to_csv(index=False)
        + result.states.to_csv(index=False)
        + json.dumps(result.to_json(), sort_keys=True)
        + json.dumps(result.drawn, sort_keys=True)
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def key(case: str, variant: str | None, seed: int, run: int) -> str:
    return f"{case}/{variant or 'baseline'}/seed-{seed}/run-{run}"


def study_digest(case: str, runs: int, seed: int) -> str:
    """SHA-256 of the runs table of a small study (uncertain parameters drawn per run)."""
    table = ts.run_many(ts.StudySpec(case, runs=runs, seed=seed))
    return hashlib.sha256(table.to_csv(index=False).encode("utf-8")).hexdigest()


#: (case, runs, seed) of the studies whose runs tables are pinned
STUDIES = [("korea_ftas", 12, 4), ("us_japan_autos", 12, 4)]


def all_digests() -> dict[str, str]:
    out = {key(c, v, s, r): digest(c, v, s, r, u) for c, v, s, r, u in REPLAYS}
    for case, runs, seed in STUDIES:
        out[f"{case}/study/seed-{seed}/runs-{runs}"] = study_digest(case, runs, seed)
    return out


if __name__ == "__main__":
    path = HERE / "digests.json"
    path.write_text(json.dumps(all_digests(), indent=2) + "\n")
    print(f"wrote {path}")
