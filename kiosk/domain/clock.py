"""Where the pad gets the time (rules.md R13): injectable, so that tests need not wait a week (R6).

Civil time is China Standard Time whatever zone the system is set to: a minimal image set to UTC would
otherwise show citizens a clock 8 hours off and cut R6's and R11's days at 08:00 Beijing time. And many pads
have no battery-backed clock, so the pad corrects its own clock by the offset to the province's time that
the uplink learns (ProvinceClock), and never sets the system clock itself.
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone
from typing import Protocol

CHINA_TIME = timezone(timedelta(hours=8), "CST")
"""UTC+8, no daylight saving: the civil time of every time the pad shows or writes."""

CLOCK_ALERT_S = 120.0
"""R13: an offset to the province's time beyond this is a technician alert (the pad keeps working)."""

SERVER_TIME_RESOLUTION_S = 1.0
HEADER_RESOLUTION_S = 2.0
"""The province tells its time in whole seconds (serverTime), or to the second in an HTTP Date header after
the answer's journey: a new offset is taken only when it differs from the one in force by more than these,
so that it does not flicker by a second from one answer to the next."""


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, aware."""
        ...


class SystemClock:
    """The system's clock, in China Standard Time."""

    def now(self) -> datetime:
        return datetime.now(CHINA_TIME)


class ManualClock:
    """A clock that moves only when told to."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("ManualClock needs an aware datetime")
        self._now = start

    def now(self) -> datetime:
        return self._now

    def advance(self, delta: timedelta) -> None:
        self._now += delta

    def set(self, value: datetime) -> None:
        self._now = value


class ProvinceClock:
    """The pad's clock corrected by its offset to the province's time (R13); safe from any thread.

    Before any offset is known it is the pad's own clock. Every time the pad checks or writes comes from
    here: the bridge's "not in the future", assessTime, the R6 window, the idle screen, R11's periods, and
    the timestamps the uplink signs.

    Args:
        base: the pad's own clock.
        offset_s: an offset learned before (kept in the ledger across restarts), or None.
    """

    def __init__(self, base: Clock, offset_s: float | None = None) -> None:
        self._base = base
        self._lock = threading.Lock()
        self._offset = timedelta(seconds=offset_s or 0.0)
        self._known = offset_s is not None
        self._exact = False  # a serverTime was learned in this run: Date headers no longer count

    def now(self) -> datetime:
        with self._lock:
            offset = self._offset
        return self._base.now() + offset

    def restore(self, offset_s: float) -> None:
        """The offset learned before a restart, in force until the province tells its time again."""
        with self._lock:
            self._offset, self._known = timedelta(seconds=offset_s), True

    @property
    def offset_s(self) -> float | None:
        """The province's time minus the pad's own, in seconds; None before the province told its time."""
        with self._lock:
            return self._offset.total_seconds() if self._known else None

    def learn(self, server_unix: float, *, exact: bool) -> bool:
        """Takes the province's time, as it was when its answer arrived.

        Args:
            server_unix: the province's time, unix seconds.
            exact: true for a `serverTime`, false for an HTTP Date header. A Date header counts only until
                the province has told a serverTime in this run (a profile without one lives on headers), and
                only when it moves the offset by more than HEADER_RESOLUTION_S.

        Returns:
            Whether the offset changed.
        """
        offset = timedelta(seconds=server_unix - self._base.now().timestamp())
        resolution = SERVER_TIME_RESOLUTION_S if exact else HEADER_RESOLUTION_S
        if abs(offset.total_seconds()) <= resolution:
            offset = timedelta(0)  # as near as the province's time can tell: the clocks agree
        with self._lock:
            if not exact and self._exact:
                return False
            self._exact = self._exact or exact
            if self._known and abs(offset - self._offset).total_seconds() <= resolution:
                return False
            self._offset, self._known = offset, True
        return True

    def unix(self) -> float:
        """The corrected time as unix seconds (what a signature's timestamp carries)."""
        return self.now().timestamp()


def clock_alert(offset_s: float | None) -> str | None:
    """The `clock` alert's detail for technicians while the offset is over CLOCK_ALERT_S, else None."""
    if offset_s is None or abs(offset_s) <= CLOCK_ALERT_S:
        return None
    direction = "behind" if offset_s > 0 else "ahead of"
    return (
        f"the pad's own clock is {abs(offset_s):.0f} s {direction} the province's; the pad uses the "
        "province's time, but the system clock should be set (chrony or systemd-timesyncd)"
    )
