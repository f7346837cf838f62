"""EVP/1, the binary frame protocol of evaluator-protocol.md §1: a pure codec, no I/O and no Qt.

`| AA | 55 | ADDR | SEQ | CMD | LEN | DATA (LEN) | CRC lo | CRC hi |`, CRC-16/MODBUS over ADDR..DATA.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

SYNC = b"\xaa\x55"
HEADER_LEN = 6  # AA 55 ADDR SEQ CMD LEN
MAX_DATA = 32
BROADCAST = 0xFF
STALL_S = 0.1

# Device to host.
KEY = 0x01
STATUS = 0x02
ACK = 0x80
NAK = 0x7F
# Host to device (ACK 0x80 is shared: the host acknowledges KEY with it).
ARM = 0x10
DISARM = 0x11
PLAY = 0x12
LED = 0x13
QUERY = 0x14

KEY_ACK_DATA = b"\x01"

# STATUS flags.
FLAG_ARMED = 0x01
FLAG_VOICE = 0x02
FLAG_LEDS = 0x04

# NAK error codes.
NAK_BAD_LENGTH = 1
NAK_UNKNOWN_COMMAND = 2
NAK_BUSY = 3

COMMAND_NAMES = {
    KEY: "KEY",
    STATUS: "STATUS",
    ACK: "ACK",
    NAK: "NAK",
    ARM: "ARM",
    DISARM: "DISARM",
    PLAY: "PLAY",
    LED: "LED",
    QUERY: "QUERY",
}


def _crc_table() -> tuple[int, ...]:
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
        table.append(crc)
    return tuple(table)


_CRC_TABLE = _crc_table()


def crc16_modbus(data: bytes | bytearray | memoryview) -> int:
    """CRC-16/MODBUS: reflected polynomial 0xA001, initial 0xFFFF, no final XOR.

    Args:
        data: the bytes to check (for a frame: ADDR through DATA).
    """
    crc = 0xFFFF
    table = _CRC_TABLE  # a local: this loop is the decoder's hot path (bench "decoding cost")
    for byte in data:
        crc = (crc >> 8) ^ table[(crc ^ byte) & 0xFF]
    return crc


def encode_frame(addr: int, seq: int, cmd: int, data: bytes = b"") -> bytes:
    """One EVP/1 frame, sync bytes to CRC.

    Args:
        addr: the device's address (0x01-0x08, or 0xFF for a host broadcast).
        seq: the sender's frame number; taken modulo 256 so callers may simply count.
        cmd: the command byte.
        data: 0 to 32 bytes.

    Raises:
        ValueError: when data is longer than 32 bytes or addr/cmd are not bytes.
    """
    if len(data) > MAX_DATA:
        raise ValueError(f"EVP/1 DATA is at most {MAX_DATA} bytes, got {len(data)}")
    body = bytes((addr, seq & 0xFF, cmd, len(data))) + bytes(data)
    crc = crc16_modbus(body)
    return SYNC + body + bytes((crc & 0xFF, crc >> 8))


@dataclass(frozen=True)
class Frame:
    """A decoded (or to be encoded) EVP/1 frame.

    Attributes:
        addr: ADDR, the device's address in both directions.
        seq: SEQ, the sender's frame number.
        cmd: CMD.
        data: DATA.
    """

    addr: int
    seq: int
    cmd: int
    data: bytes = b""

    def encode(self) -> bytes:
        """The frame's bytes on the wire."""
        return encode_frame(self.addr, self.seq, self.cmd, self.data)

    @property
    def name(self) -> str:
        """The command's name from the spec's tables, or its hex value."""
        return COMMAND_NAMES.get(self.cmd, f"0x{self.cmd:02X}")

    def __str__(self) -> str:
        return f"{self.name} addr={self.addr} seq={self.seq} data={self.data.hex(' ') or '-'}"


