"""systemd's notify protocol (sd_notify(3)) and its watchdog, pinged from Qt's event loop.

The unit is `Type=notify` with `WatchdogSec=`: systemd considers the pad started when it says READY=1, and
restarts it when the WATCHDOG=1 pings stop. The pings come from a QTimer on the Qt thread, so they stop when
the event loop stops turning (a deadlock, a blocking call on the GUI thread), which is exactly the failure a
kiosk nobody watches must recover from by itself. A crash is covered by `Restart=always` already.

The protocol is one datagram per message on the AF_UNIX socket named by $NOTIFY_SOCKET (a path, or an abstract
name written with a leading `@`), a few lines of socket code: no dependency. Without $NOTIFY_SOCKET (a
terminal, a test, the demo) every call is a no-op.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable, Mapping

from PySide6.QtCore import QObject, QTimer

log = logging.getLogger(__name__)


def _socket_address(name: str) -> str | bytes:
    """$NOTIFY_SOCKET as an address for sendto: `@name` is Linux's abstract namespace (a leading NUL)."""
    if name.startswith("@"):
        return b"\0" + name[1:].encode()
    return name


def watchdog_interval_s(env: Mapping[str, str] | None = None) -> float | None:
    """How often to ping: half of $WATCHDOG_USEC, as sd_watchdog_enabled(3) advises; None when systemd
    asks for no watchdog, or asks it of another process ($WATCHDOG_PID)."""
    env = os.environ if env is None else env
    usec = env.get("WATCHDOG_USEC", "")
    pid = env.get("WATCHDOG_PID", "")
    if not usec.isdigit() or int(usec) == 0:
        return None
    if pid and (not pid.isdigit() or int(pid) != os.getpid()):
        return None
    return int(usec) / 1_000_000 / 2


class SystemdNotifier:
    """Sends sd_notify messages to the service manager.

    Args:
        socket_name: the notify socket ($NOTIFY_SOCKET); empty or None: every call is a no-op.
    """

    def __init__(self, socket_name: str | None) -> None:
        self._address = _socket_address(socket_name) if socket_name else None
        self._socket: socket.socket | None = None
        self._failed = False

    @classmethod
    def from_environment(cls, env: Mapping[str, str] | None = None) -> SystemdNotifier:
        env = os.environ if env is None else env
        return cls(env.get("NOTIFY_SOCKET"))

    @property
    def enabled(self) -> bool:
        return self._address is not None

    def notify(self, *assignments: str) -> bool:
        """Sends `KEY=VALUE` lines as one datagram; True when sent.

        Never blocks and never raises: the socket is non-blocking, because a datagram socket whose reader
        has stopped reading blocks its writers once a few messages queue up, and a blocked ping would
        freeze the very event loop it reports on. A message that cannot go is dropped and the first
        failure logged: a pad whose manager went away or stalled keeps serving.
        """
        if self._address is None:
            return False
        payload = "\n".join(assignments).encode()
        try:
            if self._socket is None:
                self._socket = socket.socket(
                    socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC | socket.SOCK_NONBLOCK
                )
            self._socket.sendto(payload, self._address)
        except OSError as exc:
            if not self._failed:
                log.warning("cannot notify the service manager: %s", exc)
                self._failed = True
            return False
        return True

    def ready(self, status: str = "") -> bool:
        """READY=1: the pad is up (systemd's start job completes, `Type=notify`)."""
        return self.notify("READY=1", *([f"STATUS={status}"] if status else []))

    def status(self, text: str) -> bool:
        """A one-line status that `systemctl status kiosk` shows."""
        return self.notify(f"STATUS={text}")

    def ping(self) -> bool:
        """WATCHDOG=1: the pad is alive."""
        return self.notify("WATCHDOG=1")

    def stopping(self) -> bool:
        """STOPPING=1: a clean stop has begun."""
        return self.notify("STOPPING=1")

    def close(self) -> None:
        if self._socket is not None:
            self._socket.close()
            self._socket = None


class WatchdogPinger(QObject):
    """Pings systemd's watchdog from a QTimer, so the pings prove the Qt event loop turns.

    Args:
        notifier: where the pings go.
        interval_s: seconds between pings; None: half of $WATCHDOG_USEC. No interval (no watchdog asked for)
            or a disabled notifier: start() does nothing.
        is_healthy: asked before each ping; False withholds it, so that systemd restarts a pad that is
            alive but stuck (e.g. a worker thread that died). Must be quick: it runs on the Qt thread.
        parent: the Qt parent.
    """

    def __init__(
        self,
        notifier: SystemdNotifier,
        interval_s: float | None = None,
        is_healthy: Callable[[], bool] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._notifier = notifier
        self._interval_s = watchdog_interval_s() if interval_s is None else interval_s
        self._is_healthy = is_healthy
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.on_timeout)

    @property
    def active(self) -> bool:
        return self._timer.isActive()

    def start(self) -> None:
        """Pings now and then every interval, while the event loop runs."""
        if not self._notifier.enabled or not self._interval_s:
            return
        self._timer.start(max(1, round(self._interval_s * 1000)))
        self.on_timeout()

    def stop(self) -> None:
        self._timer.stop()

    def on_timeout(self) -> None:
        if self._is_healthy is not None and not self._is_healthy():
            log.error("the pad is not healthy: watchdog ping withheld")
            return
        self._notifier.ping()
