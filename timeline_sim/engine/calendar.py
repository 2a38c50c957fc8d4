"""Simulation days to calendar dates, and dates with a known precision.

Time in a run is a float number of days since the case's start date. Every logged
event carries both that number and its calendar date.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from dataclasses import dataclass

_DATE_RE = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")


@dataclass(frozen=True)
class HistoricalDate:
    """A date from the record, possibly known only to the month.

    ``"2005-12"`` is read as the middle of the month (the 15th) with precision
    ``"month"``, so an error in days against it is honest to within about 15 days.
    """

    date: dt.date
    precision: str = "day"

    @classmethod
    def parse(cls, text: str) -> HistoricalDate:
        """Parse ``YYYY-MM-DD`` or ``YYYY-MM``; raise ValueError otherwise."""
        return _parse(cls, text)

    @classmethod
    def _parse_uncached(cls, text: str) -> HistoricalDate:
        match = _DATE_RE.match(text.strip())
        if not match:
            raise ValueError(f"{text!r} is not a date of the form YYYY-MM-DD or YYYY-MM")
        year, month, day = match.groups()
        if day is None:
            return cls(dt.date(int(year), int(month), 15), "month")
        return cls(dt.date(int(year), int(month), int(day)), "day")

    def __str__(self) -> str:
        if self.precision == "month":
            return self.date.strftime("%Y-%m")
        return self.date.isoformat()


@functools.lru_cache(maxsize=4096)
def _parse(cls: type[HistoricalDate], text: str) -> HistoricalDate:
    # case files name the same few hundred dates over and over: parse each once
    return cls._parse_uncached(text)


@dataclass(frozen=True)
class Calendar:
    """Converts between simulation time (days since ``start``) and dates."""

    start: dt.date

    def day(self, date: dt.date) -> float:
        """Simulation time of the start of ``date``."""
        return float((date - self.start).days)

    def date(self, t: float) -> dt.date:
        """Calendar date on which simulation time ``t`` falls."""
        return self.start + dt.timedelta(days=math.floor(t + 1e-9))

    def iso(self, t: float) -> str:
        """ISO date string of simulation time ``t``."""
        return _iso(self.start, math.floor(t + 1e-9))


@functools.lru_cache(maxsize=65536)
def _iso(start: dt.date, days: int) -> str:
    # summaries date the same milestones' days run after run: format each day once
    return (start + dt.timedelta(days=days)).isoformat()
