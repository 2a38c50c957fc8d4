"""Templates of new case files (``timeline-sim new-case``), written all or nothing.

Each template validates and replays as written; every value and source in it
is a placeholder to replace with the facts of the user's sources.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

_NAME_RE = re.compile(r"^[a-z][a-z0-9_]{0,59}$")

FTA_TEMPLATE = """\
# {name}: a new FTA case written from the template of `timeline-sim new-case`.
# Data only (TOML): nothing here can run code or read another file.
# Replace every value and every source with facts from your sources, then run
#   timeline-sim validate {filename}
#   timeline-sim replay {filename}
# Inputs (dated facts a run may schedule) are kept apart from targets (historical
# dates of endogenous milestones, only ever compared against). Never enter a
# conclusion, signature, vote or entry into force as an input: they must emerge.
# Cite sources as rows of data/history/*.csv ([hist:ID], [fact:ID]) or entries of
# docs/bibliography.md ([bib:KEY]) when the case ships with the project.

name = "{name}"
kind = "fta"
title = "TEMPLATE: a country's FTA"
description = "Replace with one paragraph: who negotiated what, and what history shows."
country = "Home"
home = "HOM"                      # the code of the home party below
# horizon = {{ date = "2012-12-31", source = "study design" }}   # runs end here (default: 12 years)

# ---------------------------------------------------------------- inputs
# Day 0 of a run: the first FTA initiative of the case.
[start_date]
date = "2000-01-01"
name = "TEMPLATE: first FTA initiative"
source = "TEMPLATE: replace with the source of this date"

# Every party that must ratify, with its route (steps in order: legislature,
# cabinet, court_review, referendum, implementation).
[parties.HOM]
name = "Home"
route = [ {{ step = "legislature", source = "TEMPLATE: how the home party ratifies" }} ]
ftas_in_force = {{ value = 0, unit = "agreements", source = "TEMPLATE: FTAs already in force at the start" }}
# presidential_elections = [ {{ date = "YYYY-MM-DD", name = "...", source = "..." }} ]
# shocks = [ {{ date = "YYYY-MM-DD", kind = "government_change", name = "...", source = "..." }} ]
# fast_track = {{ chambers = ["..."], windows = [ {{ granted = "YYYY-MM-DD", expires = "YYYY-MM-DD", source = "..." }} ],
#                vote_days = {{ value = 90, source = "..." }}, source = "..." }}

[parties.HOM.legislature]
name = "TEMPLATE: the legislature"
# sessions = [ {{ name = "...", opens = "YYYY-MM-DD", closes = "YYYY-MM-DD", source = "..." }} ]
#   votes only in session; leave out if the body can always be convened

[[parties.HOM.legislature.chambers]]
name = "TEMPLATE: the ratifying chamber"
seats = {{ value = 300, unit = "seats", source = "TEMPLATE: replace" }}
# government_seats = {{ value = 160, unit = "seats", source = "..." }}
elections = [
  {{ date = "2004-04-15", name = "TEMPLATE: general election", source = "TEMPLATE: replace" }},
]

[parties.PTA]
name = "Partner A"
route = [ {{ step = "cabinet", name = "TEMPLATE: approval by decree", source = "TEMPLATE: how the partner ratifies" }} ]

[tracks.partner_a]
partner = "Partner A"
parties = ["HOM", "PTA"]          # the home party first
description = "TEMPLATE: one agreement."
talks_start = {{ date = "2000-06-01", name = "TEMPLATE: first round", source = "TEMPLATE: replace" }}
initiated_by = {{ side = "home", source = "TEMPLATE: who proposed the talks" }}
summits = [
  {{ date = "2001-11-15", name = "TEMPLATE: a summit that acts as a deadline", source = "TEMPLATE: replace" }},
]
entry_into_force = {{ rule = "days_after_notification", days = 30, source = "TEMPLATE: the treaty's clause" }}

# Sectors that oppose (or support) the agreement, with their observable sizes.
[[tracks.partner_a.sectors]]
party = "HOM"
name = "farmers"
kind = "farm"                     # farm, fishery, industry, labour, services, other
stance = "opposed"
trade_share = {{ value = 0.05, unit = "share of the home party's imports from the partner", source = "TEMPLATE: replace" }}
tariff = {{ value = 0.3, unit = "ad valorem (1 = 100%)", source = "TEMPLATE: replace" }}
aligned_share = {{ value = 0.2, unit = "share of seats from farm districts", source = "TEMPLATE: replace" }}

[tracks.partner_a.issue]
name = "TEMPLATE: the sensitive issue"
unit = "share of the partner's farm-line requests met"
home_opening = 0.0
partner_ask = 1.0
source = "TEMPLATE: replace"
# products = [ {{ name = "...", weight = 40, source = "..." }} ]   # in the order they would be conceded

# ---------------------------------------------------------------- targets (compared only)
# agreement milestones: concluded, signed, breakdown, renegotiation_opened, renegotiated,
#   notes_exchanged, entry_into_force
# party milestones (add party = "CODE"; the home party's by default): submitted,
#   committee_passed, chamber_passed (with chamber = "..."), vote_failed, court_approved,
#   referendum_held, ratified
[[targets]]
track = "partner_a"
milestone = "concluded"
date = "2001-10"
source = "TEMPLATE: replace (YYYY-MM when only the month is known)"

[[targets]]
track = "partner_a"
milestone = "signed"
date = "2002-01-15"
source = "TEMPLATE: replace"

