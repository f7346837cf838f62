"""The ascii line driver (evaluator-protocol.md §2): `K<n>` presses and `S<text>` status, no ACKs.

Runs over a PortLink thread; see SerialEvaluator for what is shared with the frame family.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from kiosk.devices.base import DeviceStatus
from kiosk.devices.line_codec import (
    KeyLine,
    Line,
    LineDecoder,
    StatusLine,
    encode_arm,
    encode_disarm,
    encode_play,
    parse_line,
)
from kiosk.devices.port import ReconnectDelay
from kiosk.devices.serial_evaluator import HEARTBEAT_TIMEOUT_S, SerialEvaluator
from kiosk.domain.clock import Clock

log = logging.getLogger(__name__)


class AsciiEvaluator(SerialEvaluator):
    """An ascii-line evaluator on a serial port.

    The protocol has no acknowledgements, so every `K<n>` line is one press, and commands are written once.
    `S` lines are heartbeats: after one, 15 s of silence makes the device unresponsive, as for EVP/1.

    Args:
        port: the port's name (device path, `hwid:…` or pyserial URL).
        baud: the baud rate.
        buttons: button number to level.
        clock: stamps presses.
        heartbeat_timeout_s: silence after an `S` line before the device is unresponsive (15 s).
        delay: the reconnect schedule.
        monotonic: the time source of every timer.

    Signals:
        press_received(Press): a `K<n>` line, address 0.
        state_changed(str): connected, disconnected or unresponsive.
        status_received(DeviceStatus): an `S<text>` line, its text in DeviceStatus.text.
    """

    protocol = "ascii"

    def __init__(
        self,
        port: str,
        *,
        baud: int = 9600,
        buttons: dict[int, int] | None = None,
        clock: Clock,
        heartbeat_timeout_s: float = HEARTBEAT_TIMEOUT_S,
        delay: ReconnectDelay | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(
            port,
            baud=baud,
            address=0,
            buttons=buttons,
            clock=clock,
            heartbeat_timeout_s=heartbeat_timeout_s,
            delay=delay,
            monotonic=monotonic,
        )
        self._decoder: LineDecoder[Line] = LineDecoder(parse_line)

    @property
    def can_speak(self) -> bool:
        """The ascii protocol has a play command (`P<id>`), so the device is taken to speak."""
        return True

    def flash_all(self) -> None:
        """The ascii protocol has no LED command: nothing to do."""

    # Link thread.

    def _send_arm(self, timeout_s: int) -> None:
        self._write(encode_arm(max(timeout_s, 0)))

    def _send_disarm(self) -> None:
        self._write(encode_disarm())

    def _send_play(self, prompt: int) -> None:
        self._write(encode_play(prompt))

    def _write(self, line: bytes) -> None:
        if not self._link.is_open:
            log.info("evaluator: %r dropped: the port is closed", line.strip())
            return
        self._link.write(line)

    def _forget(self) -> None:
        self._decoder.reset()

    def on_link_data(self, data: bytes, now: float) -> None:
        """Splits the bytes into lines and handles each."""
        self._link.check_thread()
        dropped = self._decoder.dropped
        lines = self._decoder.feed(data)
        if self._decoder.dropped != dropped:
            self.counters.add("dropped_lines", self._decoder.dropped - dropped)
            log.warning("evaluator: dropped line %r", self._decoder.last_dropped)
        for line in lines:
            self.counters.add("frames_decoded")
            self._heard(now, heartbeat=isinstance(line, StatusLine))
            if isinstance(line, KeyLine):
                self.press_received.emit(self._press.press(line.button, self._arming.armed()))
            else:
                self.status_received.emit(DeviceStatus(text=line.text))
