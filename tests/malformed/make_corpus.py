"""Regenerate the corpus of malformed case files: ``python tests/malformed/make_corpus.py``.

Each file is a valid case (a shipped one, or a template) broken in one way.
``expected.json`` maps each file to a piece of text its rejection must contain
(the field named, or the file-level problem). The 50 MB file is not committed:
tests/test_validate.py writes it into a temporary directory.
"""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
KOREA = (ROOT / "cases" / "korea_ftas.toml").read_text(encoding="utf-8")
JAPAN = (ROOT / "cases" / "japan_ftas.toml").read_text(encoding="utf-8")
USKOR = (ROOT / "cases" / "us_korea_autos.toml").read_text(encoding="utf-8")
USJPN = (ROOT / "cases" / "us_japan_autos.toml").read_text(encoding="utf-8")


def sub(text: str, old: str, new: str, count: int = 1) -> str:
    assert old in text, old
    return text.replace(old, new, count)


CORPUS: dict[str, tuple[str | bytes, str]] = {
    # wrong types
    "type_string_for_number.toml": (
        sub(KOREA, "value = 273", 'value = "273"'),
        "parties.KOR.legislature.chambers[0].seats.value",
    ),
    "type_number_for_string.toml": (
        sub(KOREA, 'partner = "Chile"', "partner = 42"),
        "tracks.chile.partner",
    ),
    "type_bool_for_number.toml": (
        sub(KOREA, "value = 0.46", "value = true"),
        "tracks.chile.sectors[0].tariff.value",
    ),
    "type_native_date.toml": (
        sub(KOREA, 'date = "1998-11-01"', "date = 1998-11-01"),
        "start_date.date",
    ),
    "type_table_for_list.toml": (
        sub(USKOR, "[[targets]]", "[targets]", 1).replace("[[targets]]", "[targets2]"),
        "targets",
    ),
    "type_string_for_bool.toml": (
        sub(JAPAN, '"tracks.singapore.enabled" = false', '"tracks.singapore.enabled" = "no"'),
        "tracks.singapore.enabled",
    ),
    "type_chambers_four.toml": (
        sub(
            KOREA,
            '[[parties.KOR.legislature.chambers]]\nname = "National Assembly"',
            '[[parties.KOR.legislature.chambers]]\nname = "A"\n[[parties.KOR.legislature.chambers]]\nname = "B"\n'
            '[[parties.KOR.legislature.chambers]]\nname = "C"\n'
            '[[parties.KOR.legislature.chambers]]\nname = "National Assembly"',
        ),
        "parties.KOR.legislature.chambers",
    ),
    "type_bad_enum_side.toml": (
        sub(USKOR, 'side = "target"', 'side = "both"'),
        "tracks.autos_1997.shocks[0].side",
    ),
    # missing fields
    "missing_name.toml": (sub(KOREA, 'name = "korea_ftas"\n', ""), "name"),
    "missing_source.toml": (
        sub(
            USKOR,
            'exports = { value = 1900, unit = "vehicles a year (US cars sold in Korea, 1994)", source = "P:L381: about 1,900 US cars exported to Korea in 1994 [fact:US-KOR-AUTO:-:us_korea_autos.tracks.autos_1995.initiator.exports]" }',
            'exports = { value = 1900, unit = "vehicles a year" }',
        ),
        "tracks.autos_1995.initiator.exports.source",
    ),
    "missing_talks_start.toml": (
        sub(
            USKOR,
            'talks_start = { date = "1994-07-01", name = "low-level talks begin", source = "P:L379, P:L395-397 [fact:US-KOR-AUTO:-:us_korea_autos.tracks.autos_1995.talks_start]", note = "approximate: \'mid-1994\'" }\n',
            "",
        ),
        "tracks.autos_1995.talks_start",
    ),
    "missing_kind.toml": (sub(KOREA, 'kind = "fta"\n', ""), "kind"),
    "blank_source.toml": (
        sub(
            KOREA,
            "source = \"grape tariff '현행 46%' [fact:KOR-CHL:-:korea_ftas.tracks.chile.tariff_height]\"",
            'source = "   "',
        ),
        "tracks.chile.sectors[0].tariff.source",
    ),
    # unknown keys, with a "did you mean"
    "unknown_key_typo.toml": (
        sub(KOREA, "partner_ask = 1.0", "partner_asks = 1.0"),
        "did you mean 'partner_ask'",
    ),
    "unknown_top_level_key.toml": (
        sub(KOREA, 'country = "Korea"', 'country = "Korea"\ncountri = "Korea"'),
        "countri",
    ),
    "unknown_kind.toml": (sub(KOREA, 'kind = "fta"', 'kind = "treaty"'), "kind"),
    # dates
    "date_bad_format.toml": (
        sub(KOREA, 'date = "1999-12-14"', 'date = "14/12/1999"'),
        "tracks.chile.talks_start.date",
    ),
    "date_impossible_day.toml": (
        sub(KOREA, 'date = "1999-12-14"', 'date = "1999-02-30"'),
        "tracks.chile.talks_start.date",
    ),
    "date_talks_before_start.toml": (
        sub(KOREA, 'date = "1999-12-14"', 'date = "1997-12-14"'),
        "tracks.chile.talks_start",
    ),
    "date_target_before_talks.toml": (
        sub(KOREA, 'date = "2002-10-20"', 'date = "1999-01-20"'),
        "targets[0].date",
    ),
    "date_signed_before_concluded.toml": (
        sub(KOREA, 'date = "2003-02-15"', 'date = "2002-02-15"'),
        "targets[1].date",
    ),
    "date_sessions_out_of_order.toml": (
        sub(
            JAPAN,
            'opens = "2002-01-21", closes = "2002-07-31"',
            'opens = "2000-01-21", closes = "2000-07-31"',
        ),
        "parties.JPN.legislature.sessions[1]",
    ),
    "date_session_closes_before_opens.toml": (
        sub(JAPAN, 'closes = "2002-07-31"', 'closes = "2001-07-31"'),
        "parties.JPN.legislature.sessions[1]",
    ),
    "date_deadlines_out_of_order.toml": (
        sub(USJPN, 'date = "1994-09-30"', 'date = "1993-09-30"'),
        "tracks.autos.deadlines[1]",
    ),
    "date_year_9999.toml": (
        sub(USKOR, 'date = "1995-09-30"', 'date = "9999-09-30"'),
        "tracks.autos_1995.deadlines[0].date",
    ),
    # negative or huge durations and values
    "duration_huge_span.toml": (
        sub(USKOR, 'date = "1997-11-21"', 'date = "2090-11-21"'),
        "tracks.autos_1997.shocks[0]",
    ),
    "value_negative_exports.toml": (
        sub(
            USKOR,
            'value = 206000, unit = "vehicles a year shipped to the US (1994)"',
            'value = -206000, unit = "vehicles a year shipped to the US (1994)"',
        ),
        "tracks.autos_1995.target.exports",
    ),
    "value_huge.toml": (
        sub(KOREA, "value = 273", "value = 1e300"),
        "parties.KOR.legislature.chambers[0].seats.value",
    ),
    "value_huge_integer.toml": (
        sub(KOREA, "value = 273", "value = 9223372036854775807"),
        "parties.KOR.legislature.chambers[0].seats.value",
    ),
    "value_share_above_one.toml": (
        sub(USKOR, "value = 0.002", "value = 1.5"),
        "tracks.autos_1995.initiator.market_share",
    ),
    "value_aligned_share_above_one.toml": (
        sub(KOREA, "value = 0.21978", "value = 2.1978"),
        "tracks.chile.sectors[0].aligned_share",
    ),
    "value_shock_size_huge.toml": (
        sub(USKOR, "size = 0.0", "size = 1e9"),
        "tracks.autos_1997.shocks[1].size",
    ),
    # NaN and infinities
    "nan_fact.toml": (
        sub(KOREA, "value = 0.46", "value = nan"),
        "tracks.chile.sectors[0].tariff.value",
    ),
    "inf_fact.toml": (
        sub(KOREA, "value = 273", "value = inf"),
        "parties.KOR.legislature.chambers[0].seats.value",
    ),
    "neg_inf_issue.toml": (
        sub(KOREA, "home_opening = 0.0", "home_opening = -inf"),
        "tracks.chile.issue.home_opening",
    ),
    "nan_outcome_target.toml": (
        sub(USKOR, 'value = 0\nsource = "P:L391', 'value = nan\nsource = "P:L391'),
        "outcome_targets[0].value",
    ),
    "inf_tuning.toml": (KOREA + "\n[tuning]\nknob = inf\n", "tuning.knob"),
    # empty tracks, references
    "empty_tracks.toml": (
        sub(USKOR, "[tracks.autos_1995]", "[tracks]\n[other_table_autos_1995]").split(
            "[other_table_autos_1995]"
        )[0],
        "tracks",
    ),
    "all_tracks_disabled.toml": (
        sub(
            sub(JAPAN, "[tracks.singapore]\n", "[tracks.singapore]\nenabled = false\n"),
            "[tracks.mexico]\n",
            "[tracks.mexico]\nenabled = false\n",
        ),
        "tracks",
    ),
    "target_unknown_track.toml": (
        sub(
            KOREA,
            'track = "chile"\nmilestone = "concluded"',
            'track = "chilee"\nmilestone = "concluded"',
        ),
        "targets[0].track",
    ),
    "target_unknown_milestone.toml": (
        sub(KOREA, 'milestone = "concluded"', 'milestone = "concludded"'),
        "targets[0].milestone",
    ),
    "target_is_an_input.toml": (
        sub(
            USKOR,
            'milestone = "agreement"\ndate = "1998-10-20"',
            'milestone = "talks_launched"\ndate = "1997-10-01"',
        ),
        "targets[1].milestone",
    ),
    "target_section_301_is_an_input.toml": (
        sub(
            USKOR,
            'milestone = "agreement"\ndate = "1998-10-20"',
            'milestone = "section_301"\ndate = "1997-10-20"',
        ),
        "targets[1].milestone",
    ),
    # duplicates
    "duplicate_track_table.toml": (
        USKOR + '\n[tracks.autos_1995]\ndescription = "again"\n',
        "not valid TOML",
    ),
    "duplicate_key.toml": (
        sub(KOREA, 'country = "Korea"', 'country = "Korea"\ncountry = "Chile"'),
        "not valid TOML",
    ),
    "duplicate_target.toml": (
        sub(
            KOREA,
            "[[outcome_targets]]",
            '[[targets]]\ntrack = "chile"\nmilestone = "ratified"\ndate = "2004-02-16"\nsource = "duplicate of the ratified target"\n\n[[outcome_targets]]',
        ),
        "targets[15]",
    ),
    "duplicate_product.toml": (
        sub(KOREA, '{ name = "apples", weight = 23', '{ name = "grapes", weight = 23'),
        "tracks.chile.issue.products[1]",
    ),
    "duplicate_deadline.toml": (
        USJPN.replace(
            "[[tracks.autos.shocks]]",
            '[[tracks.autos.deadlines]]\ndate = "1995-03-31"\nkind = "benchmark"\nname = "again"\nsource = "duplicate entry"\n\n[[tracks.autos.shocks]]',
            1,
        ),
        "tracks.autos.deadlines[3]",
    ),
    # variants
    "variant_unknown_field.toml": (
        sub(JAPAN, '"tracks.singapore.enabled"', '"tracks.singapore.enabeld"'),
        "did you mean 'enabled'",
    ),
    "variant_unknown_track.toml": (
        sub(JAPAN, '"tracks.singapore.enabled"', '"tracks.thailand.enabled"'),
        "variants.no_singapore.changes.tracks.thailand.enabled",
    ),
    "variant_changes_a_target.toml": (
        sub(JAPAN, '"tracks.singapore.enabled" = false', '"targets" = []'),
        "variants.no_singapore.changes.targets",
    ),
    "variant_bad_value.toml": (
        sub(
            USJPN,
            '"tracks.autos.initiator.promises_broken.value" = 0',
            '"tracks.autos.initiator.promises_broken.value" = -4',
        ),
        "variants.value_creating",
    ),
    # parties, routes, sectors and clocks that name nothing
    "route_unknown_chamber.toml": (
        sub(
            KOREA,
            'route = [ { step = "legislature", source',
            'route = [ { step = "legislature", chambers = ["Senate"], source',
        ),
        "parties.KOR.route[0].chambers",
    ),
    "route_legislature_without_one.toml": (
        sub(
            KOREA,
            'route = [ { step = "cabinet", name = "executive approval"',
            'route = [ { step = "legislature", name = "executive approval"',
        ),
        "parties.SGP",
    ),
    "sector_unknown_party.toml": (
        sub(
            KOREA, 'party = "KOR"\nname = "fruit growers"', 'party = "KOX"\nname = "fruit growers"'
        ),
        "tracks.chile.sectors[0].party",
    ),
    "track_unknown_party.toml": (
        sub(KOREA, 'parties = ["KOR", "CHL"]', 'parties = ["KOR", "CHI"]'),
        "tracks.chile.parties[1]",
    ),
    "clock_without_chamber.toml": (
        sub(
            KOREA,
            '[parties.SGP]\nname = "Singapore"\n',
            '[parties.SGP]\nname = "Singapore"\nfast_track = { chambers = ["Parliament"], '
            'windows = [ { granted = "2002-01-01", source = "test" } ], '
            'vote_days = { value = 90, source = "test" }, source = "test" }\n',
        ),
        "parties.SGP.fast_track",
    ),
    "clock_chamber_named_wrong.toml": (
        sub(
            KOREA,
            '[parties.KOR]\nname = "Korea"\n',
            '[parties.KOR]\nname = "Korea"\nfast_track = { chambers = ["Senate"], '
            'windows = [ { granted = "2002-01-01", source = "test" } ], '
            'vote_days = { value = 90, source = "test" }, source = "test" }\n',
        ),
        "fast_track.chambers",
    ),
    "target_unknown_chamber.toml": (
        sub(
            KOREA,
            'chamber = "Senate"\ndate = "2004-01-22"',
            'chamber = "Senat"\ndate = "2004-01-22"',
        ),
        "chamber",
    ),
    "eif_rule_without_months.toml": (
        sub(
            KOREA,
            'entry_into_force = { rule = "days_after_notification", days = 30, source = "30 days after the exchange of documents',
            'entry_into_force = { rule = "first_day_of_month_after", source = "30 days after the exchange of documents',
        ),
        "tracks.chile.entry_into_force",
    ),
    # syntax, encoding, junk, nesting
    "broken_toml_unclosed.toml": (
        'name = "x"\nkind = "fta"\ntracks = [unclosed\n',
        "not valid TOML",
    ),
    "broken_toml_truncated.toml": (
        KOREA[: len(KOREA) // 2] + '\nsource = "trunc',
        "not valid TOML",
    ),
    "binary_junk.toml": (bytes(range(256)) * 8, "(file)"),
    "non_utf8_latin1.toml": (
        sub(KOREA, 'country = "Korea"', 'country = "Cor\u00e9e"').encode(
            "latin-1", errors="replace"
        ),
        "not UTF-8",
    ),
    "deep_nesting_arrays.toml": (
        'name = "deep"\nkind = "fta"\nx = ' + "[" * 5000 + "]" * 5000 + "\n",
        "(file)",
    ),
    "deep_nesting_tables.toml": (
        'name = "deep"\nkind = "fta"\n' + "[" + ".".join(f"t{i}" for i in range(40)) + "]\nv = 1\n",
        "nested more than",
    ),
    "empty_file.toml": ("", "kind"),
    "not_a_table_kind.toml": (sub(KOREA, 'kind = "fta"', 'kind = ["fta"]'), "kind"),
}


def main() -> None:
    expected = {}
    for name, (content, needle) in CORPUS.items():
        path = HERE / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        expected[name] = needle
    (HERE / "expected.json").write_text(json.dumps(expected, indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {len(expected)} files to {HERE}")


if __name__ == "__main__":
    main()
