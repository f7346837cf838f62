"""The ID card reader of self-service terminals (idcard-reader.md §1): the interface and the SAM driver.

The driver polls the reader on a PortLink thread (the port, its reconnecting and hot-plug exactly as the
evaluator's) and reaches the Pad only through queued signals. A card's text lives in memory only as long as
the citizen needs it: the driver keeps no card, only a salted digest of the last ID number for the 5-second
rule, and never copies the photo out of the answer it arrived in.
"""

from __future__ import annotations

import enum
import hashlib
import logging
import secrets
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal, Slot

from kiosk.devices import sam_codec
from kiosk.devices.base import Counters, Diagnostics
from kiosk.devices.port import PortLink, ReconnectDelay
from kiosk.devices.sam_codec import Answer, SamDecoder, encode_command
from kiosk.domain.clock import Clock
from kiosk.domain.idcard import CardRefusal, IdCard, card_refusal, china_today
from kiosk.threads import ThreadOwner

log = logging.getLogger(__name__)

POLL_S = 0.5
SAME_CARD_S = 5.0
ANSWER_TIMEOUT_S = 1.0
READ_TIMEOUT_S = 3.0  # the reader reads the card over the air before it answers: about a second
UNRESPONSIVE_AFTER = 3  # commands unanswered in a row


class ReaderState(enum.StrEnum):
    """The reader as technicians and the Pad see it."""

    CONNECTED = "connected"
    DISCONNECTED = "disconnected"
    UNRESPONSIVE = "unresponsive"  # the port is open but the reader answers nothing
    FAULT = "fault"  # the reader answers, but its SAM failed its self-test or is not authorised
    NONE = "none"  # no reader configured


# What a failed select or read says to the citizen.
_REFUSALS = {
    sam_codec.SELECT_FAILED: CardRefusal.UNREADABLE,
    sam_codec.READ_FAILED: CardRefusal.UNREADABLE,
    sam_codec.UNKNOWN_CARD_TYPE: CardRefusal.UNKNOWN_CARD_TYPE,
    **dict.fromkeys(sam_codec.AUTHENTICATION_FAILED, CardRefusal.NOT_AUTHENTIC),
}
_SAM_FAULTS = (sam_codec.SAM_SELF_TEST_FAILED, sam_codec.SAM_NOT_AUTHORISED)


class CardReader(QObject):
    """Base of the ID card readers. Lives on the Qt thread; I/O happens on the driver's own thread.

    Signals:
        card_read(IdCard): a card was read and may be looked up (checked, not expired, not a repeat).
        card_refused(str): a card was laid but must not be looked up; a CardRefusal value.
        reading(): a card was found and is being read (about a second); card_read or card_refused follows.
        state_changed(str): a ReaderState value.
    """

    card_read = Signal(object)
    reading = Signal()
    card_refused = Signal(str)
    state_changed = Signal(str)

    protocol = "none"

    def __init__(self, port: str = "") -> None:
        super().__init__()
        self._owner = ThreadOwner(f"the {self.protocol} card reader")
        self.port = port
        self.state = ReaderState.NONE
        self.counters = Counters()
        self.state_changed.connect(self._on_state_changed)

    @Slot(str)
    def _on_state_changed(self, state: str) -> None:
        self.state = ReaderState(state)

    @property
    def diagnostics(self) -> Diagnostics:
        """The device's counters now: a copy, safe to keep and read on any thread."""
        return self.counters.snapshot()

    def start(self) -> None:
        """Opens the port and starts polling; returns at once."""

    def stop(self) -> None:
        """Stops polling and closes the port; returns within a second."""


class NoCardReader(CardReader):
    """`idcard.protocol = "none"`: no reader fitted."""


