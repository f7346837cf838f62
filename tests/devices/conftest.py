"""Fixtures for the evaluator driver tests: simulated devices, raw device ends, drivers that get stopped."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from kiosk.devices.base import Evaluator, Press
from kiosk.devices.evaluator_simulator import SimulatedEvaluator
from kiosk.devices.serial_evaluator import SerialEvaluator
from kiosk.domain.clock import ManualClock
from tests.devices.device_end import DeviceEnd

CHINA = timezone(timedelta(hours=8))
T0 = datetime(2026, 5, 9, 10, 0, tzinfo=CHINA)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(T0)


def link_turned(driver: SerialEvaluator, timeout: float = 5.0) -> None:
    """Returns once the driver's link thread has been through a whole step (queued calls, a read, its
    timers) begun after this call: it has seen the monotonic clock as it is now, and run its timers by it.

    Two calls queued one after the other: the first runs at the start of a step, the second at the
    start of the next, after the first step's timers.
    """
    for _ in range(2):
        ran = threading.Event()
        driver._link.call_soon(ran.set)
        assert ran.wait(timeout), "the link thread did not turn"


@pytest.fixture
def sims() -> Iterator[Callable[..., SimulatedEvaluator]]:
    """Makes simulated evaluators, closed after the test."""
    made: list[SimulatedEvaluator] = []

    def make(*args: Any, **kwargs: Any) -> SimulatedEvaluator:
        sim = SimulatedEvaluator(*args, **kwargs)
        made.append(sim)
        return sim

    yield make
    for sim in made:
        sim.close()


@pytest.fixture
def device_end() -> Iterator[DeviceEnd]:
    """A raw pty whose master side the test drives byte by byte."""
    end = DeviceEnd()
    yield end
    end.close()


@pytest.fixture
def started() -> Iterator[Callable[[Evaluator], Recorder]]:
    """Starts a driver with a recorder of its signals; stops it after the test."""
    drivers: list[Evaluator] = []

    def start(driver: Evaluator) -> Recorder:
        recorder = Recorder(driver)
        drivers.append(driver)
        driver.start()
        return recorder

    yield start
    for driver in drivers:
        driver.stop()


class Recorder:
    """What a driver emitted, in order, as delivered on the Qt thread."""

    def __init__(self, driver: Evaluator) -> None:
        self.presses: list[Press] = []
        self.states: list[str] = []
        self.statuses: list[Any] = []
        driver.press_received.connect(self.presses.append)
        driver.state_changed.connect(self.states.append)
        driver.status_received.connect(self.statuses.append)
