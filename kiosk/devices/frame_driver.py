"""The EVP/1 driver (evaluator-protocol.md §1): ACKs, retransmissions, host commands and their retries.

Runs over a PortLink thread; see SerialEvaluator for what is shared with the ascii family.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from kiosk.devices import frame_codec
from kiosk.devices.base import DeviceStatus, EvaluatorState
from kiosk.devices.frame_codec import Frame, FrameDecoder, encode_frame
from kiosk.devices.port import ReconnectDelay
from kiosk.devices.serial_evaluator import HEARTBEAT_TIMEOUT_S, SerialEvaluator
from kiosk.domain.clock import Clock

log = logging.getLogger(__name__)

RETRY_S = 0.2
RETRIES = 3
RETRANSMISSION_WINDOW_S = 2.0
NAK_ERRORS = {
    frame_codec.NAK_BAD_LENGTH: "bad length",
    frame_codec.NAK_UNKNOWN_COMMAND: "unknown command",
    frame_codec.NAK_BUSY: "busy",
}


@dataclass
class _Command:
    """A host command waiting for its ACK."""

    cmd: int
    data: bytes
    seq: int = 0
    sent_at: float = 0.0
    attempts: int = 0

    def __str__(self) -> str:
        return f"{frame_codec.COMMAND_NAMES.get(self.cmd, hex(self.cmd))} seq={self.seq}"


@dataclass
class _LastKey:
    """The previous KEY frame from the device, for the retransmission rule."""

    seq: int
    data: bytes
    at: float  # when its latest copy arrived


class FrameEvaluator(SerialEvaluator):
    """An EVP/1 evaluator on a serial port.

    Host commands go out one at a time with the host's own SEQ; an unacknowledged one is sent again (same
    SEQ) up to 3 times, 200 ms apart, and then the device is reported unresponsive and the next command goes.

    Args:
        port: the port's name (device path, `hwid:…` or pyserial URL).
        baud: the baud rate (9600 by default).
        address: the device's address, 1..8; frames from any other are ignored.
        buttons: button number to level.
        clock: stamps presses.
        heartbeat_timeout_s: silence after heartbeats before the device is unresponsive (15 s).
        retry_s: the wait for an ACK before a command is sent again (200 ms).
        retransmission_window_s: how long a repeated KEY counts as a retransmission (2 s).
        delay: the reconnect schedule.
        monotonic: the time source of every timer.

    Signals:
        press_received(Press): a counted press; a retransmission is never a second one.
        state_changed(str): connected, disconnected or unresponsive.
        status_received(DeviceStatus): a STATUS frame (power-up, heartbeat, or the answer to QUERY).
    """

    protocol = "frame"

    def __init__(  # noqa: PLR0913 - keyword-only timings a test may shorten
        self,
        port: str,
        *,
        baud: int = 9600,
        address: int = 1,
        buttons: dict[int, int] | None = None,
        clock: Clock,
        heartbeat_timeout_s: float = HEARTBEAT_TIMEOUT_S,
        retry_s: float = RETRY_S,
        retransmission_window_s: float = RETRANSMISSION_WINDOW_S,
        delay: ReconnectDelay | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(
            port,
            baud=baud,
            address=address,
            buttons=buttons,
            clock=clock,
            heartbeat_timeout_s=heartbeat_timeout_s,
            delay=delay,
            monotonic=monotonic,
        )
        self._retry_s = retry_s
        self._window_s = retransmission_window_s
        self._decoder = FrameDecoder(monotonic)
        self._host_seq = 0
        self._outbox: deque[_Command] = deque()
        self._inflight: _Command | None = None
        self._last_key: _LastKey | None = None
        self._device_buttons = 0

    @property
    def can_speak(self) -> bool:
        """Whether the last STATUS said the device has a voice (as the Qt thread has it: the STATUS came
        through status_received)."""
        return self.status is not None and self.status.has_voice

    def flash_all(self) -> None:
        """Lights every button's LED together (never the chosen one alone, R7)."""
        self._owner.check()
        self._link.call_soon(lambda: self._command(frame_codec.LED, bytes([self.led_mask])))

    @property
    def led_mask(self) -> int:
        """All buttons' LEDs: as many as the last STATUS counted, else as many as the map numbers 1..8."""
        count = self._device_buttons or max((b for b in self.buttons if 1 <= b <= 8), default=5)
        return (1 << min(count, 8)) - 1

    def led(self, mask: int) -> None:
        """Sets the LEDs to a bit mask (bit i = button i+1); technician tests only, the Pad uses flash_all."""
        self._owner.check()
        self._link.call_soon(lambda: self._command(frame_codec.LED, bytes([mask & 0xFF])))

    def query(self) -> None:
        """Asks the device for a STATUS."""
        self._owner.check()
        self._link.call_soon(lambda: self._command(frame_codec.QUERY))

    # Link thread: host commands.

    def _send_arm(self, timeout_s: int) -> None:
        self._command(frame_codec.ARM, bytes([min(max(timeout_s, 0), 255)]))

    def _send_disarm(self) -> None:
        self._command(frame_codec.DISARM)

    def _send_play(self, prompt: int) -> None:
        self._command(frame_codec.PLAY, bytes([prompt]))

    def _command(self, cmd: int, data: bytes = b"") -> None:
        """Queues a host command; it goes out when the one before it is answered or given up."""
        if not self._link.is_open:
            log.info("evaluator: %s dropped: the port is closed", frame_codec.COMMAND_NAMES[cmd])
            return
        self._outbox.append(_Command(cmd, data))
        if self._inflight is None:
            self._send_next(self._monotonic())

    def _send_next(self, now: float) -> None:
        if not self._outbox:
            return
        command = self._outbox.popleft()
        command.seq = self._host_seq
        self._host_seq = (self._host_seq + 1) & 0xFF
        self._inflight = command
        self._transmit(command, now)

    def _transmit(self, command: _Command, now: float) -> None:
        command.attempts += 1
        command.sent_at = now
        self._link.write(encode_frame(self.address, command.seq, command.cmd, command.data))

    def _greet(self, now: float) -> None:
        self._command(frame_codec.QUERY)

    def _forget(self) -> None:
        self._decoder.reset()
        self._outbox.clear()
        self._inflight = None

    # Link thread: receiving.

    def on_link_data(self, data: bytes, now: float) -> None:
        """Decodes the bytes and handles each frame they complete."""
        self._link.check_thread()
        frames = self._decoder.feed(data, now)
        self._count_errors()
        for frame in frames:
            self._on_frame(frame, now)

    def on_link_tick(self, now: float) -> None:
        """Stalled candidates, command retries, and the heartbeat watch."""
        frames = self._decoder.tick(now)
        self._count_errors()
        for frame in frames:
            self._on_frame(frame, now)
        command = self._inflight
        if command is not None and now - command.sent_at >= self._retry_s:
            if command.attempts <= RETRIES:
                self.counters.add("command_retries")
                log.info("evaluator: no ACK for %s, sending it again", command)
                self._transmit(command, now)
            else:
                log.warning("evaluator: %s unanswered after %d retries", command, RETRIES)
                self._inflight = None
                self._report(EvaluatorState.UNRESPONSIVE)
                self._send_next(now)
        super().on_link_tick(now)

    def _count_errors(self) -> None:
        decoder, counters = self._decoder, self.counters
        for name, count in (
            ("crc_errors", decoder.crc_errors),
            ("framing_errors", decoder.framing_errors),
            ("stalls", decoder.stalls),
        ):
            was = counters.put(name, count)
            if count != was:
                log.warning("evaluator: %s %d (was %d)", name.replace("_", " "), count, was)
        counters.put_extra("skipped_bytes", decoder.skipped)

    def _on_frame(self, frame: Frame, now: float) -> None:
        self.counters.add("frames_decoded")
        if frame.addr != self.address:
            self.counters.add("foreign_address")
            log.info("evaluator: ignored a frame from address %d: %s", frame.addr, frame)
            return
        self._heard(now, heartbeat=frame.cmd == frame_codec.STATUS)
        if frame.cmd == frame_codec.KEY:
            self._on_key(frame, now)
        elif frame.cmd == frame_codec.STATUS:
            self._on_status(frame)
        elif frame.cmd in (frame_codec.ACK, frame_codec.NAK):
            self._on_reply(frame, now)
        else:
            self._count("unexpected_frames")
            log.warning("evaluator: unexpected frame %s", frame)

    def _on_key(self, frame: Frame, now: float) -> None:
        if len(frame.data) != 1:
            self._count("bad_key_frames")
            log.warning("evaluator: KEY frame without one button byte: %s", frame)
            return
        last = self._last_key
        if last and last.seq == frame.seq and last.data == frame.data and now - last.at <= self._window_s:
            last.at = now
            self.counters.add("retransmissions")
            log.info("evaluator: retransmission of KEY seq %d, acknowledged again", frame.seq)
        else:
            self._last_key = _LastKey(frame.seq, frame.data, now)
            # Reported before the ACK is written: should that write fail, the press is still heard.
            self.press_received.emit(self._press.press(frame.data[0], self._arming.armed()))
        self._link.write(encode_frame(self.address, frame.seq, frame_codec.ACK, frame_codec.KEY_ACK_DATA))

    def _on_status(self, frame: Frame) -> None:
        if len(frame.data) < 4:
            self._count("bad_status_frames")
            log.warning("evaluator: STATUS frame too short: %s", frame)
            return
        major, minor, flags, buttons = frame.data[:4]
        status = DeviceStatus(
            firmware=f"{major}.{minor}",
            armed=bool(flags & frame_codec.FLAG_ARMED),
            has_voice=bool(flags & frame_codec.FLAG_VOICE),
            has_leds=bool(flags & frame_codec.FLAG_LEDS),
            buttons=buttons,
        )
        self._device_buttons = buttons
        self.status_received.emit(status)

    def _on_reply(self, frame: Frame, now: float) -> None:
        command = self._inflight
        if command is None or frame.seq != command.seq or frame.data[:1] != bytes([command.cmd]):
            self._count("unmatched_replies")
            log.info("evaluator: %s answers no command in flight", frame)
            return
        if frame.cmd == frame_codec.NAK:
            self._count("naks")
            error = frame.data[1] if len(frame.data) > 1 else 0
            log.warning("evaluator: device refused %s: %s", command, NAK_ERRORS.get(error, f"error {error}"))
        self._inflight = None
        self._send_next(now)

    def _count(self, name: str) -> None:
        self.counters.add_extra(name)