class SamCardReader(CardReader):
    """A SAM reader on a serial port: find every 500 ms, then select and read at once on `9F`.

    A find that fails (`80`) means no new card: a card just read answers so until it is lifted and laid
    again. A second read of the same ID number within 5 s is ignored.

    Args:
        port: the port's name (device path, `hwid:…` or pyserial URL).
        baud: the baud rate (115200).
        clock: today's date, for expiry.
        poll_s: the interval of find commands while no card is being read.
        same_card_s: how long a second read of the same ID number is ignored.
        answer_timeout_s: the wait for the answer to find and select.
        read_timeout_s: the wait for the answer to read.
        delay: the reconnect schedule.
        monotonic: the time source of every timer.

    Signals:
        card_read(IdCard): from the link thread, queued to the Qt thread.
        card_refused(str): a CardRefusal value.
        state_changed(str): connected, disconnected, unresponsive or fault.
    """

    protocol = "sam"

    def __init__(  # noqa: PLR0913 - keyword-only timings a test may shorten
        self,
        port: str,
        *,
        baud: int = 115200,
        clock: Clock,
        poll_s: float = POLL_S,
        same_card_s: float = SAME_CARD_S,
        answer_timeout_s: float = ANSWER_TIMEOUT_S,
        read_timeout_s: float = READ_TIMEOUT_S,
        delay: ReconnectDelay | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(port)
        self._clock = clock
        self._poll_s = poll_s
        self._same_card_s = same_card_s
        self._timeouts = {
            sam_codec.FIND: answer_timeout_s,
            sam_codec.SELECT: answer_timeout_s,
            sam_codec.READ: read_timeout_s,
        }
        self._monotonic = monotonic
        self._decoder = SamDecoder(monotonic)
        self._link = PortLink(
            port,
            baud,
            self,
            self.counters,
            delay=delay,
            monotonic=monotonic,
            name="idcard",
            label="idcard",
        )
        self._inflight: tuple[int, int] | None = None
        self._sent_at = 0.0
        self._next_find = 0.0
        self._unanswered = 0
        self._reported: ReaderState | None = None
        # The 5-second rule compares digests under a key made at start, never the number itself.
        self._salt = secrets.token_bytes(16)
        self._last_card: tuple[bytes, float] | None = None

    # Qt thread.

    def start(self) -> None:
        """Opens the port on the link thread and starts polling; returns at once."""
        self._owner.check()
        self._link.start()

    def stop(self) -> None:
        """Stops the link thread and closes the port, within about a second."""
        self._owner.check()
        self._link.stop()
        self._report(ReaderState.DISCONNECTED)

    # Link thread: LinkSession.

    def on_link_up(self, now: float) -> None:
        """The port is open: poll at once."""
        self._link.check_thread()
        self._forget()
        self._next_find = now
        self._report(ReaderState.CONNECTED)

    def on_link_down(self, reason: str) -> None:
        """The port is closed: drop what was in flight."""
        self._link.check_thread()
        self._forget()
        self._report(ReaderState.DISCONNECTED)

    def on_link_data(self, data: bytes, now: float) -> None:
        """Decodes the bytes and handles each answer they complete."""
        self._link.check_thread()
        self._handle(self._decoder.feed(data, now), now)

    def on_link_tick(self, now: float) -> None:
        """The stall rule, the answer timeout, and the next find."""
        self._link.check_thread()
        self._handle(self._decoder.tick(now), now)
        if self._inflight is not None and now - self._sent_at >= self._timeouts[self._inflight]:
            self._on_timeout(now)
        if self._inflight is None and now >= self._next_find:
            self._send(sam_codec.FIND, now)

    # Link thread: commands and answers.

    def _forget(self) -> None:
        self._decoder.reset()
        self._inflight = None
        self._unanswered = 0

    def _send(self, command: tuple[int, int], now: float) -> None:
        self._inflight = command
        self._sent_at = now
        self._link.write(encode_command(*command))

    def _on_timeout(self, now: float) -> None:
        command = sam_codec.COMMAND_NAMES[self._inflight] if self._inflight else "?"
        self._inflight = None
        self._decoder.reset()
        self._unanswered += 1
        self._count("timeouts")
        log.warning("idcard: no answer to %s (%d in a row)", command, self._unanswered)
        if self._unanswered >= UNRESPONSIVE_AFTER:
            self._report(ReaderState.UNRESPONSIVE)
        self._next_find = now

    def _handle(self, bodies: list[bytes], now: float) -> None:
        self._count_decoder()
        for body in bodies:
            answer = sam_codec.parse_answer(body)
            del body  # a read answer's body holds the card: keep no reference beyond the answer's
            if answer is None:
                self._count("short_frames")
                log.warning("idcard: a frame too short to be an answer")
                continue
            self.counters.add("frames_decoded")
            self._on_answer(answer, now)

    def _on_answer(self, answer: Answer, now: float) -> None:
        command, self._inflight = self._inflight, None
        if command is None:
            self._count("unexpected_answers")
            log.info("idcard: %s answers no command in flight", answer)
            return
        self._unanswered = 0
        if answer.sw3 in _SAM_FAULTS:
            self._report(ReaderState.FAULT)
        elif answer.sw3 in (sam_codec.CARD_FOUND, sam_codec.NO_CARD, sam_codec.DONE):
            self._report(ReaderState.CONNECTED)
        if command == sam_codec.FIND:
            self._on_find(answer, now)
        elif command == sam_codec.SELECT:
            self._on_select(answer, now)
        else:
            self._on_read(answer, now)

    def _on_find(self, answer: Answer, now: float) -> None:
        if answer.sw3 == sam_codec.CARD_FOUND:
            self.reading.emit()
            self._send(sam_codec.SELECT, now)
            return
        if answer.sw3 != sam_codec.NO_CARD:
            self._reader_error("find", answer)
        self._next_find = self._sent_at + self._poll_s

    def _on_select(self, answer: Answer, now: float) -> None:
        if answer.sw3 == sam_codec.DONE:
            self._send(sam_codec.READ, now)
            return
        self._refuse_status("select", answer, now)

    def _on_read(self, answer: Answer, now: float) -> None:
        self._next_find = now + self._poll_s
        if answer.sw3 != sam_codec.DONE:
            self._refuse_status("read", answer, now)
            return
        text = sam_codec.card_text(answer.data)
        if text is None:
            self._refuse(CardRefusal.UNREADABLE, "the read answer is not laid out as text and photo")
            return
        card = sam_codec.parse_card_text(text)
        if self._seen_just_now(card, now):
            self._count("same_card_ignored")
            log.info("idcard: the same card again within %.0f s: ignored", self._same_card_s)
            self.card_refused.emit(CardRefusal.REPEAT.value)
            return
        if sam_codec.card_type_marker(text):
            self._refuse(CardRefusal.UNKNOWN_CARD_TYPE, "not a resident ID card")
            return
        refusal = card_refusal(card, china_today(self._clock.now()))
        if refusal is not None:
            self._refuse(refusal, "")
            return
        self._count("cards_read")
        log.info("idcard: a card was read")
        self.card_read.emit(card)

    def _seen_just_now(self, card: IdCard, now: float) -> bool:
        """The 5-second rule; remembers this card's digest and time unless it is a repeat."""
        digest = hashlib.blake2b(card.cert_no.encode("utf-8"), key=self._salt, digest_size=16).digest()
        last = self._last_card
        if last is not None and last[0] == digest and now - last[1] < self._same_card_s:
            return True
        self._last_card = (digest, now)
        return False

    def _refuse_status(self, step: str, answer: Answer, now: float) -> None:
        self._next_find = now + self._poll_s
        refusal = _REFUSALS.get(answer.sw3)
        if refusal is None:
            self._reader_error(step, answer)
            refusal = CardRefusal.READER_ERROR
        self._refuse(refusal, f"{step}: {answer.status}")

    def _refuse(self, refusal: CardRefusal, why: str) -> None:
        self._count("cards_refused")
        log.info("idcard: card refused: %s%s", refusal.value, f" ({why})" if why else "")
        self.card_refused.emit(refusal.value)

    def _reader_error(self, step: str, answer: Answer) -> None:
        self._count("reader_errors")
        log.warning("idcard: %s answered %s", step, answer.status)

    # Link thread: counters and state.

    def _count(self, name: str) -> None:
        self.counters.add_extra(name)

    def _count_decoder(self) -> None:
        decoder, counters = self._decoder, self.counters
        for name, count, what in (
            ("crc_errors", decoder.checksum_errors, "frames dropped for a bad CHK"),
            ("framing_errors", decoder.length_errors, "frames dropped for an impossible LEN"),
            ("stalls", decoder.stalls, "frames cut short"),
        ):
            was = counters.put(name, count)
            if count != was:
                log.warning("idcard: %s: %d (was %d)", what, count, was)
        counters.put_extra("skipped_bytes", decoder.skipped)

    def _report(self, state: ReaderState) -> None:
        if state == self._reported:
            return
        self._reported = state
        log.info("idcard: %s", state.value)
        self.state_changed.emit(state.value)
