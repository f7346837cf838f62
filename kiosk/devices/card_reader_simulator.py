"""A simulated SAM ID card reader on a pseudo-terminal, and `kiosk idcard simulate` (idcard-reader.md §3).

SimulatedCardReader answers find, select and read as the spec says a reader does: a card laid is found once,
and after a read it answers `80` until it is lifted and laid again. Tests script odd answers (split, garbage,
a bad CHK, any status) for the next command of a kind, and wait on the log of the commands it received.
Only made-up people ever lie on it.
"""

from __future__ import annotations

import contextlib
import logging
import os
import select
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import FrameType, TracebackType

from kiosk.devices import sam_codec
from kiosk.devices.pseudo_terminal import PseudoTerminal, point_link, remove_link
from kiosk.devices.sam_codec import SamDecoder, encode_answer, encode_card_text, encode_read_answer
from kiosk.domain.idcard import IdCard

log = logging.getLogger(__name__)

# The simulator's photo: 1,024 made-up bytes, never an image (the product never decodes one anyway).
PHOTO = bytes((3 + 7 * i) % 256 for i in range(sam_codec.PHOTO_LEN))
WRITE_TIMEOUT_S = 1.0


def made_up_card(cert_no: str, name: str, sex: str = "1", valid_to: str = "20400101") -> IdCard:
    """A card for a made-up person: the birth date from the number, a demo address and issuer."""
    return IdCard(
        name=name,
        sex=sex,
        nation="01",
        birth=cert_no[6:14],
        address="福建省福州市鼓楼区演示路1号",
        cert_no=cert_no,
        issuer="福州市公安局鼓楼分局",
        valid_from="20200101",
        valid_to=valid_to,
    )


@dataclass(frozen=True)
class ReceivedCommand:
    """A host command as the simulated reader received it.

    Attributes:
        name: find, select, read, or the CMD and PARA bytes in hex.
        raw: the whole frame as it came, preamble to CHK.
        at: time.perf_counter() when it had come whole.
    """

    name: str
    raw: bytes
    at: float = 0.0


class SimulatedCardReader:
    """A virtual SAM reader on a new pseudo-terminal; its thread starts at once.

    Args:
        link: a path made a symlink to the current pty (re-pointed on replug), like a udev name.
    """

    def __init__(self, link: Path | None = None, baud: int | None = None) -> None:
        self.link = link
        self.baud = baud
        """When set, each command and answer takes its time on the wire (10 bits a byte), as on a real line;
        a pseudo-terminal alone moves them at once."""
        self._cond = threading.Condition()
        self._log: list[ReceivedCommand] = []
        self._card: IdCard | None = None
        self._fresh = False  # laid and not yet read: find answers 9F
        self._scripts: dict[str, deque[list[bytes]]] = {"find": deque(), "select": deque(), "read": deque()}
        self._decoder = SamDecoder()
        self._wake_r, self._wake_w = os.pipe()
        self._stopping = False
        self._pty = PseudoTerminal()
        self._point_link()
        self._thread = threading.Thread(target=self._run, name=f"simulated reader {self.port}", daemon=True)
        self._thread.start()

    # Any thread.

    @property
    def port(self) -> str:
        """What a driver opens: the symlink when one was asked for, else the pty's path."""
        return str(self.link) if self.link is not None else self._pty.path

    @property
    def commands(self) -> list[str]:
        """The names of the commands received so far, oldest first."""
        with self._cond:
            return [entry.name for entry in self._log]

    @property
    def received(self) -> list[ReceivedCommand]:
        """The commands received so far, with their bytes."""
        with self._cond:
            return list(self._log)

    def wait_for(self, name: str, count: int = 1, timeout: float = 5.0) -> bool:
        """Blocks until `count` commands of this name have arrived in all; False on timeout."""
        with self._cond:
            return self._cond.wait_for(
                lambda: sum(entry.name == name for entry in self._log) >= count, timeout=timeout
            )

    def lay(self, card: IdCard) -> None:
        """Lays a card on the reader: the next find finds it."""
        with self._cond:
            self._card = card
            self._fresh = True

    def lift(self) -> None:
        """Lifts the card."""
        with self._cond:
            self._card = None
            self._fresh = False

    def fail_next_read(self) -> None:
        """The next read answers `41` (reading failed)."""
        self.script("read", encode_answer(sam_codec.READ_FAILED))

    def script(self, command: str, *chunks: bytes) -> None:
        """The next `command` (find, select, read) is answered with these bytes instead, each chunk written
        separately (an answer split across writes, garbage, a bad CHK, any status, several answers in one)."""
        with self._cond:
            self._scripts[command].append(list(chunks))

    def unplug(self) -> None:
        """Pulls the cable: closes the pty; the driver finds out through its own I/O error."""
        with self._cond:
            self._pty.close()
            if self.link is not None:
                remove_link(self.link, self._pty.path)
        self._wake()

    def replug(self) -> None:
        """Plugs it back: a new pty, the symlink re-pointed; a card still lying there is found again."""
        with self._cond:
            self._pty = PseudoTerminal()
            self._point_link()
            self._decoder.reset()
            self._fresh = self._card is not None
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

    def __enter__(self) -> SimulatedCardReader:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # The reader's thread.

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
            ready, _, _ = select.select(fds, [], [], 0.2)
            with self._cond:
                if self._wake_r in ready:
                    os.read(self._wake_r, 4096)
                if self._pty.closed or self._pty.master not in ready:
                    continue
                for body in self._decoder.feed(self._pty.read()):
                    command = sam_codec.parse_command(body)
                    if command is not None:
                        self._on_command(command, body)

    def _on_command(self, command: sam_codec.Command, body: bytes) -> None:
        raw = sam_codec.encode_command(command.cmd, command.para, command.data)
        self._log.append(ReceivedCommand(command.name, raw, time.perf_counter()))
        self._cond.notify_all()
        if self.baud:
            time.sleep(len(raw) * 10 / self.baud)
        scripts = self._scripts.get(command.name)
        if scripts:
            for chunk in scripts.popleft():
                self._write(chunk)
            return
        self._write(self._answer(command.name))

    def _answer(self, name: str) -> bytes:
        card = self._card
        if name == "find":
            return (
                encode_answer(sam_codec.CARD_FOUND, sam_codec.FIND_DATA)
                if card and self._fresh
                else encode_answer(sam_codec.NO_CARD)
            )
        if name == "select":
            return (
                encode_answer(sam_codec.DONE, sam_codec.SELECT_DATA)
                if card
                else encode_answer(sam_codec.SELECT_FAILED)
            )
        if name == "read":
            if card is None:
                return encode_answer(sam_codec.READ_FAILED)
            self._fresh = False
            return encode_read_answer(encode_card_text(card), PHOTO)
        return encode_answer(sam_codec.BAD_COMMAND)

    def _write(self, data: bytes) -> None:
        """Writes all of it, waiting for room (a read answer is larger than a slow reader's buffer)."""
        deadline = time.monotonic() + WRITE_TIMEOUT_S
        view = memoryview(data)
        started, sent = time.perf_counter(), 0
        while view and not self._pty.closed and time.monotonic() < deadline:
            if self.baud:  # a byte at a time is wasteful; 32 bytes at a time, each group on time
                ahead = started + (sent + 32) * 10 / self.baud - time.perf_counter()
                if ahead > 0:
                    time.sleep(ahead)
                written = self._pty.write(bytes(view[:32]))
                sent += written
            else:
                written = self._pty.write(bytes(view))
            view = view[written:]
            if view:
                select.select([], [self._pty.master], [], 0.05)


