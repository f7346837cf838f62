"""SamCardReader over real pseudo-terminals: polling, the spec's bytes, odd answers, the 5-second rule, hot-plug."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from kiosk.devices import sam_codec
from kiosk.devices.card_reader import POLL_S, CardReader, ReaderState, SamCardReader
from kiosk.devices.card_reader_simulator import SimulatedCardReader, made_up_card
from kiosk.devices.port import ReconnectDelay
from kiosk.devices.sam_codec import encode_answer
from kiosk.domain.clock import ManualClock
from kiosk.domain.idcard import IdCard
from tests.devices.device_end import DeviceEnd
from tests.devices.test_sam import READ_ANSWER, VECTORS, chen_ming, same_card
from tests.helpers.people import resident_id

WAIT_MS = 5000
CARD_FOUND = encode_answer(sam_codec.CARD_FOUND, sam_codec.FIND_DATA)
SELECTED = encode_answer(sam_codec.DONE, sam_codec.SELECT_DATA)
LIN = made_up_card(resident_id("350104", "19850607", "031"), "林小梅", "2")
WU = made_up_card(resident_id("350111", "19721130", "457"), "吴建国")


class ShiftedClock:
    """The real monotonic time plus a shift the test adds: polls run at their pace, and 5 s pass at once."""

    def __init__(self) -> None:
        self.shift = 0.0

    def __call__(self) -> float:
        return time.monotonic() + self.shift


class Recorder:
    """What a reader emitted, in order, as delivered on the Qt thread."""

    def __init__(self, reader: CardReader) -> None:
        self.cards: list[IdCard] = []
        self.refusals: list[str] = []
        self.states: list[str] = []
        self.readings = 0
        reader.reading.connect(self._reading)
        reader.card_read.connect(self.cards.append)
        reader.card_refused.connect(self.refusals.append)
        reader.state_changed.connect(self.states.append)

    def _reading(self) -> None:
        self.readings += 1


@pytest.fixture
def sim() -> Iterator[SimulatedCardReader]:
    reader = SimulatedCardReader()
    yield reader
    reader.close()


@pytest.fixture
def monotonic() -> ShiftedClock:
    return ShiftedClock()


@pytest.fixture
def start(
    clock: ManualClock, monotonic: ShiftedClock
) -> Iterator[Callable[..., tuple[SamCardReader, Recorder]]]:
    drivers: list[SamCardReader] = []

    def make(port: str, **options: Any) -> tuple[SamCardReader, Recorder]:
        options.setdefault("delay", ReconnectDelay(fast_s=0.05))
        options.setdefault("poll_s", 0.1)  # the spec's 500 ms has a test of its own
        driver = SamCardReader(port, clock=clock, monotonic=monotonic, **options)
        recorder = Recorder(driver)
        drivers.append(driver)
        driver.start()
        return driver, recorder

    yield make
    for driver in drivers:
        driver.stop()


Start = Callable[..., tuple[SamCardReader, Recorder]]


def extra(driver: SamCardReader, name: str) -> int:
    return driver.diagnostics.extra.get(name, 0)


def test_polls_with_the_spec_bytes_and_reads_a_card(
    qtbot: QtBot, sim: SimulatedCardReader, start: Start
) -> None:
    driver, rec = start(sim.port)
    qtbot.waitUntil(lambda: driver.state == ReaderState.CONNECTED, timeout=WAIT_MS)
    assert sim.wait_for("find", count=2)
    assert rec.cards == []
    sim.lay(LIN)
    qtbot.waitUntil(lambda: len(rec.cards) == 1, timeout=WAIT_MS)
    assert same_card(rec.cards[0], LIN)
    spec = {
        name: bytes.fromhex(hex_)
        for name, (_, hex_) in zip(("find", "select", "read"), VECTORS, strict=False)
    }
    for command in sim.received:
        assert command.raw == spec[command.name]
    names = sim.commands
    read_at = names.index("read")
    assert names[read_at - 2 : read_at + 1] == ["find", "select", "read"]
    assert extra(driver, "cards_read") == 1
    assert driver.diagnostics.frames_decoded >= 4


def test_finds_are_500_ms_apart(qtbot: QtBot, sim: SimulatedCardReader, start: Start) -> None:
    start(sim.port, poll_s=POLL_S)
    assert sim.wait_for("find", count=1)
    first = time.monotonic()
    assert sim.wait_for("find", count=3)
    assert POLL_S == 0.5
    assert time.monotonic() - first >= 0.9  # two intervals of 500 ms at least, never a busy loop


def test_the_whole_answer_of_the_spec(qtbot: QtBot, sim: SimulatedCardReader, start: Start) -> None:
    _, rec = start(sim.port)
    sim.script("read", READ_ANSWER)
    sim.lay(LIN)  # what lies there does not matter: the scripted answer is the spec's
    qtbot.waitUntil(lambda: len(rec.cards) == 1, timeout=WAIT_MS)
    assert same_card(rec.cards[0], chen_ming())


def test_an_answer_split_across_writes(qtbot: QtBot, sim: SimulatedCardReader, start: Start) -> None:
    driver, rec = start(sim.port)
    sim.script("find", CARD_FOUND[:3], CARD_FOUND[3:9], CARD_FOUND[9:])
    sim.script("read", READ_ANSWER[:5], READ_ANSWER[5:300], READ_ANSWER[300:1294], READ_ANSWER[1294:])
    sim.lay(LIN)
    qtbot.waitUntil(lambda: len(rec.cards) == 1, timeout=WAIT_MS)
    assert same_card(rec.cards[0], chen_ming())
    assert driver.diagnostics.crc_errors == 0


def test_answers_joined_in_one_write(qtbot: QtBot, sim: SimulatedCardReader, start: Start) -> None:
    driver, rec = start(sim.port)
    sim.script("select", SELECTED + READ_ANSWER)  # the read's answer already there when read goes out
    sim.script("read")  # … so the reader answers nothing more to it
    sim.lay(LIN)
    qtbot.waitUntil(lambda: len(rec.cards) == 1, timeout=WAIT_MS)
    assert same_card(rec.cards[0], chen_ming())
    assert extra(driver, "unexpected_answers") == 0


def test_garbage_before_a_preamble_is_skipped(qtbot: QtBot, sim: SimulatedCardReader, start: Start) -> None:
    driver, rec = start(sim.port)
    sim.script("find", b"\x00\x13\xaa\x96noise" + CARD_FOUND)
    sim.lay(LIN)
    qtbot.waitUntil(lambda: len(rec.cards) == 1, timeout=WAIT_MS)
    assert extra(driver, "skipped_bytes") == 9
    assert driver.diagnostics.crc_errors == 0


def test_a_bad_chk_is_dropped_and_counted(qtbot: QtBot, sim: SimulatedCardReader, start: Start) -> None:
    driver, rec = start(sim.port, answer_timeout_s=0.3)
    sim.script("find", CARD_FOUND[:-1] + bytes([CARD_FOUND[-1] ^ 0xFF]))
    sim.lay(LIN)
    # The broken answer is dropped; the find times out and the next one finds the card.
    qtbot.waitUntil(lambda: len(rec.cards) == 1, timeout=WAIT_MS)
    assert driver.diagnostics.crc_errors == 1
    assert extra(driver, "timeouts") == 1
    assert driver.state == ReaderState.CONNECTED


def test_no_card_is_no_event(qtbot: QtBot, sim: SimulatedCardReader, start: Start) -> None:
    driver, rec = start(sim.port)
    assert sim.wait_for("find", count=3)
    qtbot.waitUntil(lambda: driver.diagnostics.frames_decoded >= 3, timeout=WAIT_MS)
    assert (rec.cards, rec.refusals) == ([], [])
    assert "select" not in sim.commands


@pytest.mark.parametrize(
    ("step", "status", "refusal"),
    [
        ("select", sam_codec.SELECT_FAILED, "unreadable"),
        ("read", sam_codec.READ_FAILED, "unreadable"),
        ("read", sam_codec.UNKNOWN_CARD_TYPE, "unknown_card_type"),
        ("read", 0x32, "not_authentic"),
        ("read", sam_codec.UNKNOWN_ERROR, "reader_error"),
    ],
)
def test_a_failed_select_or_read_refuses_the_card_and_the_next_find_retries(
    qtbot: QtBot, sim: SimulatedCardReader, start: Start, step: str, status: int, refusal: str
) -> None:
    _, rec = start(sim.port)
    sim.script(step, encode_answer(status))
    sim.lay(LIN)
    qtbot.waitUntil(lambda: rec.refusals == [refusal], timeout=WAIT_MS)
    # The card still lies there, not yet read: the next find finds it and the read succeeds.
    qtbot.waitUntil(lambda: len(rec.cards) == 1, timeout=WAIT_MS)


def test_fail_makes_the_next_read_answer_41(qtbot: QtBot, sim: SimulatedCardReader, start: Start) -> None:
    driver, rec = start(sim.port)
    sim.fail_next_read()
    sim.lay(LIN)
    qtbot.waitUntil(lambda: len(rec.cards) == 1, timeout=WAIT_MS)
    assert rec.refusals == ["unreadable"]
    assert extra(driver, "cards_refused") == 1


def test_lift_and_lay_again_and_the_same_card_within_5_s(
    qtbot: QtBot, sim: SimulatedCardReader, start: Start, monotonic: ShiftedClock
) -> None:
    driver, rec = start(sim.port)
    sim.lay(LIN)
    qtbot.waitUntil(lambda: len(rec.cards) == 1, timeout=WAIT_MS)
    # A card just read answers 80 until lifted: it is never read twice while it lies there.
    finds = sim.commands.count("find")
    assert sim.wait_for("find", count=finds + 2)
    assert sim.commands.count("read") == 1

    sim.lift()
    sim.lay(LIN)
    qtbot.waitUntil(lambda: extra(driver, "same_card_ignored") == 1, timeout=WAIT_MS)
    assert len(rec.cards) == 1

    sim.lift()
    sim.lay(WU)  # another card is read at once
    qtbot.waitUntil(lambda: len(rec.cards) == 2, timeout=WAIT_MS)
    assert same_card(rec.cards[1], WU)

    monotonic.shift += 5.0
    sim.lift()
    sim.lay(WU)  # the same card 5 s later is a new read
    qtbot.waitUntil(lambda: len(rec.cards) == 3, timeout=WAIT_MS)
    assert extra(driver, "same_card_ignored") == 1
    # Each laying was announced while it was read; the repeat ends as "repeat", so no screen waits on it.
    assert rec.readings == 4
    assert rec.refusals == ["repeat"]


def test_an_expired_card_is_refused(qtbot: QtBot, sim: SimulatedCardReader, start: Start) -> None:
    _, rec = start(sim.port)
    sim.lay(made_up_card(LIN.cert_no, LIN.name, valid_to="20260508"))  # the day before the test clock's
    qtbot.waitUntil(lambda: rec.refusals == ["expired"], timeout=WAIT_MS)
    assert rec.cards == []


def test_a_bad_check_digit_is_refused(qtbot: QtBot, sim: SimulatedCardReader, start: Start) -> None:
    _, rec = start(sim.port)
    wrong = LIN.cert_no[:17] + ("0" if LIN.cert_no[17] != "0" else "1")
    sim.lay(made_up_card(wrong, LIN.name))
    qtbot.waitUntil(lambda: rec.refusals == ["bad_check_digit"], timeout=WAIT_MS)


def test_a_residence_permit_is_an_unknown_card_type(
    qtbot: QtBot, sim: SimulatedCardReader, start: Start
) -> None:
    _, rec = start(sim.port)
    answer = bytearray(READ_ANSWER)
    marker = 14 + sam_codec.CARD_TYPE_OFFSET
    answer[marker : marker + 2] = "J".encode("utf-16-le")
    answer[-1] = sam_codec.checksum(answer[5:-1])
    sim.script("read", bytes(answer))
    sim.lay(LIN)
    qtbot.waitUntil(lambda: rec.refusals == ["unknown_card_type"], timeout=WAIT_MS)


def test_a_sam_fault_is_a_state_and_clears(qtbot: QtBot, sim: SimulatedCardReader, start: Start) -> None:
    driver, rec = start(sim.port)
    qtbot.waitUntil(lambda: driver.state == ReaderState.CONNECTED, timeout=WAIT_MS)
    sim.script("find", encode_answer(sam_codec.SAM_SELF_TEST_FAILED))
    qtbot.waitUntil(lambda: ReaderState.FAULT in rec.states, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: driver.state == ReaderState.CONNECTED, timeout=WAIT_MS)
    assert rec.states == ["connected", "fault", "connected"]
    assert extra(driver, "reader_errors") == 1


def test_unplug_and_replug(qtbot: QtBot, tmp_path: Path, start: Start) -> None:
    with SimulatedCardReader(link=tmp_path / "idcard") as sim:
        driver, rec = start(sim.port)
        qtbot.waitUntil(lambda: driver.state == ReaderState.CONNECTED, timeout=WAIT_MS)
        sim.lay(LIN)
        qtbot.waitUntil(lambda: len(rec.cards) == 1, timeout=WAIT_MS)
        sim.unplug()
        qtbot.waitUntil(lambda: driver.state == ReaderState.DISCONNECTED, timeout=WAIT_MS)
        sim.lift()
        sim.replug()
        qtbot.waitUntil(lambda: driver.state == ReaderState.CONNECTED, timeout=WAIT_MS)
        sim.lay(WU)
        qtbot.waitUntil(lambda: len(rec.cards) == 2, timeout=WAIT_MS)
        assert driver.diagnostics.reconnects == 1
        assert rec.states == ["connected", "disconnected", "connected"]


def test_a_silent_reader_is_unresponsive_until_it_answers(
    qtbot: QtBot, device_end: DeviceEnd, start: Start
) -> None:
    find = sam_codec.encode_command(*sam_codec.FIND)
    driver, rec = start(device_end.port, answer_timeout_s=0.1)
    assert device_end.wait_for(find, count=3)
    qtbot.waitUntil(lambda: driver.state == ReaderState.UNRESPONSIVE, timeout=WAIT_MS)
    assert extra(driver, "timeouts") >= 3
    sent = device_end.received.count(find)
    assert device_end.wait_for(find, count=sent + 1)
    device_end.write(encode_answer(sam_codec.NO_CARD))
    qtbot.waitUntil(lambda: driver.state == ReaderState.CONNECTED, timeout=WAIT_MS)
    assert rec.states[:3] == ["connected", "unresponsive", "connected"]


def test_nothing_of_a_card_reaches_the_log(
    qtbot: QtBot, sim: SimulatedCardReader, start: Start, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    driver, rec = start(sim.port)
    sim.lay(LIN)
    qtbot.waitUntil(lambda: len(rec.cards) == 1, timeout=WAIT_MS)
    sim.lift()
    sim.lay(LIN)
    qtbot.waitUntil(lambda: extra(driver, "same_card_ignored") == 1, timeout=WAIT_MS)
    sim.lift()
    sim.lay(made_up_card(WU.cert_no, WU.name, valid_to="20200101"))
    qtbot.waitUntil(lambda: rec.refusals == ["repeat", "expired"], timeout=WAIT_MS)
    logged = caplog.text + repr(driver.diagnostics)
    assert "a card was read" in logged
    for secret in (LIN.cert_no, LIN.name, LIN.address, LIN.cert_no[-6:], WU.cert_no, WU.name, LIN.birth):
        assert secret not in logged


def test_the_spec_vectors_on_the_wire(qtbot: QtBot, device_end: DeviceEnd, start: Start) -> None:
    """The test plays the reader with the spec's own bytes and reads exactly what the terminal wrote."""
    find, select, read, card_found, no_card, selected, read_failed = (bytes.fromhex(h) for _, h in VECTORS)
    driver, rec = start(device_end.port)

    assert device_end.wait_for(find)
    device_end.write(no_card)
    assert device_end.wait_for(find, count=2)
    assert device_end.received == find * 2  # nothing else, and no select after 80
    device_end.write(card_found)
    assert device_end.wait_for(find * 2 + select)
    device_end.write(selected)
    assert device_end.wait_for(find * 2 + select + read)
    device_end.write(READ_ANSWER[:700])
    device_end.write(READ_ANSWER[700:])
    qtbot.waitUntil(lambda: len(rec.cards) == 1, timeout=WAIT_MS)
    assert same_card(rec.cards[0], chen_ming())
    assert device_end.received.startswith(find * 2 + select + read)
    assert driver.diagnostics.frames_decoded == 4

    # The next card's read fails: 41, refused as unreadable.
    sent = device_end.received
    assert device_end.wait_for(sent + find)
    device_end.write(card_found)
    assert device_end.wait_for(sent + find + select)
    device_end.write(selected)
    assert device_end.wait_for(sent + find + select + read)
    device_end.write(read_failed)
    qtbot.waitUntil(lambda: rec.refusals == ["unreadable"], timeout=WAIT_MS)
