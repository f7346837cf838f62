"""The keyboard wedge: a scan told from typing by its gaps, and the event filter on the application."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtGui import QKeyEvent, QWindow
from PySide6.QtWidgets import QLineEdit, QPushButton, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from kiosk.devices.keyboard_scanner import KeyboardScanner, text_field_has_focus
from kiosk.devices.scanner import ScannerState
from kiosk.devices.wedge import ENTER, ScanBurstDetector

PROJECT_NO = "35010220261127000123"
codes = st.text(alphabet="ABCXYZ0123456789_-", min_size=6, max_size=50)


def feed(detector: ScanBurstDetector, text: str, start_ms: float, gap_ms: float) -> str | None:
    """Types text and Enter at a steady gap; what the Enter returns."""
    at = start_ms
    for char in text:
        assert detector.feed(char, at) is None
        at += gap_ms
    return detector.feed(ENTER, at)


def test_a_scan_at_5_ms_gaps() -> None:
    assert feed(ScanBurstDetector(), PROJECT_NO, 1000.0, 5.0) == PROJECT_NO


def test_typing_at_150_ms_gaps() -> None:
    detector = ScanBurstDetector()
    assert feed(detector, PROJECT_NO, 1000.0, 150.0) is None
    assert (detector.scans, detector.typed) == (0, 1)


def test_a_burst_shorter_than_6_is_typing() -> None:
    assert feed(ScanBurstDetector(), "A1234", 0.0, 5.0) is None
    assert feed(ScanBurstDetector(), "A12345", 0.0, 5.0) == "A12345"


def test_a_slow_enter_after_a_fast_burst_is_typing() -> None:
    detector = ScanBurstDetector()
    for at, char in enumerate("A12345"):
        detector.feed(char, at * 5.0)
    assert detector.feed(ENTER, 25.0 + 200.0) is None


def test_typing_then_a_scan_keeps_only_the_scan() -> None:
    detector = ScanBurstDetector()
    detector.feed("x", 0.0)
    detector.feed("y", 180.0)
    assert feed(detector, "A12345", 400.0, 4.0) == "A12345"


def test_the_gap_limit_is_inclusive_and_configurable() -> None:
    assert feed(ScanBurstDetector(30), "A12345", 0.0, 30.0) == "A12345"
    assert feed(ScanBurstDetector(30), "A12345", 0.0, 31.0) is None
    assert feed(ScanBurstDetector(80), "A12345", 0.0, 60.0) == "A12345"


@given(codes, st.floats(0.0, 30.0), st.floats(0.0, 1e9))
def test_any_fast_burst_is_a_scan(code: str, gap: float, start: float) -> None:
    assert feed(ScanBurstDetector(), code, start, gap) == code


@given(codes, st.floats(30.5, 2000.0))
def test_any_slower_burst_is_typing(code: str, gap: float) -> None:
    assert feed(ScanBurstDetector(), code, 0.0, gap) is None


@given(st.lists(st.tuples(st.sampled_from(["A", "1", "-", ENTER]), st.floats(0.0, 100.0)), max_size=60))
def test_a_scan_is_always_a_fast_tail_of_what_was_typed(keys: list[tuple[str, float]]) -> None:
    detector = ScanBurstDetector()
    at = 0.0
    for key, gap in keys:
        at += gap
        result = detector.feed(key, at)
        assert result is None or (len(result) >= 6 and ENTER not in result)


# The Qt adapter, fed synthetic key events with the timestamps a window system gives them.


class Screen(QWidget):
    """A window with a button and a text field, like a terminal's screen."""

    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        self.button = QPushButton("开始")
        self.button.setAutoDefault(True)  # Enter presses it, as on a dialog
        self.field = QLineEdit()
        layout.addWidget(self.button)
        layout.addWidget(self.field)
        self.clicks = 0
        self.button.clicked.connect(self._clicked)

    def _clicked(self) -> None:
        self.clicks += 1


