"""create_evaluator picks the family; a map with fewer than five levels is flagged."""

from __future__ import annotations

import logging

import pytest
from pytestqt.qtbot import QtBot

from kiosk.devices import create_evaluator
from kiosk.devices.ascii_driver import AsciiEvaluator
from kiosk.devices.base import EvaluatorState, NoEvaluator
from kiosk.devices.frame_driver import FrameEvaluator
from kiosk.devices.keyboard_driver import KeyboardEvaluator
from kiosk.domain.clock import ManualClock

BUTTONS = {1: 5, 2: 4, 3: 3, 4: 2, 5: 1}
KEYS = ["F1", "F2", "F3", "F4", "F5"]


@pytest.mark.parametrize(
    ("protocol", "kind"),
    [
        ("frame", FrameEvaluator),
        ("ascii", AsciiEvaluator),
        ("keyboard", KeyboardEvaluator),
        ("none", NoEvaluator),
    ],
)
def test_each_protocol(protocol: str, kind: type, clock: ManualClock) -> None:
    evaluator = create_evaluator(protocol, "loop://", 9600, 3, BUTTONS, KEYS, clock)
    assert type(evaluator) is kind
    assert evaluator.protocol == protocol
    assert evaluator.compliant


def test_none_is_state_none(clock: ManualClock) -> None:
    evaluator = create_evaluator("none", "", 9600, 1, BUTTONS, KEYS, clock)
    assert evaluator.state == EvaluatorState.NONE
    assert not evaluator.can_speak


def test_frame_gets_its_address(clock: ManualClock) -> None:
    evaluator = create_evaluator("frame", "loop://", 19200, 3, BUTTONS, KEYS, clock)
    assert isinstance(evaluator, FrameEvaluator)
    assert evaluator.address == 3


def test_unknown_protocol(clock: ManualClock) -> None:
    with pytest.raises(ValueError, match=r"evaluator\.protocol"):
        create_evaluator("usb", "", 9600, 1, BUTTONS, KEYS, clock)


def test_bad_key_name(clock: ManualClock) -> None:
    with pytest.raises(ValueError, match="Ctrl"):
        create_evaluator("keyboard", "", 9600, 1, BUTTONS, ["Ctrl+F1"], clock)


def test_fewer_than_five_levels_warns_at_start(
    qtbot: QtBot, clock: ManualClock, caplog: pytest.LogCaptureFixture
) -> None:
    evaluator = create_evaluator("keyboard", "", 9600, 1, {1: 5, 2: 3, 3: 1}, KEYS, clock)
    assert not evaluator.compliant
    with caplog.at_level(logging.WARNING):
        evaluator.start()
    evaluator.stop()
    assert "not compliant with Art. 5" in caplog.text


# The ID card reader and the barcode scanner of self-service terminals.


@pytest.mark.parametrize(("protocol", "kind"), [("sam", "SamCardReader"), ("none", "NoCardReader")])
def test_each_card_reader(protocol: str, kind: str, clock: ManualClock) -> None:
    from kiosk.devices import create_card_reader
    from kiosk.devices.card_reader import ReaderState

    reader = create_card_reader(protocol, "loop://", 115200, clock)
    assert type(reader).__name__ == kind
    assert reader.protocol == protocol
    assert reader.state == ReaderState.NONE


@pytest.mark.parametrize(
    ("protocol", "kind"),
    [("serial", "SerialScanner"), ("keyboard", "KeyboardScanner"), ("none", "NoScanner")],
)
def test_each_scanner(protocol: str, kind: str) -> None:
    from kiosk.devices import create_scanner

    scanner = create_scanner(protocol, "loop://", 9600, 40)
    assert type(scanner).__name__ == kind
    assert scanner.protocol == protocol


def test_the_keyboard_scanner_gets_its_gap() -> None:
    from kiosk.devices import create_scanner
    from kiosk.devices.keyboard_scanner import KeyboardScanner

    scanner = create_scanner("keyboard", "", 9600, 45)
    assert isinstance(scanner, KeyboardScanner)
    assert scanner.detector.max_key_gap_ms == 45


def test_unknown_reader_and_scanner_protocols(clock: ManualClock) -> None:
    from kiosk.devices import create_card_reader, create_scanner

    with pytest.raises(ValueError, match=r"idcard\.protocol"):
        create_card_reader("nfc", "", 115200, clock)
    with pytest.raises(ValueError, match=r"scanner\.protocol"):
        create_scanner("hid", "", 9600, 30)


def test_a_sam_reader_on_a_loop_url_reads_nothing_and_stops(qtbot: QtBot, clock: ManualClock) -> None:
    # loop:// echoes the host's own find: a frame too short to be an answer, counted, never a card.
    from kiosk.devices import create_card_reader
    from kiosk.devices.card_reader import ReaderState

    reader = create_card_reader("sam", "loop://", 115200, clock)
    cards: list[object] = []
    reader.card_read.connect(cards.append)
    reader.start()
    try:
        qtbot.waitUntil(lambda: reader.state == ReaderState.CONNECTED, timeout=5000)
        qtbot.waitUntil(lambda: reader.diagnostics.extra.get("short_frames", 0) >= 1, timeout=5000)
    finally:
        reader.stop()
    assert cards == []
