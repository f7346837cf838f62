"""Rules that need arithmetic: the R6 default window and the R11 public results."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from kiosk.domain.levels import LEVELS, CountsAs
from kiosk.domain.timefmt import parse_time

MIN_RATINGS_FOR_RESULTS = 20
"""R11: figures are shown only for a period holding at least this many ratings."""


def default_window_end(window_start: str, default_after_days: int) -> datetime:
    """The end of R6's window: finishTime (else acceptTime) plus N natural days, in that time's offset."""
    return parse_time(window_start) + timedelta(days=default_after_days)


@dataclass(frozen=True)
class WindowResults:
    """A window's results over completed days (R11), or why they are not shown."""

    first_day: date
    last_day: date
    counts: Mapping[int, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def shown(self) -> bool:
        """Whether the period holds enough ratings that no single one can be read off the figures."""
        return self.total >= MIN_RATINGS_FOR_RESULTS

    @property
    def good_rate(self) -> float:
        """好评率: the share of ratings that count as good (levels 4 and 5)."""
        if not self.total:
            return 0.0
        good = sum(n for s, n in self.counts.items() if LEVELS[s].counts_as is CountsAs.GOOD)
        return good / self.total


def completed_days(now: datetime, days: int) -> tuple[datetime, datetime]:
    """The start and end instants of the `days` completed local days before `now`'s day (R11: no
    partial day, so a rating made today cannot be read off a change in the figures)."""
    today = datetime.combine(now.date(), time(0), tzinfo=now.tzinfo)
    return today - timedelta(days=days), today
