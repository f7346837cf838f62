"""The SAM serial protocol of resident ID card readers (idcard-reader.md §1): a pure codec, no I/O and no Qt.

```
host -> reader:  AA AA AA 96 69 | LEN_H LEN_L | CMD PARA [DATA] | CHK
reader -> host:  AA AA AA 96 69 | LEN_H LEN_L | SW1 SW2 SW3 [DATA] | CHK
```

LEN (big-endian) counts every byte after itself, CHK included; CHK is the XOR of LEN_H up to the byte before it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from kiosk.domain.idcard import IdCard
from kiosk.domain.validation import normalise_resident_id

PREAMBLE = b"\xaa\xaa\xaa\x96\x69"
HEADER_LEN = len(PREAMBLE) + 2  # preamble and LEN
# The longest answer of the protocol is a read with fingerprints (text, photo and 1024 bytes more); a LEN
# beyond this is garbage that happens to follow a preamble.
MAX_LEN = 4096
STALL_S = 0.3  # a 1,295-byte answer takes 0.11 s at 115200 baud; USB bridges add tens of milliseconds

# Commands: (CMD, PARA).
FIND = (0x20, 0x01)
SELECT = (0x20, 0x02)
READ = (0x30, 0x01)
COMMAND_NAMES = {FIND: "find", SELECT: "select", READ: "read"}

# SW3, the reader's status.
DONE = 0x90
CARD_FOUND = 0x9F
NO_CARD = 0x80
SELECT_FAILED = 0x81
READ_FAILED = 0x41
BAD_CHECKSUM = 0x10
BAD_LENGTH = 0x11
BAD_COMMAND = 0x21
NOT_ALLOWED = 0x23
UNKNOWN_ERROR = 0x24
AUTHENTICATION_FAILED = (0x31, 0x32, 0x33)
UNKNOWN_CARD_TYPE = 0x40
SAM_SELF_TEST_FAILED = 0x60
SAM_NOT_AUTHORISED = 0x66
STATUS_NAMES = {
    DONE: "done",
    CARD_FOUND: "card found",
    NO_CARD: "no card found",
    SELECT_FAILED: "selecting failed",
    READ_FAILED: "reading failed",
    BAD_CHECKSUM: "bad checksum",
    BAD_LENGTH: "bad length",
    BAD_COMMAND: "bad command",
    NOT_ALLOWED: "operation not allowed",
    UNKNOWN_ERROR: "unknown error",
    0x31: "card authentication failed",
    0x32: "card authentication failed",
    0x33: "card authentication failed",
    UNKNOWN_CARD_TYPE: "unknown card type",
    SAM_SELF_TEST_FAILED: "SAM self-test failed",
    SAM_NOT_AUTHORISED: "SAM not authorised",
}

FIND_DATA = b"\x00\x00\x00\x00"
SELECT_DATA = bytes(8)
TEXT_LEN = 256
PHOTO_LEN = 1024

# The text's fields: (name, bytes), in order; UTF-16LE, each padded with spaces.
TEXT_FIELDS = (
    ("name", 30),
    ("sex", 2),
    ("nation", 4),
    ("birth", 16),
    ("address", 70),
    ("cert_no", 36),
    ("issuer", 30),
    ("valid_from", 16),
    ("valid_to", 16),
    ("reserved", 36),
)
# Newer cards (the foreigner's permanent residence card `I`, the residence permit of Hong Kong, Macao and
# Taiwan residents `J`) mark their type at this byte of the text, inside what is reserved on a resident ID
# card; a resident ID card leaves it blank.
CARD_TYPE_OFFSET = 248


def checksum(data: bytes | bytearray | memoryview) -> int:
    """CHK: the XOR of the bytes from LEN_H up to the byte before CHK."""
    value = 0
    for byte in data:
        value ^= byte
    return value


def _frame(body: bytes) -> bytes:
    length = len(body) + 1
    if length > 0xFFFF:
        raise ValueError(f"a SAM frame's body is at most 65534 bytes, got {len(body)}")
    head = length.to_bytes(2, "big") + body
    return PREAMBLE + head + bytes([checksum(head)])


def encode_command(cmd: int, para: int, data: bytes = b"") -> bytes:
    """A host command, preamble to CHK (find: `encode_command(*FIND)`)."""
    return _frame(bytes((cmd, para)) + data)


def encode_answer(sw3: int, data: bytes = b"", sw1: int = 0, sw2: int = 0) -> bytes:
    """A reader's answer, preamble to CHK (the simulator and tests)."""
    return _frame(bytes((sw1, sw2, sw3)) + data)


