"""Plain-language names and one number format for everything a person reads.

The JSON outputs and the tables on disk keep their keys (``ratification_delay_days``);
only the text meant for reading uses these names and units. One format for
numbers: three significant figures, thousands separators, never an exponent;
shares as percentages, dollars as ``US$1.0bn``.
"""

from __future__ import annotations

import math
import re
from typing import Any

#: milestones of every case kind, as a sentence would name them
MILESTONES = {
    "talks_launched": "talks launched",
    "breakdown": "talks broke down",
    "concluded": "talks concluded",
    "signed": "signed",
    "submitted": "submitted to the legislature",
    "committee_passed": "passed committee",
    "vote_failed": "failed vote",
    "ratified_lower": "passed the lower house",
    "ratified": "ratified",
    "section_301": "Section 301 case opened",
    "wto_referral": "WTO case announced",
    "sanctions_list": "sanctions list published",
    "wto_complaint": "WTO complaint by the target",
    "counter_sanctions": "counter-sanctions list",
    "agreement": "agreement",
}

#: outcomes of every case kind: (plain name, unit); units are those of :func:`value`
OUTCOMES: dict[str, tuple[str, str]] = {
    "talks_days": ("talks: launch to conclusion", "days"),
    "ratification_delay_days": ("ratification delay", "days"),
    "failed_votes": ("failed or blocked votes", "count"),
    "side_payments_usd": ("side payments to farmers", "usd"),
    "side_payment_raises": ("raises of the side payments", "count"),
    "concession": ("concession on the sensitive issue", "share"),
    "terms_value": ("terms of the deal", "terms"),
    "breakdowns": ("breakdowns of the talks", "count"),
    "protests": ("farm protests", "count"),
    "largest_protest": ("largest protest", "protesters"),
    "deadlines_missed": ("deadlines missed", "count"),
    "deadlines_extended": ("deadlines extended", "count"),
    "sanctions_imposed": ("sanctions imposed", "flag"),
    "market_access": ("market access (cosmetic deals score low)", "score"),
    "share_of_demand_met": ("share of the demand met", "share"),
    "days_before_deadline": ("agreement before the deadline", "days"),
    "value_claiming_share": ("initiator's tactics that claim value", "share"),
    "target_value_claiming_share": ("target's tactics that claim value", "share"),
    "initiator_value": ("initiator's prospect-theory value", "score"),
    "target_value": ("target's prospect-theory value", "score"),
}

#: a case file's unit longer than this is given below a table, not in the row's name
LONG_UNIT = 30
#: units whose whole values are written without decimals
_WHOLE = {"days", "count", "protesters", "terms"}
#: units shown after a name in parentheses (the others show in the value itself)
_SUFFIX = {"days": "days", "protesters": "protesters"}


def milestone(name: str) -> str:
    """The plain name of a milestone (``committee_passed`` -> ``passed committee``)."""
    return MILESTONES.get(name, name.replace("_", " "))


def outcome(name: str, terms_unit: str | None = None) -> str:
    """The plain name of an outcome with its unit: ``ratification delay (days)``."""
    label, unit = OUTCOMES.get(name, (name.replace("_", " "), "number"))
    if unit == "terms" and terms_unit:
        short = short_unit(terms_unit)
        return f"{label} ({short if len(short) <= LONG_UNIT else 'unit below'})"
    suffix = _SUFFIX.get(unit)
    return f"{label} ({suffix})" if suffix else label


def unit_of(name: str) -> str:
    """The unit of an outcome (``days``, ``usd``, ``share``, ``count``, ...)."""
    return OUTCOMES.get(name, ("", "number"))[1]


def short_unit(text: str) -> str:
    """A case file's unit, shortened for a table: ``tonnes a year of pork`` -> ``tonnes/year of pork``."""
    return re.sub(r"\s+a year\b", "/year", text.strip())


