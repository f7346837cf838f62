"""A full disk: the pad takes no new sessions (503), alerts, loses nothing, and recovers by itself."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from kiosk.domain.sessions import SessionState
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
    # A rating whose record the full disk refused is recorded as soon as the disk takes writes again.
    assert app.ledger.chosen_without_record() == []
    assert app.ledger.last_link()[0] == len(app.ledger.sessions_in_state(SessionState.RATED))
    # Where the full disk refused the touch that chose a level (rather than a new session), that session
    # still awaits its rating: the citizen's next touch rates it, nothing lost. Otherwise these do nothing.
    app.pad.touch_level(5)
    app.pad.submit_reasons()
    assert verify(app.data_dir).ok
    stored = app.ledger.last_link()[0]
    assert client.post("/api/v1/sessions", json=session_body("P-after")).status_code == 201
    app.pad.touch_level(4)
    app.pad.submit_reasons()
    assert app.ledger.last_link()[0] == stored + 1
    assert verify(app.data_dir).ok


def _probe(timers: FakeTimers) -> None:
    """Runs the pad's storage probe (every 5 s while the storage is down) out now."""
    (probe,) = [t for t in timers.running() if not t.isSingleShot() and t.interval() == 5000]
    probe.fire()


def _readonly(app: object, on: bool) -> None:
    """A ledger that refuses every write (SQLITE_READONLY), as a disk remounted read-only does."""
    app.ledger._db.execute(f"PRAGMA query_only = {'ON' if on else 'OFF'}")  # type: ignore[attr-defined]


def test_cancel_and_staff_calls_on_a_failed_disk_start_the_probe(qtbot: QtBot, make_pad: MakePad) -> None:
    timers = FakeTimers()
    app = make_pad(timer_factory=timers)
    client = app.client  # type: ignore[attr-defined]
    opened = client.post("/api/v1/sessions", json=session_body("P-cancel"))
    assert opened.status_code == 201
    session_id = opened.json()["sessionId"]
    for method, path, body in (
        ("DELETE", f"/api/v1/sessions/{session_id}", None),
        ("POST", "/api/v1/staff/sign-in", {"staffId": "S1024"}),
        ("POST", "/api/v1/staff/sign-out", None),
    ):
        _readonly(app, True)
        answer = client.request(method, path, json=body)
        assert answer.status_code == 503, (path, answer.text)
        assert answer.json()["error"]["code"] == "storage_unavailable"
        # The same alert and probe as a failed session or rating: the pad takes no new sessions, and a
        # technician sees why.
        assert not app.pad.storage_ok, path
        qtbot.waitUntil(app.window.alerts.isVisible)
        _readonly(app, False)
        _probe(timers)
        assert app.pad.storage_ok
        qtbot.waitUntil(lambda: not app.window.alerts.isVisible())


def test_a_rating_whose_record_failed_is_recorded_when_the_disk_is_back(
    qtbot: QtBot, make_pad: MakePad
) -> None:
    timers = FakeTimers()
    app = make_pad(timer_factory=timers)
    client = app.client  # type: ignore[attr-defined]
    assert client.post("/api/v1/sessions", json=session_body("P-picker")).status_code == 201
    app.pad.touch_level(2)
    reason = app.pad.reasons.offered(2)[0].code
    app.pad.toggle_reason(reason)
    _readonly(app, True)
    app.pad.submit_reasons()  # the picker closes, and the record cannot be written
    assert app.ledger.last_link()[0] == 0
    assert not app.pad.storage_ok
    _readonly(app, False)
    _probe(timers)  # the disk takes writes again: no restart needed
    assert app.ledger.last_link()[0] == 1
    record = app.ledger.record(1)
    assert record is not None
    assert record["satisfaction"] == 2
    assert record["evalDetail"] == [reason]  # the reasons the citizen chose are not lost
    assert verify(app.data_dir).ok
    assert not [t for t in timers.running() if not t.isSingleShot() and t.interval() == 5000]
    app.pad.check_defaults()  # another pass over what is stored records nothing twice
    assert app.ledger.last_link()[0] == 1
