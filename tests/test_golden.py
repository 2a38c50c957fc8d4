"""The seed episodes replay bit for bit as when the golden digests were written.

A guard for refactoring: moving code must not change one number of an event
log, a state table, a summary or a study's runs table. The digests are rewritten
(``python tests/golden/make_digests.py``) only by a commit that changes the
model on purpose and says so.
"""

from __future__ import annotations

import json

import pytest

from .golden.make_digests import HERE, REPLAYS, STUDIES, digest, key, study_digest

STORED = json.loads((HERE / "digests.json").read_text())


@pytest.mark.parametrize("case,variant,seed,run,uncertain", REPLAYS)
def test_replay_matches_its_stored_digest(case, variant, seed, run, uncertain):
    """Event log, states and summary are identical to the stored digest."""
    assert digest(case, variant, seed, run, uncertain) == STORED[key(case, variant, seed, run)]


@pytest.mark.parametrize("case,runs,seed", STUDIES)
def test_study_runs_table_matches_its_stored_digest(case, runs, seed):
    """A small study's runs table (parameters drawn per run) is identical too."""
    assert study_digest(case, runs, seed) == STORED[f"{case}/study/seed-{seed}/runs-{runs}"]
