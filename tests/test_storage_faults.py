"""A full disk: the pad takes no new sessions (503), alerts, loses nothing, and recovers by itself."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from kiosk.store.verify import verify
from tests.helpers.fixtures import MakePad
from tests.helpers.people import session_body
from tests.helpers.stubs import FakeTimers


def test_a_full_ledger_refuses_sessions_then_recovers(qtbot: QtBot, make_pad: MakePad) -> None:
    timers = FakeTimers()
    app = make_pad("pad.reasons_after_press=false", timer_factory=timers)
    client = app.client  # type: ignore[attr-defined]
    for n in range(3):
        assert client.post("/api/v1/sessions", json=session_body(f"P-{n}")).status_code == 201
        app.pad.touch_level(5)
        app.pad.submit_reasons()
    assert app.ledger.last_link()[0] == 3
    db = app.ledger._db
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    # SQLite's own limit on the file's size stands in for a full disk: it answers SQLITE_FULL.
    db.execute(f"PRAGMA max_page_count = {pages}")
    answers = []
    for n in range(3, 40):
        answer = client.post("/api/v1/sessions", json=session_body(f"P-{n}"))
        answers.append(answer.status_code)
        if answer.status_code == 503:
            assert answer.json()["error"]["code"] == "storage_unavailable"
            break
        app.pad.touch_level(5)
        app.pad.submit_reasons()
    assert answers[-1] == 503, answers
    # No new sessions while the storage is down, even small ones, and a technician alert on the screen.
    assert client.post("/api/v1/sessions", json=session_body("P-more")).status_code == 503
    qtbot.waitUntil(app.window.alerts.isVisible)
    assert "存储" in app.window.alerts.text()
    stored = app.ledger.last_link()[0]
    assert stored >= 3
    assert verify(app.data_dir).ok
    # The pad probes the storage every 5 s while it is down.
    (probe,) = [t for t in timers.running() if not t.isSingleShot() and t.interval() == 5000]
    db.execute("PRAGMA max_page_count = 1073741823")
    probe.fire()
    qtbot.waitUntil(lambda: not app.window.alerts.isVisible())
    assert not probe.isActive()
    assert client.post("/api/v1/sessions", json=session_body("P-after")).status_code == 201
    app.pad.touch_level(4)
    app.pad.submit_reasons()
    assert app.ledger.last_link()[0] == stored + 1
    assert verify(app.data_dir).ok
