"""A simulated serial barcode scanner on a pseudo-terminal, and `kiosk scanner simulate` (idcard-reader.md §3)."""

from __future__ import annotations

import logging
import select
import signal
import sys
import threading
import time
from collections.abc import Iterable
from pathlib import Path
from types import FrameType, TracebackType

from kiosk.devices.pseudo_terminal import PseudoTerminal, point_link, remove_link

log = logging.getLogger(__name__)

LINE_END = b"\r"  # the suffix most scanners leave the factory with
WRITE_TIMEOUT_S = 1.0


class SimulatedScanner:
    """A virtual scanner in USB-CDC mode on a new pseudo-terminal: each scan is one line.

    Args:
        link: a path made a symlink to the current pty (re-pointed on replug), like a udev name.
    """

    def __init__(self, link: Path | None = None) -> None:
        self.link = link
        self._lock = threading.Lock()
        self._pty = PseudoTerminal()
        self._point_link()

    @property
    def port(self) -> str:
        """What a driver opens: the symlink when one was asked for, else the pty's path."""
        return str(self.link) if self.link is not None else self._pty.path

    def scan(self, code: str, ending: bytes = LINE_END) -> None:
        """Sends one code as a scanner does: its characters, then the line ending (CR, LF or CR LF)."""
        self.write_raw(code.encode("utf-8") + ending)

    def write_raw(self, data: bytes) -> None:
        """Sends bytes as they are (a line cut short, an overlong one, several in one write)."""
        with self._lock:
            deadline = time.monotonic() + WRITE_TIMEOUT_S
            view = memoryview(data)
            while view and not self._pty.closed and time.monotonic() < deadline:
                view = view[self._pty.write(bytes(view)) :]
                if view:
                    select.select([], [self._pty.master], [], 0.05)

    def unplug(self) -> None:
        """Pulls the cable: closes the pty; the driver finds out through its own I/O error."""
        with self._lock:
            self._pty.close()
            if self.link is not None:
                remove_link(self.link, self._pty.path)

    def replug(self) -> None:
        """Plugs it back: a new pty, the symlink re-pointed."""
        with self._lock:
            self._pty = PseudoTerminal()
            self._point_link()

    def close(self) -> None:
        """Closes the pty and removes the symlink."""
        with self._lock:
            if self.link is not None:
                remove_link(self.link, self._pty.path)
            self._pty.close()

    def __enter__(self) -> SimulatedScanner:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def _point_link(self) -> None:
        if self.link is not None:
            point_link(self.link, self._pty.path)


class _StopSignalError(Exception):
    """SIGTERM or SIGINT: leave the input loop."""


def _stop(signum: int, frame: FrameType | None) -> None:
    raise _StopSignalError


def run_scanner_simulate(link: Path | None, lines: Iterable[str] | None = None) -> int:
    """`kiosk scanner simulate`: prints `simulate: port=PATH`, then sends each input line as one scan.

    Ends at end of input or on SIGTERM/SIGINT; exit status 0.

    Args:
        link: a symlink to make to the pty, printed instead of the pty's path.
        lines: the input lines (tests); standard input when None.
    """
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING, format="%(message)s")
    scanner = SimulatedScanner(link)
    previous = {sig: signal.signal(sig, _stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        print(f"simulate: port={scanner.port}", flush=True)
        for line in lines if lines is not None else sys.stdin:
            scanner.scan(line.rstrip("\r\n"))
    except _StopSignalError:
        pass
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        scanner.close()
    return 0