@dataclass(frozen=True)
class Command:
    """A host command as a reader decodes it."""

    cmd: int
    para: int
    data: bytes = b""

    @property
    def name(self) -> str:
        """find, select, read, or the bytes in hex."""
        return COMMAND_NAMES.get((self.cmd, self.para), f"{self.cmd:02X} {self.para:02X}")


@dataclass(frozen=True, repr=False)
class Answer:
    """A reader's answer. Its DATA may hold a card's text: the repr shows its length only.

    Attributes:
        sw1: 00 on every answer the spec lists.
        sw2: 00 likewise.
        sw3: the status (`DONE`, `CARD_FOUND`, `NO_CARD`, …).
        data: what follows SW3, before CHK.
    """

    sw1: int
    sw2: int
    sw3: int
    data: bytes = b""

    @property
    def status(self) -> str:
        """SW3 in words."""
        return STATUS_NAMES.get(self.sw3, f"status {self.sw3:02X}")

    def __repr__(self) -> str:
        return (
            f"Answer(sw={self.sw1:02X} {self.sw2:02X} {self.sw3:02X} {self.status}, {len(self.data)} bytes)"
        )

    __str__ = __repr__


def parse_command(body: bytes) -> Command | None:
    """A frame's body (LEN to CHK, both excluded) as a host command, or None when too short."""
    if len(body) < 2:
        return None
    return Command(body[0], body[1], bytes(body[2:]))


def parse_answer(body: bytes) -> Answer | None:
    """A frame's body (LEN to CHK, both excluded) as a reader's answer, or None when too short."""
    if len(body) < 3:
        return None
    return Answer(body[0], body[1], body[2], bytes(body[3:]))


class SamDecoder:
    """Incremental receiver of SAM frames, in either direction: bodies with a good CHK come out in order.

    A candidate starts at a preamble; bytes before one are skipped. Its LEN says how many bytes follow. When
    CHK does not match, or LEN is impossible (under 2 or over MAX_LEN), only the candidate's first byte is
    dropped and the hunt resumes at the next, so a good frame that begins inside garbage or a broken frame is
    still found. A candidate whose bytes stop arriving for STALL_S is broken the same way.

    Args:
        monotonic: the time `feed` and `tick` use when not given one.
        stall_s: the gap after which an unfinished candidate is broken.
        zero_consumed: overwrite the bytes of each decoded frame in the buffer before releasing them (a read
            answer carries a card's text and photo).

    Attributes:
        frames: frames decoded.
        checksum_errors: candidates dropped because CHK did not match.
        length_errors: candidates dropped for an impossible LEN.
        stalls: candidates dropped because their bytes stopped arriving.
        skipped: bytes discarded while hunting for a preamble.
    """

    def __init__(
        self,
        monotonic: Callable[[], float] = time.monotonic,
        stall_s: float = STALL_S,
        zero_consumed: bool = True,
    ) -> None:
        self._monotonic = monotonic
        self._stall_s = stall_s
        self._zero = zero_consumed
        self._buf = bytearray()
        self._last_byte_at = 0.0
        self.frames = 0
        self.checksum_errors = 0
        self.length_errors = 0
        self.stalls = 0
        self.skipped = 0

    @property
    def pending(self) -> int:
        """Bytes held, waiting for the rest of a candidate."""
        return len(self._buf)

    def reset(self) -> None:
        """Forgets a partial candidate (the port was reopened, an answer timed out); the counters stay."""
        self._release(len(self._buf))

    def feed(self, data: bytes, now: float | None = None) -> list[bytes]:
        """Takes the bytes of one read and returns the bodies (LEN and CHK excluded) of the frames they
        complete.

        Args:
            data: the bytes read.
            now: when they arrived (monotonic seconds); the injected clock's time when None.
        """
        if now is None:
            now = self._monotonic()
        bodies = self.tick(now)
        if data:
            self._buf += data
            self._last_byte_at = now
            bodies += self._scan()
        return bodies

    def tick(self, now: float | None = None) -> list[bytes]:
        """Applies the stall rule; call it when a read returns nothing.

        Returns:
            Bodies of frames found after dropping a stalled candidate.
        """
        if not self._buf:
            return []
        if now is None:
            now = self._monotonic()
        if now - self._last_byte_at < self._stall_s:
            return []
        bodies: list[bytes] = []
        while self._buf:
            if self._buf.startswith(PREAMBLE):
                self.stalls += 1
            else:
                self.skipped += 1  # the start of a preamble that never came
            self._release(1)
            bodies += self._scan()
        return bodies

    def _release(self, count: int) -> None:
        if self._zero:
            self._buf[:count] = bytes(count)
        del self._buf[:count]

    def _scan(self) -> list[bytes]:
        """Decodes every complete candidate in the buffer, leaving at most one unfinished one."""
        buf = self._buf
        bodies: list[bytes] = []
        pos = 0
        while True:
            start = buf.find(PREAMBLE, pos)
            if start < 0:
                # Keep what may be the beginning of a preamble still arriving.
                keep = _preamble_prefix(buf, max(pos, len(buf) - len(PREAMBLE) + 1))
                self.skipped += len(buf) - pos - keep
                self._release(len(buf) - keep)
                return bodies
            self.skipped += start - pos
            if len(buf) - start < HEADER_LEN:
                break
            length = int.from_bytes(buf[start + 5 : start + 7], "big")
            if not 2 <= length <= MAX_LEN:
                self.length_errors += 1
                pos = start + 1
                continue
            end = start + HEADER_LEN + length
            if len(buf) < end:
                break
            if checksum(memoryview(buf)[start + 5 : end - 1]) != buf[end - 1]:
                self.checksum_errors += 1
                pos = start + 1
                continue
            bodies.append(bytes(buf[start + HEADER_LEN : end - 1]))
            self.frames += 1
            pos = end
        self._release(start)
        return bodies