class _StopSignalError(Exception):
    """SIGTERM or SIGINT: leave the input loop."""


def _stop(signum: int, frame: FrameType | None) -> None:
    raise _StopSignalError


def apply_line(reader: SimulatedCardReader, line: str) -> str | None:  # noqa: PLR0911 - one answer per command of the protocol
    """Acts on one input line of `kiosk idcard simulate`; returns an error message for a bad line.

    Lines: `card CERTNO NAME [SEX] [VALIDTO]`, `lift`, `fail`; blank lines and what follows a `#` are ignored.
    """
    words = line.split("#", 1)[0].split()
    if not words:
        return None
    if words[0] == "card" and 3 <= len(words) <= 5:
        cert_no, name = words[1], words[2]
        sex = words[3] if len(words) > 3 else "1"
        valid_to = words[4] if len(words) > 4 else "20400101"
        if len(cert_no) != 18 or sex not in ("1", "2"):
            return "card: CERTNO is 18 characters and SEX is 1 or 2"
        card = made_up_card(cert_no, name, sex, valid_to)
        try:
            encode_card_text(card)  # a name too long for the card's field
        except ValueError as exc:
            return f"card: {exc}"
        reader.lay(card)
        return None
    if words == ["lift"]:
        reader.lift()
        return None
    if words == ["fail"]:
        reader.fail_next_read()
        return None
    return "expected `card CERTNO NAME [SEX] [VALIDTO]`, `lift` or `fail`"


def run_idcard_simulate(link: Path | None, lines: Sequence[str] | None = None) -> int:
    """`kiosk idcard simulate`: prints `simulate: port=PATH`, then acts on each line of standard input.

    Ends at end of input or on SIGTERM/SIGINT; exit status 0.

    Args:
        link: a symlink to make to the pty, printed instead of the pty's path.
        lines: the input lines (tests); standard input when None.
    """
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING, format="%(message)s")
    reader = SimulatedCardReader(link)
    previous = {sig: signal.signal(sig, _stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        print(f"simulate: port={reader.port}", flush=True)
        for line in lines if lines is not None else sys.stdin:
            problem = apply_line(reader, line)
            if problem is not None:
                print(f"simulate: {problem}", file=sys.stderr, flush=True)
    except _StopSignalError:
        pass
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        reader.close()
    return 0