@pytest.fixture
def screen(qtbot: QtBot) -> Screen:
    widget = Screen()
    qtbot.addWidget(widget)
    widget.show()
    widget.activateWindow()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def scanner() -> Iterator[KeyboardScanner]:
    made = KeyboardScanner()
    made.start()
    yield made
    made.stop()


def type_keys(window: QWindow, text: str, start_ms: int, gap_ms: int) -> None:
    """Presses and releases each key, then Enter, at a steady gap, as the window system delivers them."""
    at = start_ms
    for char in [*text, "\r"]:
        key = Qt.Key.Key_Return if char == "\r" else Qt.Key(ord(char.upper()))
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, char)
            event.setTimestamp(at)
            QCoreApplication.sendEvent(window, event)
        at += gap_ms


def window_of(screen: Screen) -> QWindow:
    window = screen.windowHandle()
    assert window is not None
    return window


def test_a_scan_at_5_ms_gaps_on_a_screen_without_a_text_field_focused(
    qtbot: QtBot, screen: Screen, scanner: KeyboardScanner
) -> None:
    screen.button.setFocus()
    qtbot.waitUntil(screen.button.hasFocus)
    assert not text_field_has_focus()
    cases: list[str] = []
    scanner.case_scanned.connect(cases.append)
    type_keys(window_of(screen), PROJECT_NO, 10_000, 5)
    assert cases == [PROJECT_NO]
    assert screen.clicks == 0  # the scan's Enter was taken: it pressed no button
    assert scanner.diagnostics.frames_decoded == 1


def test_typing_at_150_ms_gaps_is_not_a_scan(qtbot: QtBot, screen: Screen, scanner: KeyboardScanner) -> None:
    screen.button.setFocus()
    qtbot.waitUntil(screen.button.hasFocus)
    cases: list[str] = []
    scanner.case_scanned.connect(cases.append)
    type_keys(window_of(screen), PROJECT_NO, 10_000, 150)
    assert cases == []
    assert scanner.detector.typed == 1
    assert screen.clicks == 1  # typing's Enter is left to the screen


def test_a_scan_that_is_no_case_number_is_refused(
    qtbot: QtBot, screen: Screen, scanner: KeyboardScanner
) -> None:
    screen.button.setFocus()
    qtbot.waitUntil(screen.button.hasFocus)
    refusals: list[str] = []
    scanner.code_refused.connect(refusals.append)
    type_keys(window_of(screen), "WIFI:S:HALL;;", 10_000, 3)
    assert refusals == ["not_a_case_number"]
    assert scanner.diagnostics.extra["refused_codes"] == 1


def test_with_a_text_field_focused_the_scan_is_typed_into_it(
    qtbot: QtBot, screen: Screen, scanner: KeyboardScanner
) -> None:
    screen.field.setFocus()
    qtbot.waitUntil(screen.field.hasFocus)
    assert text_field_has_focus()
    cases: list[str] = []
    scanner.case_scanned.connect(cases.append)
    returned: list[bool] = []
    screen.field.returnPressed.connect(lambda: returned.append(True))
    type_keys(window_of(screen), "A12345", 10_000, 5)
    assert cases == []
    assert screen.field.text() == "A12345"
    assert returned == [True]


def test_stop_removes_the_filter(qtbot: QtBot, screen: Screen) -> None:
    scanner = KeyboardScanner()
    states: list[str] = []
    scanner.state_changed.connect(states.append)
    scanner.start()
    scanner.stop()
    screen.button.setFocus()
    qtbot.waitUntil(screen.button.hasFocus)
    cases: list[str] = []
    scanner.case_scanned.connect(cases.append)
    type_keys(window_of(screen), PROJECT_NO, 10_000, 5)
    assert cases == []
    assert screen.clicks == 1  # with nobody taking it, the Enter presses the focused button
    assert states == [ScannerState.CONNECTED, ScannerState.DISCONNECTED]