class FrameDecoder:
    """Incremental EVP/1 receiver implementing the resync rules of evaluator-protocol.md "Receiving".

    Bytes go in as they arrive, in reads of any size; complete frames with a good CRC come out in order.
    A candidate is a position holding AA 55. On a CRC mismatch or LEN > 32 only the candidate's first byte
    is dropped and the hunt resumes at the next byte, so a valid frame that begins inside garbage or inside
    a broken frame is still found. When the bytes of an unfinished candidate stop arriving for 100 ms it
    is broken in the same way; so is every candidate found in what remains, since their bytes stopped
    arriving just as long ago.

    Args:
        monotonic: where `feed` and `tick` read the time when not given one (seconds, monotonic).
        stall_s: the gap after which an unfinished candidate is broken (100 ms in the spec).

    Attributes:
        frames: frames decoded.
        crc_errors: candidates dropped on a CRC mismatch.
        framing_errors: candidates dropped for LEN > 32.
        stalls: candidates dropped because their bytes stopped arriving.
        skipped: bytes discarded while hunting for AA 55 (noise, not counted as an error).
    """

    def __init__(self, monotonic: Callable[[], float] = time.monotonic, stall_s: float = STALL_S) -> None:
        self._monotonic = monotonic
        self._stall_s = stall_s
        self._buf = bytearray()
        self._last_byte_at = 0.0
        self.frames = 0
        self.crc_errors = 0
        self.framing_errors = 0
        self.stalls = 0
        self.skipped = 0

    @property
    def pending(self) -> int:
        """Bytes held, waiting for the rest of a candidate."""
        return len(self._buf)

    def reset(self) -> None:
        """Forgets a partial candidate (the port was reopened); the counters stay."""
        self._buf.clear()

    def feed(self, data: bytes, now: float | None = None) -> list[Frame]:
        """Takes the bytes of one read and returns the frames they complete.

        Args:
            data: the bytes read.
            now: when they arrived (monotonic seconds); the injected clock's time when None.
        """
        if now is None:
            now = self._monotonic()
        frames = self.tick(now)
        if data:
            self._buf += data
            self._last_byte_at = now
            frames += self._scan()
        return frames

    def tick(self, now: float | None = None) -> list[Frame]:
        """Applies the 100 ms stall rule; call it when a read returns nothing.

        Args:
            now: the current monotonic time; the injected clock's time when None.

        Returns:
            Frames found after dropping stalled candidates (a valid frame can sit inside a broken one).
        """
        if not self._buf:
            return []
        if now is None:
            now = self._monotonic()
        if now - self._last_byte_at < self._stall_s:
            return []
        frames: list[Frame] = []
        while self._buf:
            if self._buf[:2] == SYNC:
                self.stalls += 1
            else:
                self.skipped += 1  # a lone trailing AA: the start of nothing
            del self._buf[0]
            frames += self._scan()
        return frames

    def _scan(self) -> list[Frame]:
        """Decodes every complete candidate in the buffer, leaving at most one unfinished one."""
        buf = self._buf
        frames: list[Frame] = []
        pos = 0
        while True:
            start = buf.find(SYNC, pos)
            if start < 0:
                # Keep a final AA: it may be the first sync byte of a frame still arriving.
                keep = 1 if buf[-1:] == b"\xaa" else 0
                self.skipped += len(buf) - pos - keep
                del buf[: len(buf) - keep]
                return frames
            self.skipped += start - pos
            if len(buf) - start < HEADER_LEN:
                break
            length = buf[start + 5]
            if length > MAX_DATA:
                self.framing_errors += 1
                pos = start + 1
                continue
            end = start + HEADER_LEN + length + 2
            if len(buf) < end:
                break
            crc = crc16_modbus(buf[start + 2 : end - 2])
            if buf[end - 2] != crc & 0xFF or buf[end - 1] != crc >> 8:
                self.crc_errors += 1
                pos = start + 1
                continue
            frames.append(
                Frame(
                    buf[start + 2], buf[start + 3], buf[start + 4], bytes(buf[start + HEADER_LEN : end - 2])
                )
            )
            self.frames += 1
            pos = end
        del buf[:start]
        return frames
