"""The ascii line protocol of evaluator-protocol.md §2: a pure codec, no I/O and no Qt.

Device to host: `K<n>` (a press of button n, one or two digits) and `S<text>` (status or heartbeat).
Host to device: `A<seconds>`, `D`, `P<id>`. Lines end in CR LF; a bare CR or LF also ends one.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

MAX_LINE = 32
_KEY = re.compile(rb"K([0-9]{1,2})")
_STATUS = re.compile(rb"S([\x20-\x7e]*)")


@dataclass(frozen=True)
class KeyLine:
    """`K<n>`: a press of button n."""

    button: int


@dataclass(frozen=True)
class StatusLine:
    """`S<text>`: the device's status or heartbeat."""

    text: str


Line = KeyLine | StatusLine
T = TypeVar("T")


def encode_arm(timeout_s: int) -> bytes:
    """`A<seconds>`: light the buttons (0 = no timeout)."""
    return b"A%d\r\n" % timeout_s


def encode_disarm() -> bytes:
    """`D`: buttons dark."""
    return b"D\r\n"


def encode_play(prompt: int) -> bytes:
    """`P<id>`: play a voice prompt (ids as EVP/1 PLAY)."""
    return b"P%d\r\n" % prompt


def encode_key(button: int) -> bytes:
    """`K<n>`, as a device sends it (the simulator and tests)."""
    return b"K%d\r\n" % button


def encode_status(text: str) -> bytes:
    """`S<text>`, as a device sends it."""
    return b"S" + text.encode("ascii") + b"\r\n"


class LineDecoder(Generic[T]):
    """Splits a peer's bytes into lines and parses them.

    An empty line (the LF of a CR LF, or a blank line) is no line at all. A line longer than max_line
    characters (terminator excluded) or one that matches no message is dropped and counted; an over-long
    line is dropped as soon as it passes max_line, so a device that never ends its lines cannot grow the
    buffer.

    Args:
        parse: turns one line (terminator excluded) into a message, or None when it is none:
            `parse_line` for what a device sends, `parse_host_line` for what a host sends.
        max_line: the longest line kept (32 for the evaluator; a barcode scanner's lines run to 256).

    Attributes:
        lines: lines decoded.
        dropped: lines dropped (too long or unknown).
        last_dropped: the last dropped line (cut at 32 characters), for the log.
    """

    def __init__(self, parse: Callable[[bytes], T | None], max_line: int = MAX_LINE) -> None:
        self._parse = parse
        self._max_line = max_line
        self._buf = bytearray()
        self._overlong = False
        self.lines = 0
        self.dropped = 0
        self.last_dropped = b""

    def reset(self) -> None:
        """Forgets a partial line (the port was reopened); the counters stay."""
        self._buf.clear()
        self._overlong = False

    def feed(self, data: bytes) -> list[T]:
        """Takes the bytes of one read and returns the lines they complete.

        Args:
            data: the bytes read.
        """
        out: list[T] = []
        for chunk in re.split(rb"(\r|\n)", data):
            if chunk in (b"\r", b"\n"):
                self._end_line(out)
            elif chunk:
                self._append(chunk)
        return out

    def _append(self, chunk: bytes) -> None:
        if self._overlong:
            return
        self._buf += chunk
        if len(self._buf) > self._max_line:
            self._overlong = True
            self.dropped += 1
            self.last_dropped = bytes(self._buf[: self._max_line]) + b"..."
            self._buf.clear()

    def _end_line(self, out: list[T]) -> None:
        raw = bytes(self._buf)
        self._buf.clear()
        if self._overlong:
            self._overlong = False
            return
        if not raw:
            return
        line = self._parse(raw)
        if line is None:
            self.dropped += 1
            self.last_dropped = raw
            return
        self.lines += 1
        out.append(line)


def parse_line(raw: bytes) -> Line | None:
    """One device line without its terminator, or None when it matches no message.

    Args:
        raw: the line's bytes.
    """
    if len(raw) > MAX_LINE:
        return None
    if match := _KEY.fullmatch(raw):
        return KeyLine(int(match.group(1)))
    if match := _STATUS.fullmatch(raw):
        return StatusLine(match.group(1).decode("ascii"))
    return None


@dataclass(frozen=True)
class HostLine:
    """A host command as a device reads it: `A<seconds>` (arm), `D` (disarm), `P<id>` (play)."""

    command: str  # "arm", "disarm" or "play"
    value: int = 0


_HOST = re.compile(rb"A([0-9]{1,3})|(D)|P([0-9]{1,3})")


def parse_host_line(raw: bytes) -> HostLine | None:
    """One host line without its terminator, or None when it is none of `A<n>`, `D`, `P<n>`.

    Args:
        raw: the line's bytes.
    """
    match = _HOST.fullmatch(raw)
    if match is None:
        return None
    arm, disarm, play = match.groups()
    if arm is not None:
        return HostLine("arm", int(arm))
    if disarm is not None:
        return HostLine("disarm")
    return HostLine("play", int(play))
