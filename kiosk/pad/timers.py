"""The Pad's timers, made by a factory the composition root passes in (QTimer by default), so that tests
run a timeout out at once with a fake one instead of waiting real seconds (qutebrowser's FakeTimer)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, overload

from PySide6.QtCore import QObject, Signal, SignalInstance


class Timer(Protocol):
    """The part of QTimer's interface the Pad uses."""

    @property
    def timeout(self) -> SignalInstance: ...

    @overload
    def start(self) -> None: ...

    @overload
    def start(self, msec: int, /) -> None: ...

    def stop(self) -> None: ...

    def isActive(self) -> bool: ...

    def setInterval(self, msec: int, /) -> None: ...

    def setSingleShot(self, single_shot: bool, /) -> None: ...


TimerFactory = Callable[[QObject], Timer]
"""Makes a timer given its parent: QTimer, or ManualTimers for timers that run out only when told."""


def single_shot(factory: TimerFactory, parent: QObject, slot: Callable[[], None]) -> Timer:
    """A timer that runs `slot` once, `start(ms)` after it is started."""
    timer = factory(parent)
    timer.setSingleShot(True)
    timer.timeout.connect(slot)
    return timer


def repeating(factory: TimerFactory, parent: QObject, interval_ms: int, slot: Callable[[], None]) -> Timer:
    """A timer that runs `slot` every `interval_ms` while it runs."""
    timer = factory(parent)
    timer.setInterval(interval_ms)
    timer.timeout.connect(slot)
    return timer


class ManualTimer(QObject):
    """A timer that never runs out by itself: its owner calls fire() (the screenshot tool, which stages each
    screen; tests).

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


class ManualTimers:
    """A timer factory (`timer_factory=` of Pad and PadApplication) that keeps every timer it made."""

    def __init__(self) -> None:
        self.made: list[ManualTimer] = []

    def __call__(self, parent: QObject | None = None) -> ManualTimer:
        timer = ManualTimer(parent)
        self.made.append(timer)
        return timer

    def running(self) -> list[ManualTimer]:
        return [timer for timer in self.made if timer.isActive()]

    def timeout(self) -> ManualTimer:
        """The one single-shot timer running now: the timeout of whatever the pad shows.

        Fails when none or several run, so whoever fires it knows which it fired.
        """
        running = [timer for timer in self.running() if timer.isSingleShot()]
        assert len(running) == 1, f"expected one timeout running, not {running}"
        return running[0]
