"""The citizen's screens driven as a person would, in an in-process pad with its real bridge: touch
rating, a hardware press then reasons, reasons required for 1-2, the picker's timeout, the prompt's
timeout to the QR screen, replace, sign-out to 暂停服务, the terminal role, the language switch, the
voice, and the technician's hidden gesture."""

from __future__ import annotations

import base64

from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot

from kiosk.app import PadApplication
from kiosk.domain.clock import ManualClock
from kiosk.domain.prompts import Prompt
from kiosk.domain.screen import Screen
from kiosk.domain.timefmt import parse_time
from tests.helpers.fakes import RecordingEvaluator
from tests.helpers.fixtures import MakePad
from tests.helpers.people import CHEN_MING_ID, CHEN_MING_MOBILE, session_body
from tests.helpers.stubs import FakeTimers
from tests.helpers.widgets import CJK, texts

SESSIONS = "/api/v1/sessions"
TEMPLATE = '"https://hcp.example.gov.cn/m/evaluate?d={deviceId}&p={projectNo}&t={token}"'
NOW = parse_time("2026-11-27T09:31:00+08:00")  # just after the example session's finishTime


def screen_is(app: PadApplication, screen: Screen) -> bool:
    return app.window.current_screen is screen


def post(app: PadApplication, project_no: str = "35010220261127000123", **body: object) -> str:
    answer = app.client.post(SESSIONS, json=session_body(project_no, **body))  # type: ignore[attr-defined]
    assert answer.status_code == 201, answer.text
    return str(answer.json()["sessionId"])


def touch(qtbot: QtBot, app: PadApplication, satisfaction: int) -> None:
    button = next(b for b in app.window.prompt.buttons if b.satisfaction == satisfaction)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_touch_rating_to_thanks_and_back_to_idle(qtbot: QtBot, make_pad: MakePad) -> None:
    timers = FakeTimers()
    app = make_pad("device.role=terminal", timer_factory=timers)
    post(app)
    qtbot.waitUntil(lambda: screen_is(app, Screen.PROMPT))
    touch(qtbot, app, 5)
    qtbot.waitUntil(lambda: screen_is(app, Screen.REASONS))
    qtbot.mouseClick(app.window.reasons.reason_buttons[0], Qt.MouseButton.LeftButton)  # optional for 3-5
    qtbot.mouseClick(app.window.reasons.submit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen_is(app, Screen.THANKS))
    record = app.ledger.record(1)
    assert record is not None
    assert record["evalDetail"] == ["510"]
    assert (
        record["pf"] == "5"
    )  # made on a self-service terminal (rules.md, channels); a window pad's touch is 4
    # The thanks screen shows nothing of the level, and goes back to idle by itself after 3 s (R7).
    assert not any("满意" in text for text in texts(app.window.thanks))
    thanks = timers.timeout()
    assert thanks.interval() == 3000
    thanks.fire()
    assert screen_is(app, Screen.IDLE)


def test_a_hardware_press_then_reasons_on_screen(qtbot: QtBot, make_pad: MakePad) -> None:
    evaluator = RecordingEvaluator()
    app = make_pad(evaluator=evaluator)
    post(app)
    qtbot.waitUntil(lambda: screen_is(app, Screen.PROMPT))
    evaluator.press(4, app.clock.now())  # 不满意
    qtbot.waitUntil(lambda: screen_is(app, Screen.REASONS))
    reasons = app.window.reasons
    assert not reasons.submit.isEnabled()  # at least one reason for levels 1-2
    assert [r.code for r in reasons.offered] == [str(c) for c in range(207, 215)]
    qtbot.mouseClick(reasons.reason_buttons[6], Qt.MouseButton.LeftButton)  # 窗口人员业务不熟练
    assert reasons.reason_buttons[6].isChecked()
    assert reasons.submit.isEnabled()
    qtbot.mouseClick(reasons.submit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: app.ledger.last_link()[0] == 1)
    record = app.ledger.record(1)
    assert record is not None
    assert (record["satisfaction"], record["pf"], record["evalDetail"]) == (2, "5", ["213"])


