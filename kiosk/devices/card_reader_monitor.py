"""`kiosk idcard monitor` (idcard-reader.md §3): a technician's view of an ID card reader being fitted.

It runs the terminal's own driver in a Qt event loop and prints one JSON line per card read on stdout, the
card masked (rules.md R3: never the whole number); refusals, state changes and decoding errors go to stderr.
"""

from __future__ import annotations

import json
import logging
import signal
import sys
from datetime import datetime
from types import FrameType
from typing import TextIO

from PySide6.QtCore import QCoreApplication, QObject, QTimer

from kiosk.devices import create_card_reader
from kiosk.devices.evaluator_monitor import SIGNAL_POLL_MS
from kiosk.domain.clock import CHINA_TIME, Clock, SystemClock
from kiosk.domain.idcard import IdCard

SAM_BAUD = 115200


def card_json(card: IdCard, at: datetime) -> str:
    """A card as the monitor's JSON line (without the newline): masked, with the time it was read."""
    at_text = at.astimezone(CHINA_TIME).replace(microsecond=0).isoformat()
    return json.dumps({**card.masked(), "at": at_text}, ensure_ascii=False)


class CardPrinter(QObject):
    """Writes cards read to stdout as masked JSON lines, refusals to stderr.

    Args:
        out: where the JSON lines go (stdout), each flushed.
        err: where refusals go (stderr).
        clock: the time of each read.
    """

    def __init__(self, out: TextIO, err: TextIO, clock: Clock) -> None:
        super().__init__()
        self._out = out
        self._err = err
        self._clock = clock

    def on_card_read(self, card: IdCard) -> None:
        """One masked JSON line."""
        try:
            print(card_json(card, self._clock.now()), file=self._out, flush=True)
        except BrokenPipeError:
            QCoreApplication.quit()  # nobody reads us any more

    def on_card_refused(self, reason: str) -> None:
        """The refusal's reason code, to stderr."""
        print(f"monitor: card refused: {reason}", file=self._err, flush=True)


def run_idcard_monitor(port: str) -> int:
    """Polls a reader (reconnecting as the terminal does) and prints each card read until SIGINT/SIGTERM.

    Args:
        port: device path, `hwid:…` or pyserial URL.

    Returns:
        0 after a signal.
    """
    logging.basicConfig(stream=sys.stderr, level=logging.INFO, format="monitor: %(message)s")
    app = QCoreApplication.instance() or QCoreApplication([sys.argv[0]])
    clock = SystemClock()
    reader = create_card_reader("sam", port, SAM_BAUD, clock)
    printer = CardPrinter(sys.stdout, sys.stderr, clock)
    reader.card_read.connect(printer.on_card_read)
    reader.card_refused.connect(printer.on_card_refused)

    def on_signal(signum: int, frame: FrameType | None) -> None:
        QCoreApplication.quit()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
    waker = QTimer()
    waker.timeout.connect(lambda: None)
    waker.start(SIGNAL_POLL_MS)
    try:
        reader.start()
        app.exec()
    finally:
        waker.stop()
        reader.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 0
