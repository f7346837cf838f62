"""R13 in a running pad: a pad whose own clock is years behind, or hours ahead, of a province at the true
time learns the offset, checks and writes every time corrected, tells technicians, and keeps the offset
across a restart. (tests/test_faketime.py runs the same under libfaketime, with the real system clock.)"""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from kiosk.domain.clock import CHINA_TIME, ManualClock
from kiosk.domain.timefmt import format_time, parse_time
from province.seed import DEMO_HALL, DEMO_WINDOW
from province.server import SandboxServer
from tests.helpers.fixtures import MakePad
from tests.helpers.people import session_body

WAIT_MS = 20_000


def true_now() -> datetime:
    return datetime.now(CHINA_TIME)


def body(project_no: str) -> dict[str, object]:
    """A session the case system opens now, by the true time (its clock is right)."""
    now = format_time(true_now())
    return session_body(project_no, acceptTime=now, finishTime=now)


@pytest.mark.parametrize("wrong_by", [timedelta(days=-5 * 365), timedelta(hours=5)])
def test_a_pad_with_a_wrong_clock_uses_the_provinces_time(
    qtbot: QtBot, make_pad: MakePad, sandbox: SandboxServer, tmp_path: Path, wrong_by: timedelta
) -> None:
    own = ManualClock(true_now() + wrong_by)  # the pad's own clock, wrong and still
    code = sandbox.store.issue_code(DEMO_HALL, DEMO_WINDOW)
    data = tmp_path / "pad"
    app = make_pad(f'uplink.url="{sandbox.url}"', f'uplink.enroll_code="{code}"', data_dir=data, clock=own)
    client = app.client  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: app.pad.uplink.state == "online", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: app.pad.uplink.clock_offset_s is not None, timeout=WAIT_MS)
    offset = app.pad.uplink.clock_offset_s
    assert offset is not None and abs(offset + wrong_by.total_seconds()) < 60
    # The bridge checks "not in the future" against the corrected clock: the case system's true time passes.
    created = client.post("/api/v1/sessions", json=body("CLOCK-1"))
    assert created.status_code == 201, created.text
    app.pad.touch_level(5)
    app.pad.submit_reasons()
    record = app.ledger.record(1)
    assert record is not None
    assess = parse_time(record["assessTime"])
    assert abs((assess - true_now()).total_seconds()) < 60
    assert record["assessTime"].endswith("+08:00")
    # The idle screen's clock is the corrected one, in Beijing time.
    app.pad.dismiss_transient_screens()
    app.window.idle._update_time()
    assert app.window.idle.time.text() in {
        (true_now() + timedelta(seconds=s)).strftime("%H:%M") for s in (-60, 0, 60)
    }
    # Technicians are told: an alert code on the status (and the console, and kiosk doctor), never on the
    # citizen's screen, and the pad goes on working.
    status = client.get("/api/v1/status").json()
    assert "clock" in status["alerts"]
    assert "clock" not in app.pad.screen_state().alerts
    assert app.ledger.clock_offset() == pytest.approx(offset, abs=1)
    app.stop()

    # After a restart with the province out of reach, the kept offset holds from the first request.
    again = make_pad(data_dir=data, clock=own)
    assert again.clock.offset_s == pytest.approx(offset, abs=1)
    retry = again.client.post("/api/v1/sessions", json=body("CLOCK-2"))  # type: ignore[attr-defined]
    assert retry.status_code == 201, retry.text
    assert "clock" in again.client.get("/api/v1/status").json()["alerts"]  # type: ignore[attr-defined]


def test_a_pad_whose_clock_is_right_raises_no_alert(
    qtbot: QtBot, make_pad: MakePad, sandbox: SandboxServer
) -> None:
    code = sandbox.store.issue_code(DEMO_HALL, DEMO_WINDOW)
    app = make_pad(f'uplink.url="{sandbox.url}"', f'uplink.enroll_code="{code}"')
    qtbot.waitUntil(lambda: app.pad.uplink.clock_offset_s is not None, timeout=WAIT_MS)
    offset = app.pad.uplink.clock_offset_s
    assert offset is not None and abs(offset) < 5
    assert "clock" not in app.client.get("/api/v1/status").json()["alerts"]  # type: ignore[attr-defined]
    assert abs(app.clock.now().timestamp() - time.time()) < 5