def test_the_picker_times_out(qtbot: QtBot, make_pad: MakePad) -> None:
    timers = FakeTimers()
    app = make_pad("pad.reason_timeout_s=5", clock=ManualClock(NOW), timer_factory=timers)
    post(app)
    qtbot.waitUntil(lambda: screen_is(app, Screen.PROMPT))
    touch(qtbot, app, 1)
    qtbot.waitUntil(lambda: screen_is(app, Screen.REASONS))
    reasons = app.window.reasons
    assert reasons.countdown.text() == reasons.countdown_text(5)  # the clock stands still: 5 s left
    picker = timers.timeout()
    assert picker.interval() == 5000
    picker.fire()
    assert screen_is(app, Screen.THANKS)
    record = app.ledger.record(1)
    assert record is not None
    assert record["evalDetail"] == []


def test_the_prompt_times_out_to_the_qr_screen(qtbot: QtBot, make_pad: MakePad) -> None:
    timers = FakeTimers()
    app = make_pad("pad.rate_timeout_s=5", f"pad.qr_url_template={TEMPLATE}", timer_factory=timers)
    app.pad.set_enrolled(base64.b64decode("c2FuZGJveC1kZXZpY2Utc2VjcmV0LTAwMDAwMDAwMDA="))
    post(app, finishTime="2026-11-27T09:30:40+08:00")
    qtbot.waitUntil(lambda: screen_is(app, Screen.PROMPT))
    assert app.window.prompt.qr.isVisible()  # the current session's QR code, too
    prompt = timers.timeout()
    assert prompt.interval() == 5000
    prompt.fire()
    assert screen_is(app, Screen.QR)
    assert app.window.qr.code.text.endswith("t=1796347840.Po-mTSDtWwGXwT9fdmP9xn")
    assert "2026-12-04" in app.window.qr.validity.text()  # 7 days from the finish time


def test_replace_shows_the_new_session(qtbot: QtBot, make_pad: MakePad) -> None:
    app = make_pad()
    post(app, "P-1", taskName="个体工商户设立登记")
    qtbot.waitUntil(lambda: screen_is(app, Screen.PROMPT))
    post(app, "P-2", taskName="食品经营许可", replace=True)
    qtbot.waitUntil(lambda: "食品经营许可" in app.window.prompt.task.text())


def test_sign_out_shows_paused_after_the_session(qtbot: QtBot, make_pad: MakePad) -> None:
    app = make_pad()
    client = app.client  # type: ignore[attr-defined]
    client.post("/api/v1/staff/sign-in", json={"staffId": "S1024"})
    qtbot.waitUntil(lambda: screen_is(app, Screen.IDLE))
    assert "S1024" in app.window.idle.staff_no.text()
    post(app)
    client.post("/api/v1/staff/sign-out")  # answered once the Pad has signed out, on the Qt thread
    assert screen_is(app, Screen.PROMPT)  # the citizen in front of the pad can still rate
    touch(qtbot, app, 5)
    qtbot.mouseClick(app.window.reasons.submit, Qt.MouseButton.LeftButton)
    app.pad.dismiss_transient_screens()
    qtbot.waitUntil(lambda: screen_is(app, Screen.PAUSED))
    assert app.window.paused.title.text() == "暂停服务"


def test_a_terminal_asks_about_the_self_service_and_never_pauses(qtbot: QtBot, make_pad: MakePad) -> None:
    app = make_pad("device.role=terminal")
    qtbot.waitUntil(lambda: screen_is(app, Screen.IDLE))
    assert not app.window.idle.card.isVisible()
    post(app)
    qtbot.waitUntil(lambda: screen_is(app, Screen.PROMPT))
    assert app.window.prompt.title.text() == "请您对本次自助服务做出评价"


def test_the_language_switch_leaves_no_chinese_but_data(qtbot: QtBot, make_pad: MakePad) -> None:
    app = make_pad()
    post(app, taskName="个体工商户设立登记")
    qtbot.waitUntil(lambda: screen_is(app, Screen.PROMPT))
    qtbot.mouseClick(app.window.language_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: app.window.prompt.title.text() == "Please rate my service")
    shown = [t.replace("个体工商户设立登记", "").replace("陈*", "") for t in texts(app.window)]
    assert not [t for t in shown if CJK.search(t) and t != "中文"], shown
    assert "Very satisfied" in texts(app.window.prompt)
    qtbot.mouseClick(app.window.language_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: app.window.prompt.title.text() == "请您对我的服务做出评价")


