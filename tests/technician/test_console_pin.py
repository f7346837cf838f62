"""The console behind its PIN: the hidden gesture opens it, the first-run screen sets the PIN, five wrong tries
lock it for five minutes (an injected clock), every visit goes to the log, and a citizen's session closes it."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot

from kiosk.config import load
from kiosk.domain.screen import Screen
from kiosk.technician.pin import verify_pin
from tests.helpers.fixtures import MakePad
from tests.helpers.people import session_body
from tests.helpers.scan import scan_for_personal_data
from tests.technician.conftest import PIN, FakeMonotonic, attach_console, open_console, unlock

CONSOLE_LOG = "kiosk.technician"


def console_messages(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name.startswith(CONSOLE_LOG)]


def test_the_corner_gesture_opens_the_first_run_screen_which_sets_the_pin(
    qtbot: QtBot,
    make_pad: MakePad,
    monotonic: FakeMonotonic,
    caplog: pytest.LogCaptureFixture,
    tmp_path: Path,
) -> None:
    caplog.set_level(logging.INFO)
    app = make_pad()
    console = attach_console(app, monotonic)
    app.window.corner._timer.setInterval(200)
    qtbot.mousePress(app.window, Qt.MouseButton.LeftButton, pos=QPoint(20, 20))
    qtbot.waitUntil(console.isVisible)
    qtbot.mouseRelease(app.window, Qt.MouseButton.LeftButton, pos=QPoint(20, 20))
    assert console.geometry() == app.window.rect()
    assert console.pin.title.text() == "首次使用：设置技术人员 PIN"
    console.pin.type_pin(PIN)
    assert console.pin.prompt.text() == "请再次输入同一 PIN"
    console.pin.type_pin("12345678")  # a different one: start again
    assert "不一致" in console.pin.message.text()
    assert not console.unlocked
    console.pin.type_pin(PIN)
    console.pin.type_pin(PIN)
    qtbot.waitUntil(lambda: console.unlocked)
    stored = load(app.config_path).console.pin_hash
    assert verify_pin(PIN, stored) and app.config.console.pin_hash == stored
    assert scan_for_personal_data(app.data_dir, [PIN]) == []
    messages = console_messages(caplog)
    assert messages[0] == "console: opened by the hidden gesture"
    assert all(r.created > 0 for r in caplog.records)  # when: every record has its time
    assert "console: technician PIN set on the first-run screen" in messages
    assert "console: set console.pin_hash = (hidden) (applied now)" in messages
    assert not any(PIN in m for m in messages)
    console.close_button.click()
    assert not console.isVisible()
    assert console_messages(caplog)[-1] == "console: closed (closed by the technician)"
    # The next visit asks for the PIN.
    open_console(qtbot, app)
    assert console.pin.title.text() == "技术人员控制台" and not console.unlocked


def test_five_wrong_pins_lock_the_console_for_five_minutes(
    qtbot: QtBot, make_pad: MakePad, monotonic: FakeMonotonic, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    app = make_pad()
    console = unlock(qtbot, app, monotonic)
    console.close_console("test")
    open_console(qtbot, app)
    for left in (4, 3, 2, 1):
        console.pin.type_pin("1111")
        assert console.pin.message.text() == f"PIN 错误，还可尝试 {left} 次"
    console.pin.type_pin("1111")
    assert not console.pin.keypad.isEnabled()
    assert "已锁定" in console.pin.message.text() and "5 分 0 秒" in console.pin.message.text()
    # Closing and opening again does not end the lock; neither does the right PIN.
    console.close_console("test")
    open_console(qtbot, app)
    assert not console.pin.keypad.isEnabled()
    console.pin.type_pin(PIN)  # a keypad that is off takes no digits
    console.on_pin_entered(PIN)  # nor is a PIN checked while locked (a USB keypad, say)
    assert not console.unlocked
    monotonic.advance(299)
    qtbot.waitUntil(lambda: "0 分 1 秒" in console.pin.message.text(), timeout=5000)
    assert not console.pin.keypad.isEnabled()
    monotonic.advance(1)
    qtbot.waitUntil(console.pin.keypad.isEnabled, timeout=5000)
    assert console.pin.message.text() == "已解锁，请输入 PIN"
    console.pin.type_pin(PIN)
    qtbot.waitUntil(lambda: console.unlocked)
    messages = console_messages(caplog)
    assert messages.count("console: wrong PIN (4 tries left before the lock)") == 1
    assert "console: locked for 300 s after 5 wrong PINs" in messages
    assert "console: a PIN was typed while locked; not checked" in messages
    assert "console: the PIN lock ended" in messages
    assert messages[-2:] == ["console: PIN accepted", "console: enrolment page"]
    assert not any("1111" in m or PIN in m for m in messages)


def test_a_citizen_session_closes_the_console(
    qtbot: QtBot, make_pad: MakePad, monotonic: FakeMonotonic
) -> None:
    app = make_pad()
    console = unlock(qtbot, app, monotonic)
    answer = app.client.post("/api/v1/sessions", json=session_body())  # type: ignore[attr-defined]
    assert answer.status_code == 201
    qtbot.waitUntil(lambda: not console.isVisible())
    assert app.window.current_screen is Screen.PROMPT
    assert not console.unlocked


def test_the_console_changes_pin_from_its_system_page(
    qtbot: QtBot, make_pad: MakePad, monotonic: FakeMonotonic
) -> None:
    app = make_pad()
    console = unlock(qtbot, app, monotonic)
    console.open_page("system")
    console.page_named("system").change_pin.click()  # type: ignore[attr-defined]
    assert console.pin.title.text() == "修改技术人员 PIN"
    console.pin.type_pin("2468")
    console.pin.type_pin("2468")
    qtbot.waitUntil(lambda: console.stack.currentWidget() is console.main)
    assert console.notice.text() == "PIN 已修改"
    assert verify_pin("2468", load(app.config_path).console.pin_hash)


def test_an_idle_console_closes_by_itself(
    qtbot: QtBot, make_pad: MakePad, monotonic: FakeMonotonic, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    app = make_pad()
    console = unlock(qtbot, app, monotonic)
    console._idle.setInterval(300)  # five minutes on a pad
    console._idle.start()
    qtbot.waitUntil(lambda: not console.isVisible(), timeout=5000)
    assert console_messages(caplog)[-1] == "console: closed (idle for 5 minutes)"
