"""The session lifecycle in the Pad: replace, R1, cancel, timeouts, the picker, R6 defaults, restarts,
and the evaluator following the session (R7, R8). A real ledger, a recording evaluator, a manual clock,
and fake timers the tests run out."""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from kiosk.bridge.views import session_view
from kiosk.devices.base import Press
from kiosk.domain.clock import ManualClock
from kiosk.domain.screen import Screen
from kiosk.domain.sessions import SessionState
from kiosk.domain.timefmt import parse_time
from kiosk.domain.validation import validate_session_request
from kiosk.pad import Pad, PadSettings, SessionRefused
from kiosk.resources import shipped_reasons
from kiosk.store.ledger import Ledger
from tests.helpers.fakes import RecordingEvaluator
from tests.helpers.people import session_body
from tests.helpers.stubs import FakeTimers

START = parse_time("2026-11-27T09:31:00+08:00")
SECRET = base64.b64decode("c2FuZGJveC1kZXZpY2Utc2VjcmV0LTAwMDAwMDAwMDA=")
TEMPLATE = "https://hcp.example.gov.cn/m/evaluate?d={deviceId}&p={projectNo}&t={token}"
SETTINGS = PadSettings(qr_url_template=TEMPLATE)  # 60 s to rate, 20 s to pick reasons, 30 s of QR code

MakePad = Callable[..., Pad]


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
def timers() -> FakeTimers:
    return FakeTimers()


@pytest.fixture
def make(qapp: object, tmp_path: Path, clock: ManualClock, timers: FakeTimers) -> Iterator[MakePad]:
    made: list[tuple[Pad, Ledger]] = []

    def build(settings: PadSettings = SETTINGS, evaluator: RecordingEvaluator | None = None) -> Pad:
        ledger = Ledger.open(tmp_path / "data", clock)
        pad = Pad(ledger, evaluator or RecordingEvaluator(), clock, settings, shipped_reasons(), timers)
        pad.start()
        made.append((pad, ledger))
        return pad

    yield build
    for pad, ledger in made:
        pad.stop()
        ledger.close()


def open_session(pad: Pad, project_no: str = "P-1", **body: object) -> str:
    request = validate_session_request(session_body(project_no, **body), now=pad.clock.now())
    session, _qr = pad.open_session(request)
    return session.session_id


def view(pad: Pad, session_id: str) -> dict[str, object]:
    """The session as the bridge shows it (its state, channel and time, never its level)."""
    session = pad.session(session_id)
    assert session is not None
    return session_view(session)


def state(pad: Pad, session_id: str) -> str:
    return str(view(pad, session_id)["state"])


def run_out(timers: FakeTimers, seconds: float) -> None:
    """Runs out the one timeout running, which must be `seconds` long."""
    timeout = timers.timeout()
    assert timeout.interval() == seconds * 1000
    timeout.fire()


def test_replace_times_out_the_awaiting_session(make: MakePad) -> None:
    pad = make()
    first = open_session(pad, "P-1")
    with pytest.raises(SessionRefused) as busy:
        open_session(pad, "P-2")
    assert busy.value.code == "busy"
    second = open_session(pad, "P-2", replace=True)
    assert state(pad, first) == "timed_out"
    assert state(pad, second) == "awaiting"


def test_replace_closes_an_open_picker_with_the_reasons_chosen(make: MakePad) -> None:
    pad = make()
    first = open_session(pad, "P-1")
    pad.touch_level(2)
    pad.toggle_reason("213")
    assert state(pad, first) == "rated"  # rated from the touch, while the picker is open
    with pytest.raises(SessionRefused):
        open_session(pad, "P-2")
    open_session(pad, "P-2", replace=True)
    record = pad.ledger.record(1)
    assert record is not None
    assert record["satisfaction"] == 2
    assert record["evalDetail"] == ["213"]
    assert record["pf"] == "4"


def test_one_rating_per_project_and_earlier_sessions_cancelled(make: MakePad, timers: FakeTimers) -> None:
    pad = make()
    first = open_session(pad, "P-1")
    run_out(timers, 60)
    assert state(pad, first) == "timed_out"
    again = open_session(pad, "P-1")
    assert state(pad, first) == "cancelled"  # it will never default
    pad.touch_level(5)
    pad.submit_reasons()
    with pytest.raises(SessionRefused) as refused:
        open_session(pad, "P-1")
    assert refused.value.code == "already_rated"
    assert refused.value.session is not None
    assert refused.value.session.session_id == again


def test_cancel_only_an_awaiting_session(make: MakePad) -> None:
    pad = make()
    session_id = open_session(pad)
    assert session_view(pad.cancel_session(session_id))["state"] == "cancelled"
    with pytest.raises(SessionRefused) as refused:
        pad.cancel_session(session_id)
    assert refused.value.code == "not_awaiting"
    with pytest.raises(SessionRefused) as missing:
        pad.cancel_session("nope")
    assert missing.value.code == "not_found"


