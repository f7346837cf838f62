"""SIGTERM and SIGINT while Qt's event loop sleeps in C++.

Python runs signal handlers only between bytecodes, so a sleeping event loop would never see them. The
wake-up fd makes the C-level handler write a byte to a socket that a QSocketNotifier watches, which wakes
the loop; the Python handler then runs and asks for a clean stop.
"""

from __future__ import annotations

import signal
import socket
from collections.abc import Callable

from PySide6.QtCore import QObject, QSocketNotifier, QTimer


class SignalWaker(QObject):
    """Calls `on_signal` on the Qt thread when SIGTERM or SIGINT arrives."""

    def __init__(self, on_signal: Callable[[int], None]) -> None:
        super().__init__()
        self._on_signal = on_signal
        self._read, self._write = socket.socketpair()
        self._read.setblocking(False)
        self._write.setblocking(False)
        self._old_fd = signal.set_wakeup_fd(self._write.fileno())
        self._notifier = QSocketNotifier(self._read.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._drain)
        self._old = {sig: signal.signal(sig, self._handle) for sig in (signal.SIGTERM, signal.SIGINT)}

    def _handle(self, signum: int, _frame: object) -> None:
        # Queued, not called: a signal that arrives while the pad is still starting (between its ready line
        # and its event loop, say) would otherwise ask a loop that is not running yet to quit, in vain.
        QTimer.singleShot(0, self, lambda: self._on_signal(signum))

    def _drain(self) -> None:
        try:
            while self._read.recv(64):
                pass
        except BlockingIOError:
            pass

    def close(self) -> None:
        self._notifier.setEnabled(False)
        signal.set_wakeup_fd(self._old_fd)
        for sig, handler in self._old.items():
            signal.signal(sig, handler)
        self._read.close()
        self._write.close()
