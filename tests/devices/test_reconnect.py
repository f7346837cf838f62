"""Pulling the cable: the driver notices through its own I/O error, and comes back armed on a new pty."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pytestqt.qtbot import QtBot

from kiosk.devices.base import EvaluatorState
from kiosk.devices.evaluator_simulator import SimulatedEvaluator
from kiosk.devices.frame_driver import FrameEvaluator
from kiosk.devices.port import ReconnectDelay
from kiosk.domain.clock import ManualClock
from tests.devices.conftest import Recorder

WAIT_MS = 8000


def test_unplug_then_replug_behind_the_same_symlink(
    qtbot: QtBot,
    tmp_path: Path,
    sims: Callable[..., SimulatedEvaluator],
    started: Callable[[FrameEvaluator], Recorder],
    clock: ManualClock,
) -> None:
    link = tmp_path / "evaluator"
    sim = sims("frame", link=link)
    first_pty = sim.pty_path
    driver = FrameEvaluator(str(link), clock=clock, delay=ReconnectDelay(fast_s=0.2))
    rec = started(driver)
    qtbot.waitUntil(lambda: driver.state == EvaluatorState.CONNECTED, timeout=WAIT_MS)
    driver.arm(0)
    assert sim.wait_for("armed")

    sim.unplug()
    qtbot.waitUntil(lambda: driver.state == EvaluatorState.DISCONNECTED, timeout=WAIT_MS)
    sim.clear_commands()
    sim.replug()
    assert link.resolve() == Path(sim.pty_path)
    qtbot.waitUntil(lambda: driver.state == EvaluatorState.CONNECTED, timeout=WAIT_MS)
    assert sim.wait_for("armed")  # the host restored the armed state on the new port
    assert sim.commands[:2] == ["queried", "armed"]
    assert sim.armed
    assert rec.states == ["connected", "disconnected", "connected"]
    assert driver.diagnostics.reconnects == 1

    sim.press(1)
    qtbot.waitUntil(lambda: len(rec.presses) == 1, timeout=WAIT_MS)
    assert rec.presses[0].armed
    assert first_pty  # (the pty may or may not get the same number back; the symlink is what matters)


def test_a_port_that_is_not_there_yet_is_retried(
    qtbot: QtBot,
    tmp_path: Path,
    sims: Callable[..., SimulatedEvaluator],
    started: Callable[[FrameEvaluator], Recorder],
    clock: ManualClock,
) -> None:
    link = tmp_path / "later"
    driver = FrameEvaluator(str(link), clock=clock, delay=ReconnectDelay(fast_s=0.2))
    rec = started(driver)
    qtbot.waitUntil(lambda: driver.state == EvaluatorState.DISCONNECTED, timeout=WAIT_MS)
    driver.disarm()
    sims("frame", link=link)
    qtbot.waitUntil(lambda: driver.state == EvaluatorState.CONNECTED, timeout=WAIT_MS)
    assert rec.states == ["disconnected", "connected"]
    assert driver.diagnostics.reconnects == 0  # it was never up before


def test_disarm_while_unplugged_is_restored_as_disarm(
    qtbot: QtBot,
    tmp_path: Path,
    sims: Callable[..., SimulatedEvaluator],
    started: Callable[[FrameEvaluator], Recorder],
    clock: ManualClock,
) -> None:
    link = tmp_path / "evaluator"
    sim = sims("frame", link=link)
    driver = FrameEvaluator(str(link), clock=clock, delay=ReconnectDelay(fast_s=0.2))
    started(driver)
    qtbot.waitUntil(lambda: driver.state == EvaluatorState.CONNECTED, timeout=WAIT_MS)
    driver.arm(0)
    assert sim.wait_for("armed")
    sim.unplug()
    qtbot.waitUntil(lambda: driver.state == EvaluatorState.DISCONNECTED, timeout=WAIT_MS)
    driver.disarm()
    sim.clear_commands()
    sim.replug()
    assert sim.wait_for("disarmed")
    assert "armed" not in sim.commands
