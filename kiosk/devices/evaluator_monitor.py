"""`kiosk evaluator monitor` (cli.md): a technician's and a conformance test's view of an evaluator.

It runs the pad's own driver in a Qt event loop, keeps the device armed, and prints one JSON line per
counted press on stdout; everything else (state changes, decoding errors, unmapped buttons) goes to stderr.
"""

from __future__ import annotations

import json
import logging
import signal
import sys
from types import FrameType
from typing import TextIO

from PySide6.QtCore import QCoreApplication, QObject, QTimer

from kiosk.devices import create_evaluator
from kiosk.devices.base import DEFAULT_BUTTONS, DeviceStatus, Press
from kiosk.domain.clock import SystemClock

log = logging.getLogger(__name__)

# Python runs signal handlers only between bytecodes; while Qt's event loop sleeps in C++ there are none,
# so a timer wakes it this often to let SIGTERM/SIGINT through.
SIGNAL_POLL_MS = 100


def press_json(press: Press) -> str:
    """A counted, mapped press as the monitor's JSON line (without the newline)."""
    return json.dumps(
        {"button": press.button, "level": press.level, "address": press.address, "at": press.at.isoformat()}
    )


class PressPrinter(QObject):
    """Writes presses to stdout as JSON lines, unmapped buttons and device status to stderr (state changes
    and decoding errors reach stderr through the driver's log).

    Args:
        out: where the JSON lines go (stdout), each flushed.
        err: where unmapped buttons and device status go (stderr).
    """

    def __init__(self, out: TextIO, err: TextIO) -> None:
        super().__init__()
        self._out = out
        self._err = err

    def on_press_received(self, press: Press) -> None:
        """One JSON line for a mapped press; an unmapped one goes to stderr."""
        if press.level is None:
            print(f"monitor: button {press.button} is not in the button map", file=self._err, flush=True)
            return
        try:
            print(press_json(press), file=self._out, flush=True)
        except BrokenPipeError:
            QCoreApplication.quit()  # nobody reads us any more

    def on_status_received(self, status: DeviceStatus) -> None:
        """The device's STATUS, to stderr."""
        print(f"monitor: status {status}", file=self._err, flush=True)


def run_monitor(port: str, protocol: str, baud: int, address: int, buttons: dict[int, int] | None) -> int:
    """Connects (reconnecting as the pad does), keeps the device armed, prints presses until SIGINT/SIGTERM.

    Args:
        port: device path, `hwid:…` or pyserial URL.
        protocol: frame or ascii.
        baud: the baud rate.
        address: the EVP/1 address to listen to; other addresses are ignored.
        buttons: the button map (`--map`), the default five-button map when None.

    Returns:
        0 after a signal.
    """
    logging.basicConfig(stream=sys.stderr, level=logging.INFO, format="monitor: %(message)s")
    app = QCoreApplication.instance() or QCoreApplication([sys.argv[0]])
    evaluator = create_evaluator(
        protocol, port, baud, address, DEFAULT_BUTTONS if buttons is None else buttons, [], SystemClock()
    )
    printer = PressPrinter(sys.stdout, sys.stderr)
    evaluator.press_received.connect(printer.on_press_received)
    evaluator.status_received.connect(printer.on_status_received)

    def on_signal(signum: int, frame: FrameType | None) -> None:
        QCoreApplication.quit()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
    waker = QTimer()
    waker.timeout.connect(lambda: None)
    waker.start(SIGNAL_POLL_MS)
    try:
        evaluator.start()
        evaluator.arm(0)
        app.exec()
    finally:
        waker.stop()
        evaluator.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 0
