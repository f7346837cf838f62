"""Serial ports by name, and the thread that owns each (evaluator-protocol.md "Port naming and reconnecting").

A port is a device path (`/dev/ttyUSB0`, `COM3`), a USB identity `hwid:VID:PID[:SERIAL]`, or any pyserial
URL (`loop://`, `socket://HOST:PORT`, `rfc2217://…`). A PortLink opens it, reads it, writes it and reopens
it after an error, all on its own thread: like Electrum's hardware-wallet thread, one thread touches the
serial object, so a write never races a read or a close, and the Qt thread only queues work and never
blocks on the port.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any, Protocol

import serial
from serial.tools import list_ports

from kiosk.devices.base import Counters
from kiosk.threads import WrongThread

log = logging.getLogger(__name__)

HWID_PREFIX = "hwid:"
POLL_S = 0.02  # read timeout: how late a queued command or a timer (retry, stall, heartbeat) may run
WRITE_TIMEOUT_S = 1.0  # a device that stops reading is an I/O error, not a hung thread


class PortNotFound(serial.SerialException):  # type: ignore[misc]
    """No serial port matches a `hwid:` name (the device is unplugged)."""


def parse_hwid(name: str) -> tuple[int, int, str | None]:
    """`hwid:VID:PID[:SERIAL]` as (vid, pid, serial).

    Args:
        name: the configured port name; VID and PID are hexadecimal, any case.

    Raises:
        ValueError: when the name is not of that form.
    """
    parts = name[len(HWID_PREFIX) :].split(":", 2)
    if len(parts) < 2:
        raise ValueError(f"expected hwid:VID:PID[:SERIAL], got {name!r}")
    try:
        vid, pid = int(parts[0], 16), int(parts[1], 16)
    except ValueError:
        raise ValueError(f"VID and PID must be hexadecimal in {name!r}") from None
    return vid, pid, parts[2] if len(parts) == 3 else None


def find_hwid(name: str, ports: Iterable[Any]) -> str | None:
    """The device path of the first port matching a `hwid:` name, or None.

    Args:
        name: `hwid:VID:PID[:SERIAL]`; the serial number, when given, is compared case-insensitively too.
        ports: what `serial.tools.list_ports.comports()` returns (ListPortInfo objects).
    """
    vid, pid, serial_number = parse_hwid(name)
    for info in sorted(ports, key=lambda p: str(p.device)):
        if info.vid != vid or info.pid != pid:
            continue
        if serial_number is not None and (info.serial_number or "").lower() != serial_number.lower():
            continue
        return str(info.device)
    return None


def resolve_port(name: str) -> str:
    """What pyserial opens for a configured port name: `hwid:` names are looked up now, each time, so the
    device is found again when it comes back under another path.

    Raises:
        PortNotFound: when no port has that USB identity.
    """
    if not name.startswith(HWID_PREFIX):
        return name
    path = find_hwid(name, list_ports.comports())
    if path is None:
        raise PortNotFound(f"no serial port has USB identity {name[len(HWID_PREFIX) :]}")
    return path


def open_port(name: str, baud: int, timeout: float = POLL_S) -> Any:
    """Opens a port by configured name: device path, `hwid:` identity or pyserial URL.

    Args:
        name: the port's name.
        baud: the baud rate (8N1).
        timeout: the read timeout in seconds.

    Returns:
        An open pyserial port (serial.SerialBase).

    Raises:
        serial.SerialException: when it cannot be found or opened.
    """
    target = resolve_port(name)
    options: dict[str, Any] = {"baudrate": baud, "timeout": timeout, "write_timeout": WRITE_TIMEOUT_S}
    if "://" not in target:
        options["exclusive"] = True  # a second program on the port would steal half the bytes
    return serial.serial_for_url(target, **options)


class ReconnectDelay:
    """How long to wait before the next attempt to reopen: every second, every 5 s after a minute.

    Args:
        fast_s: the delay during the first minute of failure.
        slow_s: the delay after that.
        fast_for_s: how long the fast retries last.
    """

    def __init__(self, fast_s: float = 1.0, slow_s: float = 5.0, fast_for_s: float = 60.0) -> None:
        self.fast_s = fast_s
        self.slow_s = slow_s
        self.fast_for_s = fast_for_s

    def after(self, failing_for_s: float) -> float:
        """The delay before the next attempt, the port having been down for failing_for_s seconds."""
        return self.fast_s if failing_for_s < self.fast_for_s else self.slow_s


class LinkSession(Protocol):
    """What a protocol does with a port; PortLink calls it on the link thread only."""

    def on_link_up(self, now: float) -> None:
        """The port has just been (re)opened."""

    def on_link_data(self, data: bytes, now: float) -> None:
        """Bytes arrived (at monotonic time now)."""

    def on_link_tick(self, now: float) -> None:
        """A read returned (with or without bytes): run timers."""

    def on_link_down(self, reason: str) -> None:
        """The port is closed after an error, or could not be opened."""


class PortLink:
    """The thread that owns one serial port: opens, reads, writes, and reopens after any I/O error.

    Args:
        port: the port's configured name.
        baud: the baud rate.
        session: the protocol driven over the port.
        counters: the port's counters (reconnects).
        delay: the reconnect schedule.
        monotonic: the time passed to the session.
        opener: opens a port by name (open_port); the simulator's tests use the real one.
        name: the thread's name, for logs.
        label: what the log lines call the device (evaluator, idcard, scanner).
    """

    def __init__(  # noqa: PLR0913 - keyword-only collaborators a test may replace
        self,
        port: str,
        baud: int,
        session: LinkSession,
        counters: Counters,
        *,
        delay: ReconnectDelay | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        opener: Callable[[str, int], Any] = open_port,
        name: str = "evaluator",
        label: str = "evaluator",
    ) -> None:
        self.port = port
        self._baud = baud
        self._session = session
        self._counters = counters
        self._delay = delay or ReconnectDelay()
        self._monotonic = monotonic
        self._opener = opener
        self._calls: queue.SimpleQueue[Callable[[], None]] = queue.SimpleQueue()
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"{name} {port}", daemon=True)
        self._serial: Any = None
        self._was_up = False
        self._failing_since: float | None = None
        self._next_try = 0.0
        self._label = label

    @property
    def is_open(self) -> bool:
        """Whether the port is open (link thread only)."""
        return self._serial is not None

    def start(self) -> None:
        """Starts the link thread; the port is opened there."""
        self._thread.start()

    def stop(self, timeout: float = 1.0) -> None:
        """Stops the thread and closes the port; returns within timeout seconds."""
        self._stopping.set()
        if self._thread.is_alive() and threading.current_thread() is not self._thread:
            self._thread.join(timeout)

    def call_soon(self, call: Callable[[], None]) -> None:
        """Runs `call` on the link thread within one poll (20 ms). Thread-safe, never blocks."""
        self._calls.put(call)

    def check_thread(self) -> None:
        """Raises WrongThread unless called on the link thread (what only it may touch: the port, the
        session's decoding state)."""
        if threading.current_thread() is not self._thread:
            raise WrongThread(
                f"{self.port}'s link is used from {threading.current_thread().name!r}, not its own thread"
            )

    def write(self, data: bytes) -> None:
        """Writes to the open port. Link thread only; an error closes the link like a read error.

        Raises:
            serial.SerialException: the port is not open or the write failed (caught by the link loop).
        """
        self.check_thread()
        if self._serial is None:
            raise serial.SerialException("port is not open")
        self._serial.write(data)

    def _run(self) -> None:
        try:
            while not self._stopping.is_set():
                if self.is_open:
                    self._step()
                else:
                    self._reconnect_step()
        finally:
            self._close()

    def _reconnect_step(self) -> None:
        """Tries to open the port when the schedule says so; meanwhile runs queued calls."""
        now = self._monotonic()
        if now >= self._next_try and self._open(now):
            return
        self._run_calls(wait=max(0.0, min(self._next_try - self._monotonic(), POLL_S * 5)))

    def _open(self, now: float) -> bool:
        """One attempt to open the port; True when it is up."""
        try:
            self._serial = self._opener(self.port, self._baud)
        except (serial.SerialException, OSError, ValueError) as exc:
            if self._failing_since is None:
                log.warning("%s: cannot open %s: %s", self._label, self.port, exc)
                self._failing_since = now
                self._session.on_link_down(str(exc))
            else:
                log.debug("%s: still cannot open %s: %s", self._label, self.port, exc)
            self._next_try = now + self._delay.after(now - self._failing_since)
            return False
        if self._was_up:
            self._counters.add("reconnects")
        self._was_up = True
        self._failing_since = None
        log.info("%s: %s open", self._label, self.port)
        try:
            self._session.on_link_up(now)
        except (serial.SerialException, OSError) as exc:
            self._lose(exc)
            return False
        return True

    def _step(self) -> None:
        """Runs queued calls, one read and the session's timers."""
        try:
            self._run_calls(wait=0.0)
            if self._serial is None:  # a call's write failed and closed the port
                return
            data = self._serial.read(max(1, self._serial.in_waiting))
            now = self._monotonic()
            if data:
                self._session.on_link_data(data, now)
            self._session.on_link_tick(now)
        except (serial.SerialException, OSError) as exc:
            self._lose(exc)
        except Exception:  # a bug in decoding must not end the thread that owns the port
            log.exception("%s: error handling %s", self._label, self.port)

    def _run_calls(self, wait: float) -> None:
        """Runs the queued calls, waiting up to `wait` seconds for the first one."""
        try:
            call = self._calls.get(timeout=wait) if wait > 0 else self._calls.get_nowait()
        except queue.Empty:
            return
        while True:
            try:
                call()
            except (serial.SerialException, OSError) as exc:
                if self._serial is not None:
                    self._lose(exc)
                else:
                    log.debug("%s: %s is closed: %s", self._label, self.port, exc)
            except Exception:  # a bug in one command must not end the thread that owns the port
                log.exception("%s: command failed on %s", self._label, self.port)
            try:
                call = self._calls.get_nowait()
            except queue.Empty:
                return

    def _lose(self, exc: BaseException) -> None:
        """Closes the port after an I/O error and schedules the first attempt to reopen it."""
        log.warning("%s: %s lost: %s", self._label, self.port, exc)
        self._close()
        now = self._monotonic()
        self._failing_since = now
        self._next_try = now + self._delay.after(0.0)
        self._session.on_link_down(str(exc))

    def _close(self) -> None:
        port, self._serial = self._serial, None
        if port is not None:
            try:
                port.close()
            except (serial.SerialException, OSError) as exc:
                log.debug("%s: closing %s: %s", self._label, self.port, exc)
