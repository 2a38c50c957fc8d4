"""Each party's route: fast-track clocks, expired authority, renegotiation, court review,
referendums, and entry into force waiting for the last party (one mechanism per test)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from timeline_sim.cases.loading import load_case
from timeline_sim.engine.calendar import Calendar
from timeline_sim.engine.runner import run_one
from timeline_sim.models.fta.entry import entry_day
from timeline_sim.models.fta.schema import EntryIntoForce
from timeline_sim.models.params import Params

from .conftest import DATA

FIXTURE = (DATA / "two_parties.toml").read_text(encoding="utf-8")
SEEDS = range(40)


def _case(tmp_path, *replacements: tuple[str, str], name: str = "case"):
    """The fixture with some text replaced, loaded and validated like any case file."""
    text = FIXTURE
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    path = tmp_path / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return load_case(path)


def _events(result, kind: str, actor: str | None = None):
    events = result.events
    rows = events[events["event"] == kind]
    return rows if actor is None else rows[rows["actor"] == actor]


def _day(result, iso: str | None) -> float:
    return np.nan if iso is None else (dt.date.fromisoformat(iso) - dt.date(2000, 1, 1)).days


def _party(result, code: str) -> dict:
    return result.tracks["only"]["parties"][code]


# ------------------------------------------------------------------ fast track


def test_a_fast_track_vote_happens_within_its_clock(tmp_path):
    """Under the clock, every chamber votes (up or down) within vote_days of submission."""
    case = _case(tmp_path)
    for seed in SEEDS:
        result = run_one(case, seed=seed)
        home = _party(result, "HOM")
        assert home["outcomes"]["fast_track"] == 1
        submitted = _day(result, home["milestones"]["submitted"])
        votes = _events(result, "vote_passed")
        votes = votes[votes["actor"].isin(["House", "Senate"])]
        failed = _events(result, "vote_failed")
        held = np.concatenate([votes["t"].to_numpy(), failed["t"].to_numpy()])
        assert held.size >= 1
        first_round = held[held <= submitted + 90 + 1e-9]
        assert first_round.size >= 1, (seed, submitted, held)
        assert _events(result, "vote_blocked").empty  # no obstruction under the clock


def test_without_the_clock_the_same_agreement_risks_amendment(tmp_path):
    """Outside an authority window the vote is not on the clock and the margin pays for it."""
    case = _case(
        tmp_path,
        ('expires = "2010-12-31"', 'expires = "2000-01-02"'),  # expires before any signature
    )
    params = Params().replace(**{"routes.amendment_risk": 2.0})
    on_clock = [run_one(_case(tmp_path, name="c2"), params, seed=s) for s in SEEDS]
    off_clock = [run_one(case, params, seed=s) for s in SEEDS]
    assert all(_party(r, "HOM")["outcomes"]["fast_track"] == 1 for r in on_clock)
    assert all(_party(r, "HOM")["outcomes"]["fast_track"] == 0 for r in off_clock)
    delay = [r.tracks["only"]["outcomes"]["ratification_delay_days"] for r in on_clock]
    slower = [r.tracks["only"]["outcomes"]["ratification_delay_days"] for r in off_clock]
    assert np.nanmedian(np.array(slower, dtype=float)) > np.nanmedian(np.array(delay, dtype=float))


def test_an_expired_authority_leaves_the_agreement_pending_until_it_is_renewed(tmp_path):
    """Submitted only while an authority is in force: held after expiry, submitted on renewal."""
    windows = (
        'windows = [ { granted = "1999-01-01", expires = "2000-06-30", source = "test fixture" }, '
        '{ granted = "2006-01-01", source = "test fixture" } ]'
    )
    case = _case(
        tmp_path,
        (
            'windows = [ { granted = "1999-01-01", expires = "2010-12-31", source = "test fixture" } ]',
            windows,
        ),
        (
            'vote_days = { value = 90, source = "test fixture" }, source',
            'vote_days = { value = 90, source = "test fixture" }, applies_to = "submitted_before_expiry", source',
        ),
    )
    params = Params().replace(**{"routes.amendment_risk": 10.0})  # no vote can pass off the clock
    renewal = (dt.date(2006, 1, 1) - dt.date(2000, 1, 1)).days
    for seed in range(10):
        result = run_one(case, params, seed=seed)
        signed = _day(result, result.tracks["only"]["milestones"]["signed"])
        assert signed > (dt.date(2000, 6, 30) - dt.date(2000, 1, 1)).days  # signed after expiry
        home = _party(result, "HOM")
        assert _day(result, home["milestones"]["submitted"]) >= renewal
        assert home["outcomes"]["fast_track"] == 1
        assert not _events(result, "held_back", "Home").empty
    never = _case(
        tmp_path,
        (
            'windows = [ { granted = "1999-01-01", expires = "2010-12-31", source = "test fixture" } ]',
            'windows = [ { granted = "1999-01-01", expires = "2000-06-30", source = "test fixture" } ]',
        ),
        (
            'vote_days = { value = 90, source = "test fixture" }, source',
            'vote_days = { value = 90, source = "test fixture" }, applies_to = "submitted_before_expiry", source',
        ),
        name="never",
    )
    stuck = run_one(never, params, seed=0)
    assert _party(stuck, "HOM")["milestones"]["submitted"] is None
    assert stuck.tracks["only"]["milestones"]["entry_into_force"] is None


# ------------------------------------------------------------------ renegotiation


def _blocked_partner(tmp_path, name: str = "blocked"):
    """A partner whose legislature is dominated by an opposed sector: votes keep failing."""
    sector = (
        '[[tracks.only.sectors]]\nparty = "PTR"\nname = "car makers"\nkind = "industry"\n'
        'stance = "opposed"\ntrade_share = { value = 0.4, source = "test fixture" }\n'
        'tariff = { value = 0.6, source = "test fixture" }\n'
        'aligned_share = { value = 0.9, source = "test fixture" }\n\n[tracks.only.issue]'
    )
    return _case(tmp_path, ("[tracks.only.issue]", sector), name=name)


def test_a_blocked_agreement_can_be_renegotiated(tmp_path):
    """Blocked long enough, the terms are reopened, cut, and every party ratifies the protocol."""
    case = _blocked_partner(tmp_path)
    params = Params().replace(**{"politics.renegotiation_patience_days": 200.0})
    reopened = 0
    for seed in range(20):
        result = run_one(case, params, seed=seed)
        track = result.tracks["only"]
        if track["milestones"]["renegotiated"] is None:
            continue
        reopened += 1
        assert track["outcomes"]["renegotiations"] == 1
        opened = _day(result, track["milestones"]["renegotiation_opened"])
        signed = _day(result, track["milestones"]["signed"])
        assert opened - signed >= 200.0
        cut = _events(result, "renegotiated")["value"].iloc[0]
        concluded = _events(result, "concluded")["value"].iloc[0]
        assert cut == pytest.approx(concluded * (1 - params.politics.renegotiation_cut))
        if track["milestones"]["entry_into_force"] is not None:  # ratified again after it
            ratified = _day(result, _party(result, "PTR")["milestones"]["ratified"])
            assert ratified > _day(result, track["milestones"]["renegotiated"])
    assert reopened >= 10
    off = Params().replace(
        **{"politics.renegotiation_patience_days": 200.0, "mechanisms.renegotiation": False}
    )
    assert all(
        run_one(case, off, seed=s).tracks["only"]["milestones"]["renegotiated"] is None
        for s in range(20)
    )


# ------------------------------------------------------------------ court review, referendum


def _in_force_delays(case, params=None) -> np.ndarray:
    out = []
    for seed in range(200):
        outcomes = run_one(case, params, seed=seed).tracks["only"]["outcomes"]
        out.append(
            np.nan
            if outcomes["entry_into_force_delay_days"] is None
            else outcomes["entry_into_force_delay_days"]
        )
    return np.array(out, dtype=float)


@pytest.mark.slow
def test_a_court_review_adds_its_own_delay(tmp_path):
    """A court review on the slowest party's route delays entry into force by about its length."""
    court = (
        '{ step = "legislature", source = "test fixture" },\n'
        '  { step = "court_review", name = "Constitutional Court", source = "test fixture" },'
    )
    plain = _case(tmp_path, name="plain")
    reviewed = _case(
        tmp_path, ('{ step = "legislature", source = "test fixture" },', court), name="court"
    )
    params = Params().replace(**{"routes.court_review_days": 400.0})
    base, with_court = _in_force_delays(plain, params), _in_force_delays(reviewed, params)
    gained = np.nanmean(with_court - base)
    assert (
        250 < gained < 450
    )  # about the review's mean length (less where the home party is slower)
    assert np.nanmin(with_court - base) >= -1e-9  # paired: never faster