def number(x: Any, whole: bool = False) -> str:
    """The one format of numbers: 1,224 / 267 / 26.7 / 4.56 / 0.64, never an exponent.

    Two decimals below 10, one below 100, none above, with thousands separators;
    ``whole`` (counts, days) writes a whole number without decimals.
    """
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "-"
    x = float(x)
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    if x == 0:
        return "0"
    if (whole and x.is_integer()) or abs(x) >= 100:
        return f"{x:,.0f}"
    if abs(x) >= 10:
        return f"{x:.1f}"
    if abs(x) >= 0.01:
        return f"{x:.2f}"
    return f"{x:.2g}"


def usd(x: Any) -> str:
    """US dollars, scaled: US$1.0bn, US$350m, US$12k, US$0."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "-"
    x = float(x)
    sign = "-" if x < 0 else ""
    x = abs(x)
    if x >= 1e9:
        return f"{sign}US${x / 1e9:,.1f}bn"
    if x >= 1e6:
        return f"{sign}US${x / 1e6:,.0f}m"
    if x >= 1e3:
        return f"{sign}US${x / 1e3:,.0f}k"
    return f"{sign}US${x:,.0f}"


def percent(x: Any) -> str:
    """A share as a percentage: 0.6445 -> 64.5%."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "-"
    return f"{100 * float(x):.1f}%"


def probability(x: Any) -> str:
    """A probability, two decimals: 0.74."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "-"
    return f"{float(x):.2f}"


def points(x: Any) -> str:
    """A difference of shares in percentage points: -0.159 -> -15.9 pts."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "-"
    return f"{100 * float(x):.1f} pts"


def is_share(unit: str, terms_unit: str | None = None) -> bool:
    """Whether values of ``unit`` are shares (shown as percentages)."""
    return unit == "share" or (unit == "terms" and (terms_unit or "").startswith("share"))


def value(x: Any, unit: str, terms_unit: str | None = None) -> str:
    """``x`` in ``unit``: dollars scaled, shares as percentages, other numbers plain."""
    if unit == "usd":
        return usd(x)
    if is_share(unit, terms_unit):
        return percent(x)
    if unit == "flag" and x in (0, 1):
        return "yes" if x else "no"
    return number(x, whole=unit in _WHOLE)


def plain_numbers(text: str) -> str:
    """Numbers in exponent notation within free text written in the one format (6.4e+04 -> 64,000)."""
    return re.sub(r"-?\d+(?:\.\d+)?e[+-]\d+", lambda m: number(float(m.group(0)), True), text)


def terms_units(case: Any) -> dict[str, str]:
    """Each track's unit of ``terms_value``, from the case file (FTA cases; none for others)."""
    tracks = getattr(getattr(case, "model", None), "tracks", {}) or {}
    return {
        name: track.issue.unit
        for name, track in tracks.items()
        if getattr(getattr(track, "issue", None), "unit", None)
    }


def unit_notes(units: dict[str, str], tracks: list[str]) -> list[str]:
    """Notes giving the long units of the terms of the deal named 'unit below' in a table."""
    return [
        f"terms of the deal, {track}: {short_unit(units[track])}"
        for track in tracks
        if track in units and len(short_unit(units[track])) > LONG_UNIT
    ]


#: track names written in capitals
_ACRONYMS = {"eu": "EU", "efta": "EFTA", "asean": "ASEAN", "us": "US", "uk": "UK", "wto": "WTO"}


def track(name: str) -> str:
    """The plain name of a track: ``autos_1995`` -> ``1995 episode``, ``new_zealand`` -> ``New Zealand``."""
    text = str(name)
    match = re.fullmatch(r"[a-z]+_(\d{4})", text)
    if match:
        return f"{match.group(1)} episode"
    if text == "domestic":
        return "domestic"
    return " ".join(_ACRONYMS.get(w, w.capitalize()) for w in text.split("_"))


def event(name: str) -> str:
    """The plain name of an event kind (``entry_into_force`` -> ``entry into force``)."""
    return MILESTONES.get(name, str(name).replace("_", " "))
