"""A simulated evaluator on a pseudo-terminal, and `kiosk evaluator simulate` (cli.md).

SimulatedEvaluator behaves as evaluator-protocol.md says a device does: it answers host commands (ACK, ACK
then STATUS for QUERY, NAK for what it cannot do), sends STATUS at power-up and as a heartbeat, and
retransmits an unacknowledged KEY. It keeps a log of the commands it received, which tests, the demo and
the Pad's tests wait on ("armed", "prompt 2 played", "LEDs flashed").
"""

from __future__ import annotations

import contextlib
import logging
import os
import select
import signal
import sys
import termios
import threading
import time
import tty
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from types import FrameType, TracebackType
from typing import Literal

from kiosk.devices import frame_codec
from kiosk.devices.frame_codec import Frame, FrameDecoder, encode_frame
from kiosk.devices.line_codec import HostLine, LineDecoder, encode_key, encode_status, parse_host_line
from kiosk.devices.pseudo_terminal import PseudoTerminal, point_link, remove_link

log = logging.getLogger(__name__)

KEY_RETRY_S = 0.15
KEY_RETRIES = 3
FIRMWARE = (1, 0)


@dataclass(frozen=True)
class SimCommand:
    """One host command as the simulated device received it.

    Attributes:
        text: what happened, the words tests wait for: "armed", "disarmed", "prompt N played",
            "LEDs flashed" (every LED) or "LEDs 0xMM", "queried", "key acked", "unknown …".
        name: the command's name (ARM, DISARM, PLAY, LED, QUERY, ACK; A, D, P for ascii).
        value: its argument: ARM's timeout, PLAY's prompt, LED's mask, an ACK's SEQ; else 0.
        seq: the frame's SEQ (EVP/1), -1 for ascii.
        repeat: a host retry (same SEQ and command as the one before): answered, not acted on twice.
    """

    text: str
    name: str
    value: int = 0
    seq: int = -1
    repeat: bool = False


@dataclass
class _PendingKey:
    frame: bytes
    seq: int
    sent_at: float
    attempts: int = 1


