"""One owner per object (guide "Threads"): the Pad and the evaluator drivers check the thread on entry; other
threads get copies (the evaluator's view for the heartbeat, the port's counters, the uplink's status)."""

from __future__ import annotations

import concurrent.futures
from collections.abc import Callable
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from kiosk.devices.base import Counters
from kiosk.devices.evaluator_simulator import SimulatedEvaluator
from kiosk.threads import Shared, ThreadOwner, WrongThread
from tests.helpers.fakes import RecordingEvaluator
from tests.helpers.fixtures import MakePad


def elsewhere(fn: Callable[[], Any]) -> BaseException | None:
    """Runs fn on another thread; returns what it raised."""
    with concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="intruder") as pool:
        return pool.submit(fn).exception(timeout=10)


def test_the_owner_is_the_thread_that_made_it() -> None:
    owner = ThreadOwner("the thing")
    owner.check()
    error = elsewhere(owner.check)
    assert isinstance(error, WrongThread)
    assert "the thing" in str(error) and "intruder" in str(error)


def test_the_pad_refuses_calls_from_other_threads(make_pad: MakePad) -> None:
    app = make_pad()
    pad = app.pad
    for call in (pad.status, lambda: pad.touch_level(5), pad.sign_out, pad.screen_state, pad.check_defaults):
        assert isinstance(elsewhere(call), WrongThread)
    assert pad.status().device_id == app.ledger.device_id  # and its own thread is served


def test_a_driver_refuses_commands_from_other_threads(qtbot: QtBot) -> None:
    simulator = SimulatedEvaluator("frame", address=1)
    try:
        from kiosk.devices.frame_driver import FrameEvaluator
        from kiosk.domain.clock import SystemClock

        driver = FrameEvaluator(simulator.port, clock=SystemClock())
        driver.start()
        qtbot.waitUntil(lambda: driver.state.value == "connected", timeout=10_000)
        for call in (lambda: driver.arm(10), driver.disarm, driver.flash_all, driver.view):
            assert isinstance(elsewhere(call), WrongThread)
        with pytest.raises(WrongThread):
            driver._link.write(b"\x00")  # the port belongs to the link thread alone
        driver.stop()
    finally:
        simulator.close()


def test_counters_are_read_as_copies_while_the_port_thread_counts() -> None:
    counters = Counters()
    done = concurrent.futures.ThreadPoolExecutor(1)

    def count() -> None:
        for n in range(20_000):
            counters.add_extra(f"kind{n % 500}")
            counters.add("frames_decoded")

    running = done.submit(count)
    seen = 0
    while not running.done():
        snapshot = counters.snapshot()
        seen = max(seen, sum(snapshot.extra.values()))  # iterating a copy: never "changed size"
    running.result()
    done.shutdown()
    final = counters.snapshot()
    assert final.frames_decoded == 20_000 and sum(final.extra.values()) == 20_000
    assert seen <= 20_000


def test_the_heartbeat_reads_a_copy_of_the_evaluator_kept_on_the_qt_thread(
    qtbot: QtBot, make_pad: MakePad
) -> None:
    first = RecordingEvaluator()
    app = make_pad(evaluator=first)
    assert app.pad.evaluator_view.get().as_json() == {
        "protocol": "fake",
        "port": "fake://",
        "state": "connected",
        "firmware": "",
    }
    second = RecordingEvaluator()
    second.port = "fake://second"
    app.replace_evaluator(second)
    qtbot.waitUntil(lambda: app.pad.evaluator_view.get().port == "fake://second")
    # What another thread reads is a value, not the driver: readable there, and whole after the driver goes.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        view = pool.submit(app.pad.evaluator_view.get).result(timeout=10)
    assert (view.port, view.state) == ("fake://second", "connected")
    assert isinstance(elsewhere(second.view), WrongThread)  # the driver itself is not for other threads


def test_a_shared_value_is_replaced_whole() -> None:
    shared: Shared[tuple[int, int]] = Shared((0, 0))
    stop = False

    def publish() -> None:
        n = 0
        while not stop:
            n += 1
            shared.publish((n, n))

    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        running = pool.submit(publish)
        for _ in range(10_000):
            a, b = shared.get()
            assert a == b
        stop = True
        running.result(timeout=10)
