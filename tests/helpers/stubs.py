"""Stand-ins for Qt's timers, so a test runs a timeout out at once instead of waiting for it (as
qutebrowser's tests do with their FakeTimer): the pad's own ManualTimer, which the screenshot tool uses too."""

from __future__ import annotations

from kiosk.pad.timers import ManualTimer as FakeTimer
from kiosk.pad.timers import ManualTimers as FakeTimers

__all__ = ["FakeMonotonic", "FakeTimer", "FakeTimers"]


class FakeMonotonic:
    """A monotonic clock (`monotonic=` of the drivers, the uplink worker, the console) moved by hand.

    Any thread may read it; only the test advances it.
    """

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds
