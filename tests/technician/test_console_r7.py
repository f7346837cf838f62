"""R7 and the console: staff never learn the level. The console cannot be opened over a rating in progress
(the prompt or the reason picker), and a session that arrives while it is open closes it at once, so its
evaluator page never shows a press that rated."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from kiosk.app import PadApplication
from kiosk.domain.screen import Screen
from kiosk.ui.technician.evaluator import EvaluatorPage
from tests.helpers.fakes import RecordingEvaluator
from tests.helpers.fixtures import MakePad
from tests.helpers.people import session_body
from tests.technician.conftest import FakeMonotonic, attach_console, unlock


def _gesture(app: PadApplication) -> None:
    """The hidden gesture, as the corner reports a long press."""
    app.window.corner.triggered.emit()


def test_the_gesture_does_nothing_while_a_session_awaits_or_the_picker_is_open(
    qtbot: QtBot, make_pad: MakePad, monotonic: FakeMonotonic
) -> None:
    evaluator = RecordingEvaluator()
    app = make_pad(evaluator=evaluator)
    console = attach_console(app, monotonic)
    client = app.client  # type: ignore[attr-defined]
    assert client.post("/api/v1/sessions", json=session_body("P-R7")).status_code == 201
    assert app.pad.screen_state().screen is Screen.PROMPT
    _gesture(app)
    app.open_console()  # whatever asks for it, the console stays shut
    assert not console.isVisible()
    app.pad.touch_level(2)  # the reason picker opens
    assert app.pad.screen_state().screen is Screen.REASONS
    _gesture(app)
    app.open_console()
    assert not console.isVisible()
    app.pad.toggle_reason(app.pad.reasons.offered(2)[0].code)
    app.pad.submit_reasons()
    assert app.pad.screen_state().screen is Screen.THANKS
    _gesture(app)  # the rating is made: the technician may come in
    qtbot.waitUntil(console.isVisible)


def test_a_session_arriving_while_the_console_is_open_closes_it_before_any_press(
    qtbot: QtBot, make_pad: MakePad, monotonic: FakeMonotonic
) -> None:
    evaluator = RecordingEvaluator()
    app = make_pad(evaluator=evaluator)
    console = unlock(qtbot, app, monotonic)
    page = console.open_page("evaluator")
    assert isinstance(page, EvaluatorPage)
    client = app.client  # type: ignore[attr-defined]
    assert client.post("/api/v1/sessions", json=session_body("P-R7B")).status_code == 201
    # Closed by the time the case system has its answer: before the citizen can press anything.
    assert not console.isVisible()
    assert not console.unlocked
    evaluator.press(1, app.clock.now())
    qtbot.waitUntil(lambda: app.ledger.last_link()[0] == 1)
    assert page.presses.count() == 0  # the page heard nothing of the press that rated
