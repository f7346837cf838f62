"""Fixtures for the evaluator driver tests: simulated devices, raw device ends, drivers that get stopped."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from kiosk.devices.base import Evaluator, Press
from kiosk.devices.simulator import SimulatedEvaluator
from kiosk.domain.clock import ManualClock
from tests.devices.device_end import DeviceEnd

CHINA = timezone(timedelta(hours=8))
T0 = datetime(2026, 5, 9, 10, 0, tzinfo=CHINA)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(T0)


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
