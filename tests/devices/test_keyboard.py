"""KeyboardEvaluator: configured keys become presses and never reach a text field."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from kiosk.devices.base import EvaluatorState
from kiosk.devices.keyboard_driver import KeyBinding, KeyboardEvaluator, parse_key
from kiosk.domain.clock import ManualClock
from tests.devices.conftest import T0, Recorder

KP = Qt.KeyboardModifier.KeypadModifier


@pytest.mark.parametrize(
    ("name", "binding"),
    [
        ("F1", KeyBinding(int(Qt.Key.Key_F1.value))),
        ("f5", KeyBinding(int(Qt.Key.Key_F5.value))),
        ("A", KeyBinding(int(Qt.Key.Key_A.value))),
        ("1", KeyBinding(int(Qt.Key.Key_1.value))),
        ("Key_Return", KeyBinding(int(Qt.Key.Key_Return.value))),
        ("space", KeyBinding(int(Qt.Key.Key_Space.value))),
        ("KP_1", KeyBinding(int(Qt.Key.Key_1.value), keypad=True)),
        ("kp_enter", KeyBinding(int(Qt.Key.Key_Enter.value), keypad=True)),
        ("Num+5", KeyBinding(int(Qt.Key.Key_5.value), keypad=True)),
        ("PgUp", KeyBinding(int(Qt.Key.Key_PageUp.value))),
        ("Esc", KeyBinding(int(Qt.Key.Key_Escape.value))),
    ],
)
def test_key_names(name: str, binding: KeyBinding) -> None:
    assert parse_key(name) == binding


@pytest.mark.parametrize("name", ["Ctrl+A", "F1, F2", "", "Nope", "KP_Nope", "unknown"])
def test_bad_key_names(name: str) -> None:
    with pytest.raises(ValueError, match=r"evaluator\.keys"):
        parse_key(name)


@pytest.fixture
def field(qtbot: QtBot) -> QLineEdit:
    edit = QLineEdit()
    qtbot.addWidget(edit)
    edit.show()
    edit.setFocus()
    return edit


@pytest.fixture
def keyboard(clock: ManualClock) -> Iterator[Callable[..., tuple[KeyboardEvaluator, Recorder]]]:
    made: list[KeyboardEvaluator] = []

    def make(keys: list[str] | None = None) -> tuple[KeyboardEvaluator, Recorder]:
        driver = KeyboardEvaluator(keys, clock=clock)
        recorder = Recorder(driver)
        driver.start()
        made.append(driver)
        return driver, recorder

    yield make
    for driver in made:
        driver.stop()


def test_mapped_keys_are_presses_and_never_reach_the_field(
    qtbot: QtBot, field: QLineEdit, keyboard: Callable[..., tuple[KeyboardEvaluator, Recorder]]
) -> None:
    driver, rec = keyboard()
    assert driver.state == EvaluatorState.CONNECTED
    driver.arm(0)
    for key in (Qt.Key.Key_F1, Qt.Key.Key_F2, Qt.Key.Key_F3, Qt.Key.Key_F4, Qt.Key.Key_F5):
        qtbot.keyClick(field, key)
    assert field.text() == ""
    assert [(p.button, p.level, p.armed, p.address, p.at) for p in rec.presses] == [
        (b, 6 - b, True, 0, T0) for b in (1, 2, 3, 4, 5)
    ]
    qtbot.keyClicks(field, "ab1")  # other keys still type
    assert field.text() == "ab1"


def test_disarmed_presses_are_heard_not_armed(
    qtbot: QtBot, field: QLineEdit, keyboard: Callable[..., tuple[KeyboardEvaluator, Recorder]]
) -> None:
    driver, rec = keyboard()
    qtbot.keyClick(field, Qt.Key.Key_F3)
    assert [(p.button, p.armed) for p in rec.presses] == [(3, False)]
    assert driver.diagnostics.presses_while_disarmed == 1


def test_autorepeat_and_release_are_consumed_without_a_press(
    qtbot: QtBot, field: QLineEdit, keyboard: Callable[..., tuple[KeyboardEvaluator, Recorder]]
) -> None:
    _, rec = keyboard(["A", "B"])
    app = QApplication.instance()
    assert app is not None
    for event in (
        QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_A, Qt.KeyboardModifier.NoModifier, "a"),
        QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_A, Qt.KeyboardModifier.NoModifier, "a", True),
        QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_A, Qt.KeyboardModifier.NoModifier, "a", True),
        QKeyEvent(QEvent.Type.KeyRelease, Qt.Key.Key_A, Qt.KeyboardModifier.NoModifier, "a"),
    ):
        app.sendEvent(field, event)
    assert field.text() == ""
    assert [p.button for p in rec.presses] == [1]
    qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)  # a chord is not the key
    assert [p.button for p in rec.presses] == [1]


def test_keypad_names_match_only_the_keypad(
    qtbot: QtBot, field: QLineEdit, keyboard: Callable[..., tuple[KeyboardEvaluator, Recorder]]
) -> None:
    _, rec = keyboard(["KP_1", "KP_2", "KP_3", "KP_4", "KP_5"])
    qtbot.keyClick(field, Qt.Key.Key_1)  # the main row's 1 types
    qtbot.keyClick(field, Qt.Key.Key_2, KP)
    assert field.text() == "1"
    assert [p.button for p in rec.presses] == [2]


def test_unmapped_level_for_a_short_button_map(qtbot: QtBot, field: QLineEdit, clock: ManualClock) -> None:
    driver = KeyboardEvaluator(["F1", "F2", "F3"], {1: 5, 2: 1}, clock=clock)
    rec = Recorder(driver)
    driver.start()
    try:
        assert not driver.compliant
        qtbot.keyClick(field, Qt.Key.Key_F3)
        assert [(p.button, p.level) for p in rec.presses] == [(3, None)]
        assert driver.diagnostics.unmapped_buttons == 1
    finally:
        driver.stop()
    qtbot.keyClick(field, Qt.Key.Key_F3)  # stopped: the key is an ordinary key again
    assert len(rec.presses) == 1
    assert rec.states == ["connected", "disconnected"]