@pytest.mark.slow
def test_a_mandatory_referendum_adds_its_own_delay(tmp_path):
    """A mandatory referendum adds about referendum_days; an optional one only its waiting period."""
    mandatory = '{ step = "referendum", referendum = "mandatory", source = "test fixture" },'
    optional = (
        '{ step = "referendum", referendum = "optional", days = { value = 100, source = "test fixture" }, '
        'source = "test fixture" },'
    )
    anchor = '{ step = "cabinet", name = "royal decree", source = "test fixture" },'
    plain = _case(tmp_path, name="plain")
    voted = _case(tmp_path, (anchor, mandatory + "\n  " + anchor), name="mandatory")
    waited = _case(tmp_path, (anchor, optional + "\n  " + anchor), name="optional")
    params = Params().replace(**{"routes.referendum_days": 300.0})
    base = _in_force_delays(plain, params)
    assert 150 < np.nanmean(_in_force_delays(voted, params) - base) < 330
    assert 20 < np.nanmean(_in_force_delays(waited, params) - base) < 110


# ------------------------------------------------------------------ entry into force


def test_entry_into_force_waits_for_the_last_party(tmp_path):
    """In force only after every party has ratified, on the day the clause gives."""
    case = _case(
        tmp_path,
        (
            '{ step = "cabinet", name = "royal decree", source = "test fixture" },',
            '{ step = "court_review", source = "test fixture" },\n  '
            '{ step = "cabinet", name = "royal decree", source = "test fixture" },',
        ),
    )
    for seed in range(20):
        result = run_one(case, seed=seed)
        track = result.tracks["only"]
        ratified = [_day(result, p["milestones"]["ratified"]) for p in track["parties"].values()]
        notes = _day(result, track["milestones"]["notes_exchanged"])
        in_force = _day(result, track["milestones"]["entry_into_force"])
        assert notes >= max(ratified)
        assert in_force == notes + 30  # days_after_notification, 30 days


