"""The one interface every evaluator family implements (evaluator-protocol.md).

The driver reports presses and states; the Pad decides what a press means (rules R7, R8). Drivers do
their serial I/O on a reader thread of their own and reach the Pad only through queued signals, so the Qt
thread never blocks on a port.
"""

from __future__ import annotations

import dataclasses
import enum
import threading
from dataclasses import dataclass, field
from datetime import datetime

from PySide6.QtCore import QObject, Signal, Slot

from kiosk.domain.prompts import Prompt
from kiosk.threads import ThreadOwner


class EvaluatorState(enum.StrEnum):
    """evaluator.state as the bridge's status reports it."""

    CONNECTED = "connected"
    DISCONNECTED = "disconnected"
    UNRESPONSIVE = "unresponsive"
    NONE = "none"  # no evaluator configured


DEFAULT_BUTTONS: dict[int, int] = {1: 5, 2: 4, 3: 3, 4: 2, 5: 1}


@dataclass(frozen=True)
class Press:
    """One counted press (a retransmission is never a second Press).

    Attributes:
        button: the number the device reported.
        level: the satisfaction level the button map gives it, or None for a button the map does not name
            (logged and counted, never a rating).
        armed: whether the host had the device armed when the press arrived: the host, not the device, is
            the authority (evaluator-protocol.md "Host to device").
        at: when the press was decoded, aware.
        address: the device's bus address (EVP/1), 0 for families without one.
    """

    button: int
    level: int | None
    armed: bool
    at: datetime
    address: int = 0


@dataclass(frozen=True)
class DeviceStatus:
    """What an EVP/1 STATUS frame (or an ascii `S` line) says of the device."""

    firmware: str = ""
    armed: bool = False
    has_voice: bool = False
    has_leds: bool = False
    buttons: int = 0
    text: str = ""


@dataclass
class Diagnostics:
    """Per-port counters for technicians (console, `kiosk doctor`), as they stood at one moment: a copy that
    any thread may read (Counters.snapshot)."""

    frames_decoded: int = 0
    crc_errors: int = 0
    framing_errors: int = 0
    stalls: int = 0
    retransmissions: int = 0
    unmapped_buttons: int = 0
    presses_while_disarmed: int = 0
    foreign_address: int = 0
    dropped_lines: int = 0
    command_retries: int = 0
    reconnects: int = 0
    extra: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class EvaluatorView:
    """An evaluator as the heartbeat and the technician see it, at one moment: a copy for other threads."""

    protocol: str = "none"
    port: str = ""
    state: str = "none"
    firmware: str = ""

    def as_json(self) -> dict[str, str]:
        """The heartbeat's `evaluator` member (uplink-api.md)."""
        return {"protocol": self.protocol, "port": self.port, "state": self.state, "firmware": self.firmware}


class Counters:
    """The counters a driver keeps as it works, on its port's thread (or the Qt thread), safe to read from
    any other: every change and every snapshot holds one lock, so that a reader never iterates a table the
    port's thread is growing."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._values = Diagnostics()

    def add(self, name: str, count: int = 1) -> None:
        with self._lock:
            setattr(self._values, name, getattr(self._values, name) + count)

    def put(self, name: str, value: int) -> int:
        """Sets a counter another object counts (a decoder's); returns what it was."""
        with self._lock:
            was: int = getattr(self._values, name)
            setattr(self._values, name, value)
        return was

    def add_extra(self, name: str, count: int = 1) -> None:
        with self._lock:
            self._values.extra[name] = self._values.extra.get(name, 0) + count

    def put_extra(self, name: str, value: int) -> None:
        with self._lock:
            self._values.extra[name] = value

    def snapshot(self) -> Diagnostics:
        with self._lock:
            return dataclasses.replace(self._values, extra=dict(self._values.extra))


class Evaluator(QObject):
    """Base of the evaluator drivers. Lives on the Qt thread; I/O happens on the driver's own thread.

    Signals:
        press_received(Press): a counted press, mapped or not (queued to the Qt thread).
        state_changed(str): an EvaluatorState value.
        status_received(DeviceStatus): the device described itself (STATUS frame, `S` line).
    """

    press_received = Signal(object)
    state_changed = Signal(str)
    status_received = Signal(object)

    protocol = "none"

    def __init__(self, port: str = "", buttons: dict[int, int] | None = None) -> None:
        super().__init__()
        # The public methods run on the thread that made the driver (Qt's); the port's own thread, where
        # there is one, reaches it only through queued signals.
        self._owner = ThreadOwner(f"the {self.protocol} evaluator")
        self.port = port
        self.buttons = dict(DEFAULT_BUTTONS if buttons is None else buttons)
        self.state = EvaluatorState.NONE
        self.status: DeviceStatus | None = None
        self.counters = Counters()
        self.firmware = ""
        self.state_changed.connect(self._on_state_changed)
        self.status_received.connect(self._on_status_received)

    @Slot(str)
    def _on_state_changed(self, state: str) -> None:
        self.state = EvaluatorState(state)

    @Slot(object)
    def _on_status_received(self, status: DeviceStatus) -> None:
        self.status = status
        self.firmware = status.firmware

    def view(self) -> EvaluatorView:
        """The driver's protocol, port, state and firmware now, as a copy (Qt thread)."""
        self._owner.check()
        return EvaluatorView(self.protocol, self.port, self.state.value, self.firmware)

    @property
    def diagnostics(self) -> Diagnostics:
        """The port's counters now: a copy, safe to keep and read on any thread."""
        return self.counters.snapshot()

    @property
    def compliant(self) -> bool:
        """Whether the button map yields all five levels (Art. 5); a device with fewer still works."""
        return set(self.buttons.values()) >= {1, 2, 3, 4, 5}

    @property
    def can_speak(self) -> bool:
        """Whether the device plays the prompts itself (pad.voice = auto speaks when it cannot)."""
        return False

    def start(self) -> None:
        """Opens the port and starts the reader thread; returns at once."""

    def stop(self) -> None:
        """Stops the reader thread and closes the port; returns within a second."""

    def arm(self, timeout_s: int = 0) -> None:
        """Lights the buttons and accepts presses. Never blocks."""

    def disarm(self) -> None:
        """Darkens the buttons. Never blocks."""

    def play(self, prompt: Prompt) -> None:
        """Plays a voice prompt on the device, where it has a voice. Never blocks."""

    def flash_all(self) -> None:
        """Acknowledges a rating on every LED together, never the chosen one alone (R7). Never blocks."""


class NoEvaluator(Evaluator):
    """`evaluator.protocol = "none"`: a pad rated by touch and QR only."""