[[targets]]
track = "partner_a"
milestone = "ratified"
date = "2002-06-01"
source = "TEMPLATE: replace"

[[targets]]
track = "partner_a"
milestone = "entry_into_force"
date = "2002-09-01"
source = "TEMPLATE: replace"

[[outcome_targets]]
track = "partner_a"
outcome = "failed_votes"
value = 0
source = "TEMPLATE: replace"

# ---------------------------------------------------------------- counterfactuals
[variants.late_talks]
description = "TEMPLATE: talks open a year later."
changes = {{ "tracks.partner_a.talks_start.date" = "2001-06-01" }}
"""

DISPUTE_TEMPLATE = """\
# {name}: a new dispute case written from the template of `timeline-sim new-case`.
# Data only (TOML): nothing here can run code or read another file.
# Replace every value and every source with facts from your sources, then run
#   timeline-sim validate {filename}
#   timeline-sim replay {filename}
# Inputs: the start of talks, deadlines on the calendar (summits, Super 301
# dates, benchmarks), a statutory Section 301 clock, exogenous shocks. Targets:
# historical dates of endogenous milestones, only compared against. Never enter
# an agreement, a sanctions list or a WTO step as an input.

name = "{name}"
kind = "dispute"
title = "TEMPLATE: a market-access dispute"
description = "Replace with one paragraph: who pressed whom to open what, and how it ended."

# ---------------------------------------------------------------- inputs
[start_date]
date = "1995-01-01"
name = "TEMPLATE: day 0 of a run"
source = "TEMPLATE: replace with the source of this date"

[tracks.episode]
description = "TEMPLATE: one episode of the dispute."
talks_start = {{ date = "1995-01-15", name = "TEMPLATE: talks open", source = "TEMPLATE: replace" }}
# section_301_initiated = {{ date = "YYYY-MM-DD", name = "...", source = "..." }}
#   a statutory one-year clock; if given, 'section_301' cannot also be a target

[tracks.episode.initiator]
name = "Initiator"
exports = {{ value = 10000, unit = "vehicles a year sold in the target's market", source = "TEMPLATE: replace" }}
market_share = {{ value = 0.01, unit = "share of the target's market (0-1)", source = "TEMPLATE: replace" }}
trade_asymmetry = {{ value = 150000, unit = "vehicles a year by which the target out-sells it", source = "TEMPLATE: replace" }}
# trend = {{ value = 0.0, unit = "share a year", source = "..." }}
# promises_broken = {{ value = 1, unit = "earlier agreements judged unkept", source = "..." }}

[tracks.episode.target]
name = "Target"
exports = {{ value = 160000, unit = "vehicles a year shipped to the initiator", source = "TEMPLATE: replace" }}

[[tracks.episode.deadlines]]
date = "1995-09-30"
kind = "super301"                 # summit, super301 or benchmark
name = "TEMPLATE: a deadline on the calendar"
source = "TEMPLATE: replace"

# [[tracks.episode.shocks]]
# date = "YYYY-MM-DD"
# side = "target"                 # initiator or target
# kind = "financial_crisis"       # government_change, currency or financial_crisis
# name = "..."
# source = "..."

# ---------------------------------------------------------------- targets (compared only)
# milestones: section_301, wto_referral, sanctions_list, wto_complaint,
# counter_sanctions, agreement
[[targets]]
track = "episode"
milestone = "agreement"
date = "1995-09-28"
source = "TEMPLATE: replace"

[[outcome_targets]]
track = "episode"
outcome = "sanctions_imposed"
value = 0
source = "TEMPLATE: replace"
"""

TEMPLATES = {"fta": FTA_TEMPLATE, "dispute": DISPUTE_TEMPLATE}


def template(name: str, kind: str, filename: str | None = None) -> str:
    """The text of a new case file."""
    return TEMPLATES[kind].format(name=name, filename=filename or f"{name}.toml")


class NewCaseError(Exception):
    """new-case cannot write the file."""


def write_new_case(name: str, kind: str, out: Path) -> Path:
    """Write the template to ``out``, never overwriting, all or nothing."""
    if not _NAME_RE.match(name):
        raise NewCaseError(
            f"NAME {name!r}: use lower-case letters, digits and _, starting with a letter "
            "(at most 60 characters)"
        )
    if out.suffix != ".toml":
        raise NewCaseError(f"--out {out}: a case file must end in .toml")
    if out.exists() or out.is_symlink():
        raise NewCaseError(f"--out {out}: already exists; refusing to overwrite it")
    parent = out.parent if str(out.parent) else Path(".")
    if not parent.is_dir():
        raise NewCaseError(f"--out {out}: directory {parent} does not exist")
    if not os.access(parent, os.W_OK):
        raise NewCaseError(f"--out {out}: cannot write in {parent}")
    text = template(name, kind, out.name)
    try:
        fd, staging = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=parent)
    except OSError as exc:
        raise NewCaseError(f"--out {out}: {exc.strerror or exc}") from None
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(staging, 0o666 & ~umask)  # as an ordinary new file, not mkstemp's 0600
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        try:
            os.link(staging, out)  # atomic, and fails if the file appeared meanwhile
        except FileExistsError:
            raise NewCaseError(f"--out {out}: already exists; refusing to overwrite it") from None
        except OSError:  # file systems without hard links
            with open(out, "x", encoding="utf-8") as handle:
                handle.write(text)
    except OSError as exc:
        raise NewCaseError(f"--out {out}: {exc.strerror or exc}") from None
    finally:
        try:
            os.unlink(staging)
        except OSError:
            pass
    return out