def test_no_unmasked_personal_data_in_any_widget(qtbot: QtBot, make_pad: MakePad) -> None:
    app = make_pad()
    body = session_body()
    body["applicant"]["name"] = "欧阳晓明"
    assert app.client.post(SESSIONS, json=body).status_code == 201  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: screen_is(app, Screen.PROMPT))
    shown = texts(app.window)
    assert any("欧**明" in text for text in shown)
    for secret in ("欧阳晓明", CHEN_MING_ID, CHEN_MING_MOBILE, CHEN_MING_ID[-4:] + CHEN_MING_MOBILE[:3]):
        assert not any(secret in text for text in shown)


def heard(app: PadApplication) -> list[Prompt]:
    """What the pad's own voice is asked to say from now on."""
    asked: list[Prompt] = []
    app.voice.asked.connect(lambda prompt: asked.append(Prompt(prompt)))
    return asked


def test_the_pad_speaks_when_the_evaluator_cannot(qtbot: QtBot, make_pad: MakePad) -> None:
    app = make_pad()  # evaluator.protocol = none: the pad speaks (pad.voice = auto)
    client = app.client  # type: ignore[attr-defined]
    spoken = heard(app)
    post(app)
    touch(qtbot, app, 4)
    qtbot.mouseClick(app.window.reasons.submit, Qt.MouseButton.LeftButton)
    client.post("/api/v1/staff/sign-out")
    assert spoken == [Prompt.PLEASE_RATE, Prompt.THANKS, Prompt.PAUSED]


def test_a_device_with_a_voice_speaks_instead(qtbot: QtBot, make_pad: MakePad) -> None:
    evaluator = RecordingEvaluator(voice=True)
    app = make_pad(evaluator=evaluator)
    spoken = heard(app)
    post(app)
    assert "play 2" in evaluator.commands
    assert spoken == []


def test_voice_off_and_mute(qtbot: QtBot, make_pad: MakePad) -> None:
    silent = make_pad("pad.voice=off")
    silent_spoken = heard(silent)
    post(silent)
    assert silent_spoken == []
    muted = make_pad("pad.mute=true")
    muted_spoken = heard(muted)
    post(muted)
    assert muted_spoken == [Prompt.PLEASE_RATE]  # asked for, not played
    assert muted.voice._effects == {}


def test_a_long_press_on_the_corner_asks_for_the_technician(qtbot: QtBot, make_pad: MakePad) -> None:
    app = make_pad()
    window = app.window
    hold = window.corner._timer  # the long press's wait; once stopped, it cannot ask any more
    hold.setInterval(300)
    with qtbot.assertNotEmitted(window.technician_requested):
        # A short press in the corner: the wait starts, and the release ends it.
        qtbot.mousePress(window, Qt.MouseButton.LeftButton, pos=QPoint(20, 20))
        assert hold.isActive()
        qtbot.mouseRelease(window, Qt.MouseButton.LeftButton, pos=QPoint(20, 20))
        assert not hold.isActive()
        # A press anywhere else starts nothing.
        qtbot.mousePress(window, Qt.MouseButton.LeftButton, pos=QPoint(900, 500))
        assert not hold.isActive()
        qtbot.mouseRelease(window, Qt.MouseButton.LeftButton, pos=QPoint(900, 500))
    with qtbot.waitSignal(window.technician_requested, timeout=5000):
        qtbot.mousePress(window, Qt.MouseButton.LeftButton, pos=QPoint(20, 20))
    qtbot.mouseRelease(window, Qt.MouseButton.LeftButton, pos=QPoint(20, 20))


def test_large_text_scales_fonts(qtbot: QtBot, make_pad: MakePad) -> None:
    normal = make_pad()
    large = make_pad("pad.large_text=true")
    size = normal.window.idle.time.font().pixelSize()
    assert large.window.idle.time.font().pixelSize() >= size * 1.3