class SimulatedEvaluator:
    """A virtual evaluator on a new pseudo-terminal; its thread starts at once.

    Args:
        protocol: "frame" (EVP/1) or "ascii".
        address: the EVP/1 address it answers to and sends from.
        link: a path made a symlink to the current pty (re-pointed on replug), like a udev name.
        buttons: how many buttons it has (STATUS; "LEDs flashed" means all of them).
        voice: whether STATUS says it has a voice.
        leds: whether STATUS says it has LEDs.
        heartbeat_s: seconds between STATUS heartbeats; 0 for none.

    Attributes:
        responsive: when False it still logs host commands but answers none (tests of retries).
        retransmit: when False it sends each KEY once (tests that drive retransmission by hand).
        armed: whether the host has it armed (ARM timeout included).
    """

    def __init__(
        self,
        protocol: Literal["frame", "ascii"] | str = "frame",
        address: int = 1,
        link: Path | None = None,
        *,
        buttons: int = 5,
        voice: bool = True,
        leds: bool = True,
        heartbeat_s: float = 5.0,
    ) -> None:
        if protocol not in ("frame", "ascii"):
            raise ValueError(f"protocol must be frame or ascii, got {protocol!r}")
        self.protocol = protocol
        self.address = address
        self.link = link
        self.buttons = buttons
        self.voice = voice
        self.leds = leds
        self.heartbeat_s = heartbeat_s
        self.responsive = True
        self.retransmit = True
        self._armed_until: float | None = None  # None: disarmed; inf: armed without timeout
        self._refuse: int | None = None
        self._cond = threading.Condition()
        self._log: list[SimCommand] = []
        self._keys: deque[int] = deque()
        self._pending: _PendingKey | None = None
        self._seq = 0
        self._last_host: tuple[int, int] | None = None
        self._frames = FrameDecoder()
        self._lines: LineDecoder[HostLine] = LineDecoder(parse_host_line)
        self._lines_dropped = 0
        self._wake_r, self._wake_w = os.pipe()
        self._stopping = False
        self._pty = PseudoTerminal()
        self._point_link()
        self._next_heartbeat = time.monotonic()
        self._thread = threading.Thread(
            target=self._run, name=f"simulated evaluator {self.port}", daemon=True
        )
        self._thread.start()

    # Any thread.

    @property
    def port(self) -> str:
        """What a driver opens: the symlink when one was asked for, else the pty's path."""
        return str(self.link) if self.link is not None else self._pty.path

    @property
    def pty_path(self) -> str:
        """The current pseudo-terminal's own path (changes on replug)."""
        return self._pty.path

    @property
    def armed(self) -> bool:
        """Whether the device is armed now."""
        with self._cond:
            return self._armed_until is not None and time.monotonic() < self._armed_until

    @property
    def commands(self) -> list[str]:
        """The texts of the commands received so far, oldest first."""
        with self._cond:
            return [entry.text for entry in self._log]

    @property
    def records(self) -> list[SimCommand]:
        """The commands received so far, oldest first."""
        with self._cond:
            return list(self._log)

    def clear_commands(self) -> None:
        """Forgets the commands received so far."""
        with self._cond:
            self._log.clear()

    def wait_for(self, text: str, timeout: float = 5.0, count: int = 1) -> bool:
        """Blocks until the log holds `count` entries with this text; False on timeout.

        From a Qt test prefer `qtbot.waitUntil(lambda: "armed" in sim.commands)`, which keeps the event
        loop turning; this blocks the calling thread.

        Args:
            text: a SimCommand.text, e.g. "armed", "prompt 2 played", "LEDs flashed".
            timeout: seconds to wait at most.
            count: how many such entries to wait for.
        """
        with self._cond:
            return self._cond.wait_for(
                lambda: sum(entry.text == text for entry in self._log) >= count, timeout=timeout
            )

    def press(self, button: int) -> None:
        """Presses a button: a KEY frame with the next SEQ (retransmitted until ACKed) or a `K<n>` line.

        Presses queue behind one still waiting for its ACK, as a device sends one KEY at a time.
        """
        with self._cond:
            self._keys.append(button)
        self._wake()

    def wait_idle(self, timeout: float | None = 5.0) -> bool:
        """Blocks until every press was acknowledged or given up; False on timeout (None: no limit; each
        press is given up within 0.6 s without an ACK, so the wait ends)."""
        with self._cond:
            return self._cond.wait_for(lambda: not self._keys and self._pending is None, timeout=timeout)

    def refuse_next(self, error: int = frame_codec.NAK_BUSY) -> None:
        """Answers the next host command with NAK and this error (1 bad length, 2 unknown, 3 busy)."""
        with self._cond:
            self._refuse = error

    def write_raw(self, data: bytes) -> None:
        """Sends bytes as they are (garbage, broken frames, a frame from another address)."""
        with self._cond:
            self._pty.write(data)

    def send_frame(
        self, cmd: int, data: bytes = b"", seq: int | None = None, address: int | None = None
    ) -> bytes:
        """Sends one EVP/1 frame with the device's next SEQ unless given one; returns its bytes."""
        with self._cond:
            if seq is None:
                seq = self._next_seq()
            frame = encode_frame(self.address if address is None else address, seq, cmd, data)
            self._pty.write(frame)
            return frame

    def send_status(self) -> None:
        """Sends a STATUS frame (or an `S` line) now."""
        with self._cond:
            self._send_status()

    def unplug(self) -> None:
        """Pulls the cable: closes the pty; the driver finds out through its own I/O error."""
        with self._cond:
            self._pty.close()
            if self.link is not None:
                remove_link(self.link, self._pty.path)
            self._keys.clear()
            self._pending = None
            self._cond.notify_all()
        self._wake()

    def replug(self) -> None:
        """Plugs it back: a new pty (the device powered up again, disarmed), the symlink re-pointed."""
        with self._cond:
            self._pty = PseudoTerminal()
            self._point_link()
            self._armed_until = None
            self._frames.reset()
            self._lines.reset()
            self._next_heartbeat = time.monotonic()
        self._wake()

    def close(self) -> None:
        """Stops the thread, closes the pty and removes the symlink."""
        with self._cond:
            self._stopping = True
        self._wake()
        if self._thread is not threading.current_thread():
            self._thread.join(2.0)
        with self._cond:
            if self.link is not None:
                remove_link(self.link, self._pty.path)
            self._pty.close()
        for fd in (self._wake_r, self._wake_w):
            with contextlib.suppress(OSError):
                os.close(fd)

    def __enter__(self) -> SimulatedEvaluator:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # The device's thread.

    def _wake(self) -> None:
        with contextlib.suppress(OSError):
            os.write(self._wake_w, b"\0")

    def _point_link(self) -> None:
        if self.link is not None:
            point_link(self.link, self._pty.path)

    def _run(self) -> None:
        while True:
            with self._cond:
                if self._stopping:
                    return
                fds = [self._wake_r] if self._pty.closed else [self._wake_r, self._pty.master]
            ready, _, _ = select.select(fds, [], [], 0.02)
            with self._cond:
                if self._wake_r in ready:
                    os.read(self._wake_r, 4096)
                if self._pty.closed:
                    continue
                data = self._pty.read() if self._pty.master in ready else b""
                if data:
                    self._receive(data)
                self._run_timers(time.monotonic())

    def _run_timers(self, now: float) -> None:
        if self.heartbeat_s > 0 and now >= self._next_heartbeat:
            self._next_heartbeat = now + self.heartbeat_s
            self._send_status()
        pending = self._pending
        if pending is not None and now - pending.sent_at >= KEY_RETRY_S:
            if self.retransmit and pending.attempts <= KEY_RETRIES:
                pending.attempts += 1
                pending.sent_at = now
                self._pty.write(pending.frame)
            else:
                self._pending = None
                self._cond.notify_all()
        if self._pending is None and self._keys:
            self._send_key(self._keys.popleft(), now)

    def _send_key(self, button: int, now: float) -> None:
        if self.protocol == "ascii":
            self._pty.write(encode_key(button))
            self._cond.notify_all()
            return
        seq = self._next_seq()
        frame = encode_frame(self.address, seq, frame_codec.KEY, bytes([button]))
        self._pending = _PendingKey(frame, seq, now)
        self._pty.write(frame)

    def _next_seq(self) -> int:
        seq, self._seq = self._seq, (self._seq + 1) & 0xFF
        return seq

    def _flags(self) -> int:
        armed = self._armed_until is not None and time.monotonic() < self._armed_until
        return (
            (frame_codec.FLAG_ARMED if armed else 0)
            | (frame_codec.FLAG_VOICE if self.voice else 0)
            | (frame_codec.FLAG_LEDS if self.leds else 0)
        )

    def _send_status(self) -> None:
        if self.protocol == "ascii":
            self._pty.write(encode_status(f"{FIRMWARE[0]}.{FIRMWARE[1]} flags={self._flags()}"))
            return
        data = bytes((*FIRMWARE, self._flags(), self.buttons))
        self._pty.write(encode_frame(self.address, self._next_seq(), frame_codec.STATUS, data))

    def _receive(self, data: bytes) -> None:
        if self.protocol == "ascii":
            for line in self._lines.feed(data):
                self._on_host_line(line)
            if self._lines.dropped != self._lines_dropped:
                self._lines_dropped = self._lines.dropped
                self._record(SimCommand(f"unknown {self._lines.last_dropped!r}", "?"))
            return
        for frame in self._frames.feed(data):
            if frame.addr in (self.address, frame_codec.BROADCAST):
                self._on_host_frame(frame)

    def _record(self, entry: SimCommand) -> None:
        self._log.append(entry)
        self._cond.notify_all()

    def _on_host_line(self, line: HostLine) -> None:
        if line.command == "arm":
            self._arm(line.value)
            self._record(SimCommand("armed", "A", line.value))
        elif line.command == "disarm":
            self._armed_until = None
            self._record(SimCommand("disarmed", "D"))
        else:
            self._record(SimCommand(f"prompt {line.value} played", "P", line.value))

    def _arm(self, timeout_s: int) -> None:
        self._armed_until = time.monotonic() + timeout_s if timeout_s else float("inf")

    def _on_host_frame(self, frame: Frame) -> None:
        if frame.cmd == frame_codec.ACK:
            self._on_key_ack(frame)
            return
        repeat = self._last_host == (frame.seq, frame.cmd)
        self._last_host = (frame.seq, frame.cmd)
        entry, error = self._command_effect(frame, repeat)
        self._record(SimCommand(entry, frame.name, frame.data[0] if frame.data else 0, frame.seq, repeat))
        if not self.responsive or frame.addr == frame_codec.BROADCAST:
            return
        if self._refuse is not None and not error:
            error, self._refuse = self._refuse, None
        if error:
            self._pty.write(encode_frame(self.address, frame.seq, frame_codec.NAK, bytes((frame.cmd, error))))
            return
        self._pty.write(encode_frame(self.address, frame.seq, frame_codec.ACK, bytes([frame.cmd])))
        if frame.cmd == frame_codec.QUERY:
            self._send_status()

    def _command_effect(self, frame: Frame, repeat: bool) -> tuple[str, int]:  # noqa: PLR0911 - one answer per command of the protocol
        """Acts on a host command (once, however often it is retried); returns the log text and a NAK
        error (0: none)."""
        lengths = {
            frame_codec.ARM: 1,
            frame_codec.DISARM: 0,
            frame_codec.PLAY: 1,
            frame_codec.LED: 1,
            frame_codec.QUERY: 0,
        }
        if frame.cmd not in lengths:
            return f"unknown 0x{frame.cmd:02X}", frame_codec.NAK_UNKNOWN_COMMAND
        if len(frame.data) != lengths[frame.cmd]:
            return f"bad length {frame.name}", frame_codec.NAK_BAD_LENGTH
        if frame.cmd == frame_codec.ARM:
            if not repeat:
                self._arm(frame.data[0])
            return "armed", 0
        if frame.cmd == frame_codec.DISARM:
            self._armed_until = None
            return "disarmed", 0
        if frame.cmd == frame_codec.PLAY:
            return f"prompt {frame.data[0]} played", 0
        if frame.cmd == frame_codec.LED:
            mask = frame.data[0]
            return ("LEDs flashed" if mask == (1 << self.buttons) - 1 else f"LEDs 0x{mask:02X}"), 0
        return "queried", 0

    def _on_key_ack(self, frame: Frame) -> None:
        pending = self._pending
        self._record(SimCommand("key acked", "ACK", frame.seq, frame.seq))
        if pending is not None and frame.seq == pending.seq and frame.data == frame_codec.KEY_ACK_DATA:
            self._pending = None
            self._cond.notify_all()


