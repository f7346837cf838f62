"""Kiosk lockdown: closing and the escape keys do nothing while locked; only a release lets the window go."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kiosk.ui.lockdown import Lockdown
from tests.helpers.fixtures import MakePad


def test_escapes_are_ignored_while_locked(qtbot: QtBot, make_pad: MakePad) -> None:
    app = make_pad()
    window = app.window
    lockdown: Lockdown = app.lockdown
    lockdown.lock()
    qtbot.waitUntil(window.isVisible)
    assert window.windowFlags() & Qt.WindowType.FramelessWindowHint
    assert window.isFullScreen()
    typed: list[str] = []
    window.language_button.pressed.connect(lambda: typed.append("button"))
    for key, modifier in (
        (Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier),
        (Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier),
        (Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier),
        (Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier),
        (Qt.Key.Key_Tab, Qt.KeyboardModifier.AltModifier),
        (Qt.Key.Key_F11, Qt.KeyboardModifier.NoModifier),
        (Qt.Key.Key_Super_L, Qt.KeyboardModifier.NoModifier),
    ):
        qtbot.keyClick(window, key, modifier)
    assert lockdown.refused >= 7
    assert not window.close()  # the window manager's close (Alt+F4 on a desktop) is refused
    assert window.isVisible()
    window.showNormal()  # a window manager's attempt to leave full screen
    qtbot.waitUntil(window.isFullScreen)
    assert window.isVisible()


def test_a_release_lets_the_window_close(qtbot: QtBot, make_pad: MakePad) -> None:
    app = make_pad()
    app.lockdown.lock()
    qtbot.waitUntil(app.window.isVisible)
    app.lockdown.release()
    assert app.window.close()
    assert not app.window.isVisible()


def test_ordinary_keys_still_reach_the_screens(qtbot: QtBot, make_pad: MakePad) -> None:
    app = make_pad()
    app.lockdown.lock()
    before = app.lockdown.refused
    qtbot.keyClick(app.window, Qt.Key.Key_A)
    qtbot.keyClick(app.window, Qt.Key.Key_F1)
    assert app.lockdown.refused == before
