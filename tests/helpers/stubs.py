"""Stand-ins for Qt's timers, so a test runs a timeout out at once instead of waiting for it (as
qutebrowser's tests do with their FakeTimer)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class FakeTimer(QObject):
    """A QTimer that never fires by itself: the test calls fire().

    It has the part of QTimer's interface the Pad uses; start(), stop(), setInterval() and setSingleShot()
    only change what isActive(), interval() and isSingleShot() answer.
    """

    timeout = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._active = False
        self._single_shot = False
        self._interval = 0
        self.started = 0
        """How many times start() was called."""

    def setInterval(self, msec: int) -> None:
        self._interval = msec

    def interval(self) -> int:
        return self._interval

    def setSingleShot(self, single_shot: bool) -> None:
        self._single_shot = single_shot

    def isSingleShot(self) -> bool:
        return self._single_shot

    def start(self, msec: int | None = None) -> None:
        if msec is not None:
            self._interval = msec
        self._active = True
        self.started += 1

    def stop(self) -> None:
        self._active = False

    def isActive(self) -> bool:
        return self._active

    def fire(self) -> None:
        """Runs the timer out now, as Qt would once its interval passed."""
        assert self._active, "a timer that is not running cannot run out"
        if self._single_shot:
            self._active = False
        self.timeout.emit()

    def __repr__(self) -> str:
        kind = "single-shot" if self._single_shot else "repeating"
        state = "active" if self._active else "stopped"
        return f"<FakeTimer {kind} {self._interval} ms {state}>"


class FakeTimers:
    """A timer factory (`timer_factory=` of Pad and PadApplication) that keeps every timer it made."""

    def __init__(self) -> None:
        self.made: list[FakeTimer] = []

    def __call__(self, parent: QObject | None = None) -> FakeTimer:
        timer = FakeTimer(parent)
        self.made.append(timer)
        return timer

    def running(self) -> list[FakeTimer]:
        return [timer for timer in self.made if timer.isActive()]

    def timeout(self) -> FakeTimer:
        """The one single-shot timer running now: the timeout of whatever the pad shows.

        Fails when none or several run, so a test that fires it knows which it fired.
        """
        running = [timer for timer in self.running() if timer.isSingleShot()]
        assert len(running) == 1, f"expected one timeout running, not {running}"
        return running[0]


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
