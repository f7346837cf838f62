"""AsciiEvaluator over real pseudo-terminals: K and S lines in, A/D/P lines out, drops counted."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pytestqt.qtbot import QtBot

from kiosk.devices.ascii_driver import AsciiEvaluator
from kiosk.devices.base import DeviceStatus, EvaluatorState
from kiosk.devices.evaluator_simulator import SimulatedEvaluator
from kiosk.devices.port import ReconnectDelay
from kiosk.domain.clock import ManualClock
from kiosk.domain.prompts import Prompt
from tests.devices.conftest import T0, Recorder
from tests.devices.device_end import DeviceEnd

WAIT_MS = 5000
Start = Callable[[AsciiEvaluator], Recorder]


def connected(qtbot: QtBot, driver: AsciiEvaluator) -> None:
    qtbot.waitUntil(lambda: driver.state == EvaluatorState.CONNECTED, timeout=WAIT_MS)


def test_host_commands_are_lines(
    qtbot: QtBot, device_end: DeviceEnd, started: Start, clock: ManualClock
) -> None:
    driver = AsciiEvaluator(device_end.port, clock=clock)
    started(driver)
    connected(qtbot, driver)
    driver.arm(60)
    driver.play(Prompt.PLEASE_RATE)
    driver.flash_all()  # no LED command in this protocol: nothing is sent
    driver.disarm()
    assert device_end.wait_for(b"D\r\n")
    assert device_end.received == b"A60\r\nP2\r\nD\r\n"


def test_presses_and_status(qtbot: QtBot, device_end: DeviceEnd, started: Start, clock: ManualClock) -> None:
    driver = AsciiEvaluator(device_end.port, clock=clock)
    rec = started(driver)
    connected(qtbot, driver)
    driver.arm(0)
    device_end.wait_for(b"A0\r\n")
    device_end.write(b"Sready\r\nK1\r\nK5\nK12\r")
    qtbot.waitUntil(lambda: len(rec.presses) == 3, timeout=WAIT_MS)
    assert [(p.button, p.level, p.armed, p.address, p.at) for p in rec.presses] == [
        (1, 5, True, 0, T0),
        (5, 1, True, 0, T0),
        (12, None, True, 0, T0),
    ]
    assert rec.statuses == [DeviceStatus(text="ready")]
    assert driver.diagnostics.unmapped_buttons == 1
    assert driver.diagnostics.frames_decoded == 4


def test_long_and_unknown_lines_are_dropped_and_counted(
    qtbot: QtBot, device_end: DeviceEnd, started: Start, clock: ManualClock
) -> None:
    driver = AsciiEvaluator(device_end.port, clock=clock)
    rec = started(driver)
    connected(qtbot, driver)
    device_end.write(b"K" + b"1" * 32 + b"\r\nhello\r\nK2\r\n")
    qtbot.waitUntil(lambda: len(rec.presses) == 1, timeout=WAIT_MS)
    assert rec.presses[0].button == 2
    assert rec.presses[0].armed is False
    assert driver.diagnostics.dropped_lines == 2
    assert driver.diagnostics.presses_while_disarmed == 1


def test_with_the_simulator_and_reconnect(
    qtbot: QtBot, tmp_path: Path, sims: Callable[..., SimulatedEvaluator], started: Start, clock: ManualClock
) -> None:
    link = tmp_path / "ascii"
    sim = sims("ascii", link=link)
    driver = AsciiEvaluator(str(link), clock=clock, delay=ReconnectDelay(fast_s=0.2))
    rec = started(driver)
    connected(qtbot, driver)
    driver.arm(0)
    driver.play(Prompt.WELCOME)
    assert sim.wait_for("prompt 1 played")
    assert sim.commands == ["armed", "prompt 1 played"]
    sim.press(4)
    qtbot.waitUntil(lambda: len(rec.presses) == 1, timeout=WAIT_MS)
    assert (rec.presses[0].button, rec.presses[0].level) == (4, 2)
    sim.unplug()
    qtbot.waitUntil(lambda: driver.state == EvaluatorState.DISCONNECTED, timeout=WAIT_MS)
    sim.clear_commands()
    sim.replug()
    qtbot.waitUntil(lambda: driver.state == EvaluatorState.CONNECTED, timeout=WAIT_MS)
    assert sim.wait_for("armed")


def test_status_lines_are_heartbeats(
    qtbot: QtBot, sims: Callable[..., SimulatedEvaluator], started: Start, clock: ManualClock
) -> None:
    sim = sims("ascii", heartbeat_s=0.1)
    driver = AsciiEvaluator(sim.port, clock=clock, heartbeat_timeout_s=1.0)
    rec = started(driver)
    qtbot.waitUntil(lambda: len(rec.statuses) >= 2, timeout=WAIT_MS)
    sim.heartbeat_s = 0
    qtbot.waitUntil(lambda: driver.state == EvaluatorState.UNRESPONSIVE, timeout=WAIT_MS)
    sim.send_status()
    qtbot.waitUntil(lambda: driver.state == EvaluatorState.CONNECTED, timeout=WAIT_MS)
    assert driver.can_speak