def test_rate_timeout_shows_the_qr_code_once_enrolled(make: MakePad, timers: FakeTimers) -> None:
    pad = make()
    first = open_session(pad, "P-1")
    assert pad.qr_url_for(pad.ledger.session(first)) is None  # type: ignore[arg-type]
    assert state(pad, first) == "awaiting"
    run_out(timers, 60)
    assert state(pad, first) == "timed_out"
    # Not enrolled: no key, no QR code; the pad is back at 暂停服务 at once (no one signed in).
    assert pad.screen_state().screen is Screen.PAUSED
    assert not [t for t in timers.running() if t.isSingleShot()]  # nor a QR code lingering
    pad.set_enrolled(SECRET)
    second = open_session(pad, "35010220261127000123", finishTime="2026-11-27T09:30:40+08:00")
    run_out(timers, 60)
    assert state(pad, second) == "timed_out"
    screen = pad.screen_state()
    assert screen.screen is Screen.QR
    assert screen.qr_url is not None
    assert screen.qr_url.endswith("&t=1796347840.Po-mTSDtWwGXwT9fdmP9xn")  # the spec's worked example
    run_out(timers, 30)  # the QR code lingers, then goes
    assert pad.screen_state().screen is Screen.PAUSED


def test_picker_timeout_rates_with_no_reasons(make: MakePad, timers: FakeTimers) -> None:
    pad = make()
    session_id = open_session(pad)
    pad.touch_level(1)
    pad.toggle_reason("108")
    # The picker is open with a reason chosen and not submitted; nothing is recorded yet.
    screen = pad.screen_state()
    assert screen.screen is Screen.REASONS
    assert screen.picker is not None
    assert (screen.picker.satisfaction, screen.picker.codes) == (1, ("108",))
    assert pad.ledger.last_link()[0] == 0
    run_out(timers, 20)
    assert pad.ledger.last_link()[0] == 1
    record = pad.ledger.record(1)
    assert record is not None
    assert record["evalDetail"] == []  # R4: a picker that times out makes the rating with no reasons
    assert state(pad, session_id) == "rated"


def test_reasons_are_required_for_levels_one_and_two(make: MakePad) -> None:
    pad = make(PadSettings(reason_timeout_s=30))
    open_session(pad)
    pad.touch_level(2)
    pad.submit_reasons()
    assert pad.ledger.last_link()[0] == 0
    pad.toggle_reason("510")  # not a level-2 reason: ignored
    pad.submit_reasons()
    assert pad.ledger.last_link()[0] == 0
    pad.toggle_reason("207")
    pad.submit_reasons()
    record = pad.ledger.record(1)
    assert record is not None
    assert record["evalDetail"] == ["207"]


def test_default_after_seven_days_offline(make: MakePad, clock: ManualClock, timers: FakeTimers) -> None:
    pad = make()
    session_id = open_session(pad, "P-1", finishTime="2026-11-27T09:30:40+08:00")
    run_out(timers, 60)
    cancelled = open_session(pad, "P-2")
    pad.cancel_session(cancelled)
    clock.advance(timedelta(days=7) - timedelta(seconds=21))
    pad.check_defaults()
    assert state(pad, session_id) == "timed_out"
    clock.advance(timedelta(minutes=5))
    pad.check_defaults()
    assert state(pad, session_id) == "defaulted"
    assert state(pad, cancelled) == "cancelled"  # a cancelled session never defaults
    record = pad.ledger.record(1)
    assert record is not None
    assert record["satisfaction"] == 4
    assert record["defaultEvaluation"] is True
    assert record["pf"] == "5"
    assert record["evalDetail"] == []
    assert record["assessTime"] == "2026-12-04T09:30:40+08:00"  # exactly the end of the window
    assert pad.ledger.last_link()[0] == 1


def test_default_online_asks_the_province_first(
    make: MakePad, clock: ManualClock, timers: FakeTimers
) -> None:
    pad = make()
    asked: list[str] = []
    pad.final_check = asked.append
    pad.set_uplink_state("online", None)
    rated_elsewhere = open_session(pad, "P-QR")
    run_out(timers, 60)
    not_rated = open_session(pad, "P-NONE")
    run_out(timers, 60)
    clock.advance(timedelta(days=8))
    pad.check_defaults()
    assert sorted(asked) == ["P-NONE", "P-QR"]
    assert pad.ledger.last_link()[0] == 0  # waiting for the province's last word
    pad.learn_project_evaluation(
        "P-QR", {"rated": True, "satisfaction": 5, "pf": "3", "assessTime": "2026-12-01T10:00:00+08:00"}
    )
    pad.learn_project_evaluation("P-NONE", {"rated": False})
    assert state(pad, rated_elsewhere) == "rated"
    assert view(pad, rated_elsewhere) == {
        "sessionId": rated_elsewhere,
        "projectNo": "P-QR",
        "state": "rated",
        "channel": "3",
        "ratedAt": "2026-12-01T10:00:00+08:00",
    }
    assert state(pad, not_rated) == "defaulted"
    assert pad.ledger.last_link()[0] == 1  # no record for the session rated elsewhere