class _StopSignalError(Exception):
    """SIGTERM or SIGINT: leave the input loop."""


def _stop(signum: int, frame: FrameType | None) -> None:
    raise _StopSignalError


def run_simulate(protocol: str, address: int, link: Path | None) -> int:
    """`kiosk evaluator simulate`: prints `simulate: port=PATH`, then presses 1-5 as typed on stdin.

    Reads key by key (cbreak, restored on exit) when stdin is a terminal. Ends at end of input, after the
    last press was acknowledged or given up, or on SIGTERM/SIGINT; exit status 0.

    Args:
        protocol: frame or ascii.
        address: the device's EVP/1 address.
        link: a symlink to make to the pty, printed instead of the pty's path.
    """
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING, format="%(message)s")
    device = SimulatedEvaluator(protocol, address, link)
    previous = {sig: signal.signal(sig, _stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    fd = sys.stdin.fileno()
    saved = termios.tcgetattr(fd) if os.isatty(fd) else None
    try:
        if saved is not None:
            tty.setcbreak(fd)  # before the first line: whoever reads it may type at once
        print(f"simulate: port={device.port}", flush=True)
        while chunk := os.read(fd, 1 if saved is not None else 1024):
            for char in chunk.decode("ascii", "ignore"):
                if char in "12345":
                    device.press(int(char))
        device.wait_idle(timeout=None)
    except _StopSignalError:
        pass
    finally:
        if saved is not None:
            termios.tcsetattr(fd, termios.TCSADRAIN, saved)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        device.close()
    return 0
