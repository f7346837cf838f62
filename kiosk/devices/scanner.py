"""Barcode scanners of self-service terminals (idcard-reader.md §2): the interface and the serial driver.

A scanner reports case numbers, never raw codes: what it read is parsed at once (kiosk.domain.casecode), and
a code that is not a case number is refused and counted. A code may be anything a citizen holds up to the
window (a health code, a payment code), so no log line ever carries one, only its length.
"""

from __future__ import annotations

import enum
import logging
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal, Slot

from kiosk.devices.base import Counters, Diagnostics
from kiosk.devices.line_codec import LineDecoder
from kiosk.devices.port import PortLink, ReconnectDelay
from kiosk.domain.casecode import NOT_A_CASE_NUMBER, parse_case_code
from kiosk.threads import ThreadOwner

log = logging.getLogger(__name__)

MAX_SCAN_LINE = 256


class ScannerState(enum.StrEnum):
    """The scanner as technicians and the Pad see it."""

    CONNECTED = "connected"
    DISCONNECTED = "disconnected"
    NONE = "none"  # no scanner configured


class Scanner(QObject):
    """Base of the barcode scanners. Lives on the Qt thread.

    Signals:
        case_scanned(str): a code that is a case number: its projectNo.
        code_refused(str): a code that is not; the reason, `not_a_case_number`.
        state_changed(str): a ScannerState value.
    """

    case_scanned = Signal(str)
    code_refused = Signal(str)
    state_changed = Signal(str)

    protocol = "none"

    def __init__(self, port: str = "") -> None:
        super().__init__()
        self._owner = ThreadOwner(f"the {self.protocol} scanner")
        self.port = port
        self.state = ScannerState.NONE
        self.counters = Counters()
        self.state_changed.connect(self._on_state_changed)

    @Slot(str)
    def _on_state_changed(self, state: str) -> None:
        self.state = ScannerState(state)

    @property
    def diagnostics(self) -> Diagnostics:
        """The device's counters now: a copy, safe to keep and read on any thread."""
        return self.counters.snapshot()

    def start(self) -> None:
        """Starts listening; returns at once."""

    def stop(self) -> None:
        """Stops listening (and closes the port) within a second."""

    def take_code(self, text: str) -> None:
        """Reports one scanned code as a case number or a refusal (any thread)."""
        project_no = parse_case_code(text)
        if project_no is None:
            self._count("refused_codes")
            log.info("scanner: a code of %d characters is not a case number", len(text))
            self.code_refused.emit(NOT_A_CASE_NUMBER)
            return
        self._count("case_numbers")
        log.info("scanner: a case number was scanned")
        self.case_scanned.emit(project_no)

    def _count(self, name: str) -> None:
        self.counters.add_extra(name)


class NoScanner(Scanner):
    """`scanner.protocol = "none"`: no scanner fitted (a citizen may still type the 办件编号)."""


class SerialScanner(Scanner):
    """A scanner in USB-CDC (virtual COM) mode: each code one line ending in CR, LF or CR LF.

    Lines longer than 256 characters are dropped and counted (`dropped_lines`).

    Args:
        port: the port's name (device path, `hwid:…` or pyserial URL).
        baud: the baud rate (9600).
        delay: the reconnect schedule.
        monotonic: the time source of the link's timers.

    Signals:
        case_scanned(str): from the link thread, queued to the Qt thread.
        code_refused(str): likewise.
        state_changed(str): connected or disconnected.
    """

    protocol = "serial"

    def __init__(
        self,
        port: str,
        *,
        baud: int = 9600,
        delay: ReconnectDelay | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(port)
        self._decoder: LineDecoder[bytes] = LineDecoder(bytes, max_line=MAX_SCAN_LINE)
        self._link = PortLink(
            port,
            baud,
            self,
            self.counters,
            delay=delay,
            monotonic=monotonic,
            name="scanner",
            label="scanner",
        )
        self._reported: ScannerState | None = None

    # Qt thread.

    def start(self) -> None:
        """Opens the port on the link thread; returns at once."""
        self._owner.check()
        self._link.start()

    def stop(self) -> None:
        """Stops the link thread and closes the port, within about a second."""
        self._owner.check()
        self._link.stop()
        self._report(ScannerState.DISCONNECTED)

    # Link thread: LinkSession.

    def on_link_up(self, now: float) -> None:
        """The port is open."""
        self._link.check_thread()
        self._decoder.reset()
        self._report(ScannerState.CONNECTED)

    def on_link_down(self, reason: str) -> None:
        """The port is closed: a half-read code is forgotten."""
        self._link.check_thread()
        self._decoder.reset()
        self._report(ScannerState.DISCONNECTED)

    def on_link_data(self, data: bytes, now: float) -> None:
        """Splits the bytes into lines and reports each."""
        self._link.check_thread()
        dropped = self._decoder.dropped
        lines = self._decoder.feed(data)
        if self._decoder.dropped != dropped:
            self.counters.add("dropped_lines", self._decoder.dropped - dropped)
            log.warning("scanner: a line over %d characters was dropped", MAX_SCAN_LINE)
        for line in lines:
            self.counters.add("frames_decoded")
            self.take_code(line.decode("utf-8", "replace"))

    def on_link_tick(self, now: float) -> None:
        """No timers: a scanner speaks only when it reads a code."""
        self._link.check_thread()

    def _report(self, state: ScannerState) -> None:
        if state == self._reported:
            return
        self._reported = state
        log.info("scanner: %s", state.value)
        self.state_changed.emit(state.value)