def test_default_online_without_an_answer_still_happens(
    make: MakePad, clock: ManualClock, timers: FakeTimers
) -> None:
    pad = make()
    pad.final_check = lambda _project: None
    pad.set_uplink_state("online", None)
    session_id = open_session(pad)
    run_out(timers, 60)
    clock.advance(timedelta(days=7, hours=1))
    pad.check_defaults()
    assert state(pad, session_id) == "timed_out"
    clock.advance(timedelta(minutes=2))
    pad.check_defaults()
    assert state(pad, session_id) == "defaulted"


def test_restart_times_out_an_awaiting_session(make: MakePad, clock: ManualClock) -> None:
    pad = make()
    session_id = open_session(pad)
    pad.stop()
    pad.ledger.close()
    again = make()
    assert state(again, session_id) == "timed_out"
    clock.advance(timedelta(days=8))
    again.check_defaults()
    assert state(again, session_id) == "defaulted"


def test_restart_with_the_picker_open_rates_from_the_logged_press(make: MakePad, clock: ManualClock) -> None:
    evaluator = RecordingEvaluator()
    pad = make(PadSettings(reason_timeout_s=30), evaluator)
    session_id = open_session(pad)
    evaluator.press(4, clock.now())  # button 4 = 不满意: the picker opens
    assert pad.screen_state().screen is Screen.REASONS
    pad.toggle_reason("207")
    pad.stop()
    pad.ledger.close()
    clock.advance(timedelta(minutes=1))
    again = make()
    record = again.ledger.record(1)
    assert record is not None
    assert record["satisfaction"] == 2
    assert record["pf"] == "5"
    assert record["evalDetail"] == []
    assert record["assessTime"] == "2026-11-27T09:31:00+08:00"  # the press's time, not the restart's
    assert state(again, session_id) == "rated"


def test_the_evaluator_follows_the_session(make: MakePad, clock: ManualClock) -> None:
    evaluator = RecordingEvaluator(voice=True)
    pad = make(PadSettings(reason_timeout_s=30), evaluator)
    pad.sign_in("S1024")
    open_session(pad)
    assert evaluator.commands[-2:] == ["arm 60", "play 2"]
    pad.sign_out()  # the citizen in front of the pad can still rate
    assert "play 4" not in evaluator.commands
    assert pad.screen_state().screen is Screen.PROMPT
    evaluator.press(1, clock.now())
    assert evaluator.commands[-5:] == ["flash", "disarm", "play 3", "play 4", "disarm"]
    assert pad.screen_state().screen is Screen.THANKS


def test_presses_that_do_not_count_are_logged_and_counted(make: MakePad, clock: ManualClock) -> None:
    evaluator = RecordingEvaluator(buttons={1: 5, 2: 4, 3: 3, 4: 2, 5: 1})
    pad = make(PadSettings(reason_timeout_s=30), evaluator)
    evaluator.press(1, clock.now())  # no session: disarmed
    session_id = open_session(pad)
    evaluator.press(9, clock.now())  # a button the map does not name
    evaluator.press(5, clock.now())  # 非常不满意: the picker opens
    evaluator.press(5, clock.now())  # an extra press with the picker open
    pad.toggle_reason("115")
    pad.submit_reasons()
    evaluator.press(2, clock.now())  # after the record: the press log only
    record = pad.ledger.record(1)
    assert record is not None
    assert record["satisfaction"] == 1
    assert record["extraPresses"] == 2
    log = [
        (p["button"], p["level"], p["armed"], p["session_id"] == session_id, p["counted"])
        for p in pad.ledger.presses()
    ]
    assert log == [
        (1, 5, 0, False, 0),
        (9, None, 1, True, 0),
        (5, 1, 1, True, 1),
        (5, 1, 0, True, 0),
        (2, 4, 0, False, 0),
    ]
    assert pad.ledger.last_link()[0] == 1


def test_a_clock_earlier_than_accept_time_takes_accept_time(make: MakePad, clock: ManualClock) -> None:
    pad = make(PadSettings(reasons_after_press=False, has_screen=False))
    # The case system's clock is 2 minutes ahead of the pad's.
    open_session(pad, acceptTime="2026-11-27T09:33:00+08:00", finishTime="2026-11-27T09:33:00+08:00")
    pad.on_press(Press(1, 5, True, clock.now(), 1))
    record = pad.ledger.record(1)
    assert record is not None
    assert record["assessTime"] == "2026-11-27T09:33:00+08:00"


def test_without_a_screen_every_press_is_the_rating(make: MakePad, clock: ManualClock) -> None:
    evaluator = RecordingEvaluator()
    pad = make(PadSettings(has_screen=False), evaluator)
    session_id = open_session(pad)
    evaluator.press(5, clock.now())
    assert state(pad, session_id) == "rated"
    record = pad.ledger.record(1)
    assert record is not None
    assert record["satisfaction"] == 1


def test_session_state_survives_in_the_ledger(make: MakePad) -> None:
    pad = make()
    session_id = open_session(pad)
    stored = pad.ledger.session(session_id)
    assert stored is not None
    assert stored.state is SessionState.AWAITING
