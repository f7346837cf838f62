"""The console's fixtures: an injected clock for the PIN lockout, a pad with its console, a simulated
evaluator on a pseudo-terminal, a real sandbox province on loopback, and logging to the data directory."""

from __future__ import annotations

import logging
import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QCoreApplication
from pytestqt.qtbot import QtBot

from kiosk.app import PadApplication
from kiosk.devices.evaluator_simulator import SimulatedEvaluator
from kiosk.domain.clock import SystemClock
from kiosk.logs import setup_logging
from kiosk.store.ledger import Ledger
from kiosk.ui.technician import TechnicianConsole
from province.seed import DEMO_HALL
from province.server import SandboxServer
from tests.helpers.fixtures import MakePad

PIN = "97531864"
WAIT_MS = 20_000  # generous: only a hang fails a test


class FakeMonotonic:
    """The lockout's time source, moved by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def monotonic() -> FakeMonotonic:
    return FakeMonotonic()


def attach_console(app: PadApplication, monotonic: Callable[[], float]) -> TechnicianConsole:
    """The console the hidden gesture opens, made with the test's clock."""
    app.console = TechnicianConsole(app.controls, app.pad, app.window, monotonic=monotonic)
    return app.console


def open_console(qtbot: QtBot, app: PadApplication) -> TechnicianConsole:
    """Opens the console the way a technician does: the screens' hidden gesture."""
    app.window.technician_requested.emit()
    console = app.console
    assert console is not None
    qtbot.waitUntil(console.isVisible)
    return console


def unlock(
    qtbot: QtBot, app: PadApplication, monotonic: Callable[[], float], pin: str = PIN
) -> TechnicianConsole:
    """Opens the console and sets (first run) or types the PIN."""
    if app.console is None:
        attach_console(app, monotonic)
    console = open_console(qtbot, app)
    if not console.pin_hash:
        console.pin.type_pin(pin)  # the first-run screen asks twice
    console.pin.type_pin(pin)
    qtbot.waitUntil(lambda: console.unlocked)
    return console


@pytest.fixture
def simulator() -> Iterator[SimulatedEvaluator]:
    sim = SimulatedEvaluator("frame", address=1)
    yield sim
    sim.close()


def enrol(data_dir: Path, sandbox: SandboxServer, window: str = "A07") -> Path:
    """Makes the pad's ledger in `data_dir` and enrols its device with the sandbox (no code needed)."""
    ledger = Ledger.open(data_dir, SystemClock())
    try:
        ledger.store_device_secret(sandbox.store.add_device(ledger.device_id, DEMO_HALL, window))
    finally:
        ledger.close()
    return data_dir


def closed_port() -> int:
    """A loopback port nothing listens on (connections are refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def file_logging(tmp_path: Path) -> Iterator[Callable[[Path], None]]:
    """Logs to DIR/logs as `kiosk run` does; the handlers are removed afterwards."""
    root = logging.getLogger()
    level = root.level

    def start(data_dir: Path) -> None:
        setup_logging(data_dir)

    yield start
    for handler in list(root.handlers):
        if handler.get_name() == "kiosk":
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)
    QCoreApplication.processEvents()


@pytest.fixture
def make_pad(make_pad: MakePad) -> Iterator[MakePad]:
    """The shared make_pad, leaving the screens in Chinese afterwards: the translator is the application's,
    and a test that switched to English must not leave it to the next."""
    made: list[PadApplication] = []

    def make(*overrides: str, **kwargs: Any) -> PadApplication:
        app = make_pad(*overrides, **kwargs)
        made.append(app)
        return app

    yield make
    for app in made:
        window = getattr(app, "window", None)
        if window is not None and shiboken6.isValid(window) and window.languages.current != "zh_CN":
            window.set_language("zh_CN")