def _preamble_prefix(buf: bytearray, start: int) -> int:
    """How many bytes at the end of buf (from start on) are the beginning of a preamble."""
    for offset in range(max(start, 0), len(buf)):
        if PREAMBLE.startswith(buf[offset:]):
            return len(buf) - offset
    return 0


@dataclass(frozen=True)
class ReadAnswerLayout:
    """Where the text and the photo sit in a read answer's DATA (after the two length fields)."""

    text_len: int
    photo_len: int


def read_layout(data: bytes) -> ReadAnswerLayout | None:
    """The text and photo lengths a read answer's DATA announces, or None when DATA does not hold them."""
    if len(data) < 4:
        return None
    text_len = int.from_bytes(data[0:2], "big")
    photo_len = int.from_bytes(data[2:4], "big")
    if text_len != TEXT_LEN or len(data) < 4 + text_len + photo_len:
        return None
    return ReadAnswerLayout(text_len, photo_len)


def card_text(data: bytes) -> bytes | None:
    """The 256-byte text of a read answer's DATA, or None when DATA is not laid out as the spec says.

    The photo that follows is never copied.
    """
    if read_layout(data) is None:
        return None
    return data[4 : 4 + TEXT_LEN]


def card_type_marker(text: bytes) -> str:
    """The card type a newer card marks in its text (`I`, `J`), or "" for a resident ID card."""
    marker = text[CARD_TYPE_OFFSET : CARD_TYPE_OFFSET + 2].decode("utf-16-le", "replace")
    return marker.strip(" \0")


def parse_card_text(text: bytes) -> IdCard:
    """The 256-byte card text as an IdCard: UTF-16LE fields, spaces (and NULs) trimmed.

    Raises:
        ValueError: when the text is not 256 bytes.
    """
    if len(text) != TEXT_LEN:
        raise ValueError(f"a card's text is {TEXT_LEN} bytes, got {len(text)}")
    values: dict[str, str] = {}
    offset = 0
    for name, size in TEXT_FIELDS:
        values[name] = text[offset : offset + size].decode("utf-16-le", "replace").strip(" \0")
        offset += size
    values.pop("reserved")
    values["cert_no"] = normalise_resident_id(values["cert_no"])
    return IdCard(**values)


def encode_card_text(card: IdCard) -> bytes:
    """The 256-byte text of a card (the simulator and tests): each field UTF-16LE, padded with spaces.

    Raises:
        ValueError: naming the field, when one does not fit.
    """
    out = bytearray()
    for name, size in TEXT_FIELDS:
        value = "" if name == "reserved" else getattr(card, name)
        encoded = value.encode("utf-16-le")
        if len(encoded) > size:
            raise ValueError(f"{name} holds at most {size // 2} characters")
        out += encoded + " ".encode("utf-16-le") * ((size - len(encoded)) // 2)
    return bytes(out)


def encode_read_answer(text: bytes, photo: bytes) -> bytes:
    """A whole read answer: SW3 90, the two lengths, the text and the photo."""
    data = len(text).to_bytes(2, "big") + len(photo).to_bytes(2, "big") + text + photo
    return encode_answer(DONE, data)