def test_without_partner_ratification_only_the_home_party_counts(tmp_path):
    """The ablation of both-parties ratification: the partner's route never runs."""
    case = _case(tmp_path)
    params = Params().replace(**{"mechanisms.partner_ratification": False})
    result = run_one(case, params, seed=0)
    assert list(result.tracks["only"]["parties"]) == ["HOM"]
    assert _events(result, "submitted", "Partner").empty


def test_the_entry_into_force_clause_in_closed_form():
    """Days after notification, the first day of a later month, a fixed date or later."""
    calendar = Calendar(dt.date(2000, 1, 1))
    notified = calendar.day(dt.date(2009, 7, 29))
    days = EntryIntoForce(rule="days_after_notification", days=30, source="test")
    month = EntryIntoForce(rule="first_day_of_month_after", months=2, source="test")
    fixed = EntryIntoForce(rule="on_date", date="2010-01-01", source="test")
    assert calendar.date(entry_day(days, calendar, notified)) == dt.date(2009, 8, 28)
    assert calendar.date(entry_day(month, calendar, notified)) == dt.date(2009, 9, 1)
    assert calendar.date(entry_day(fixed, calendar, notified)) == dt.date(2010, 1, 1)
    late = calendar.day(dt.date(2010, 3, 5))
    assert calendar.date(entry_day(fixed, calendar, late)) == dt.date(2010, 3, 5)
    december = calendar.day(dt.date(2009, 12, 15))
    assert calendar.date(entry_day(month, calendar, december)) == dt.date(2010, 2, 1)
    assert entry_day(None, calendar, notified) == notified
