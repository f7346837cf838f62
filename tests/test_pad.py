"""The Pad in-process: a session over the real bridge, a touch on the real prompt widget, the ledger."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kiosk.domain.record import record_hash
from kiosk.domain.screen import Screen
from tests.helpers.fixtures import MakePad
from tests.helpers.people import CHEN_MING_ID, session_body


def test_a_touch_on_the_prompt_records_a_chained_rating(qtbot: QtBot, make_pad: MakePad) -> None:
    app = make_pad("pad.reasons_after_press=false")
    created = app.client.post("/api/v1/sessions", json=session_body())  # type: ignore[attr-defined]
    assert created.status_code == 201, created.text
    session_id = created.json()["sessionId"]
    window = app.window
    qtbot.waitUntil(lambda: window.current_screen is Screen.PROMPT)
    assert window.prompt.applicant.text().endswith("陈*")
    button = next(b for b in window.prompt.buttons if b.satisfaction == 4)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    # A touch on a screen always offers reasons (optional for 3-5); submit with none.
    qtbot.waitUntil(lambda: window.current_screen is Screen.REASONS)
    assert window.reasons.submit.isEnabled()
    qtbot.mouseClick(window.reasons.submit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: app.ledger.last_link()[0] == 1)
    record = app.ledger.record(1)
    assert record is not None
    assert record["satisfaction"] == 4 and record["pf"] == "4"
    assert record["certNo"] == CHEN_MING_ID and record["prevHash"] == "0" * 64
    assert record_hash(record) == record["hash"]
    assert window.current_screen is Screen.THANKS
    view = app.client.get(f"/api/v1/sessions/{session_id}").json()  # type: ignore[attr-defined]
    assert view["state"] == "rated" and view["channel"] == "4"
    assert "satisfaction" not in view and CHEN_MING_ID not in str(view)
