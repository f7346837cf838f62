"""The profile's differences in a running pad (province-fujian.md "What changes in this profile"), each with
a test: no enrolment and no heartbeat, the province's page as the QR code, no default ever recorded, no
look-up on a terminal, the hall file, and app_code out of kiosk.toml."""

from __future__ import annotations

import tomllib
from datetime import datetime, timedelta
from pathlib import Path

from pytestqt.qtbot import QtBot

from kiosk.domain.clock import CHINA_TIME, ManualClock
from kiosk.domain.screen import Screen
from kiosk.domain.sessions import SessionState
from kiosk.domain.timefmt import format_time
from kiosk.store.app_secret import AppSecret
from province.server import SandboxServer
from tests.helpers.fixtures import MakePad
from tests.helpers.stubs import FakeTimers
from tests.sync.fujian.conftest import (
    WAIT_MS,
    gateway_keys,
    gateway_pad,
    new_project_no,
    now_body,
    tokens_issued,
)


def test_a_rating_reaches_the_gateway_with_no_enrolment_and_no_heartbeat(
    qtbot: QtBot, make_pad: MakePad, double: SandboxServer
) -> None:
    app = gateway_pad(make_pad, double)
    project_no = new_project_no()
    created = app.client.post("/api/v1/sessions", json=now_body(project_no))  # type: ignore[attr-defined]
    assert created.status_code == 201, created.text
    app.pad.touch_level(5)
    app.pad.submit_reasons()
    qtbot.waitUntil(lambda: app.ledger.queue_depth() == 0, timeout=WAIT_MS)

    taken = double.store.gateway_rating(project_no)
    assert taken is not None
    assert app.ledger.province_id(1) == taken.evaluate_unid
    assert taken.case_fields["alternate"] == "5" and taken.case_fields["pf"] == "4"
    # Neither enrolment nor heartbeat: the pad has no device secret, and the double saw no JSON call.
    assert app.ledger.device_secret() is None
    assert double.store.device(app.ledger.device_id) is None
    assert double.store.heartbeat_at(taken.app_key) is None
    assert app.pad.status().uplink.state == "online"


def test_the_qr_code_is_the_provinces_page(qtbot: QtBot, make_pad: MakePad, double: SandboxServer) -> None:
    app = gateway_pad(make_pad, double)
    project_no = new_project_no()
    created = app.client.post("/api/v1/sessions", json=now_body(project_no))  # type: ignore[attr-defined]
    assert created.status_code == 201, created.text
    # The bridge answers at once; the page comes from the gateway a moment later, to the screen.
    assert created.json()["qrUrl"] is None
    qtbot.waitUntil(lambda: app.pad.screen_state().qr_url is not None, timeout=WAIT_MS)
    url = app.pad.screen_state().qr_url
    assert url is not None and url.startswith(f"{double.public_url}/m/evaluate?d=")
    assert f"&p={project_no}&t=" in url
    assert app.pad.screen_state().screen is Screen.PROMPT


def test_a_timed_out_session_shows_the_page_and_no_default_is_ever_recorded(
    qtbot: QtBot, make_pad: MakePad, double: SandboxServer
) -> None:
    clock = ManualClock(datetime.now(CHINA_TIME).replace(microsecond=0))
    timers = FakeTimers()
    app = gateway_pad(make_pad, double, clock=clock, timer_factory=timers)
    now = format_time(clock.now())
    body = now_body(new_project_no(), acceptTime=now, finishTime=now)
    created = app.client.post("/api/v1/sessions", json=body)  # type: ignore[attr-defined]
    assert created.status_code == 201, created.text
    session_id = created.json()["sessionId"]
    qtbot.waitUntil(lambda: app.pad.screen_state().qr_url is not None, timeout=WAIT_MS)
    timers.timeout().fire()  # nobody rates

    session = app.ledger.session(session_id)
    assert session is not None and session.state is SessionState.TIMED_OUT
    state = app.pad.screen_state()
    assert state.screen is Screen.QR and state.qr_url and state.qr_url.startswith(double.public_url)
    # The province applies the 7-day rule itself: a month on, the pad has recorded nothing.
    clock.advance(timedelta(days=30))
    app.pad.check_defaults()
    session = app.ledger.session(session_id)
    assert session is not None and session.state is SessionState.TIMED_OUT
    assert app.ledger.last_link()[0] == 0
    assert not app.pad.settings.records_defaults


def test_the_app_code_leaves_kiosk_toml_at_the_first_start(
    make_pad: MakePad, double: SandboxServer, tmp_path: Path
) -> None:
    data = tmp_path / "pad"
    data.mkdir()
    keys = gateway_keys(double)
    app_code = keys[3].partition("=")[2].strip('"')
    toml = '[uplink]\nprofile = "fujian-gateway"\n[uplink.fujian]\n' + "\n".join(
        key.removeprefix("uplink.fujian.") for key in keys[1:4]
    )
    (data / "kiosk.toml").write_text(toml + "\n", encoding="utf-8")
    app = make_pad(data_dir=data, config_path=data / "kiosk.toml")

    assert app.app_code == app_code
    assert AppSecret(data).read() == app_code
    written = tomllib.loads((data / "kiosk.toml").read_text(encoding="utf-8"))
    assert written["uplink"]["fujian"]["app_code"] == ""
    assert app_code not in (data / "kiosk.toml").read_text(encoding="utf-8")
    assert app.config.uplink.fujian.app_code == ""


def test_a_terminal_says_that_look_up_is_not_available_and_still_rates_what_its_software_opens(
    qtbot: QtBot, double: SandboxServer, make_pad: MakePad
) -> None:
    app = gateway_pad(make_pad, double, "device.role=terminal")
    state = app.pad.screen_state()
    assert state.role == "terminal" and state.screen is Screen.IDLE
    assert not state.lookup_available
    idle = app.window.idle
    qtbot.waitUntil(lambda: app.window.current_screen is Screen.IDLE)
    assert idle.instruction.isVisible()
    assert idle.instruction.text() == "本终端暂不能查询办件，请到办理窗口评价"
    assert not idle.keypad_button.isVisible()
    # The terminal's own software opens a case over the bridge, and the rating reaches the gateway.
    project_no = new_project_no()
    created = app.client.post("/api/v1/sessions", json=now_body(project_no))  # type: ignore[attr-defined]
    assert created.status_code == 201, created.text
    app.pad.touch_level(4)
    app.pad.submit_reasons()
    qtbot.waitUntil(lambda: double.store.gateway_rating(project_no) is not None, timeout=WAIT_MS)


def test_without_the_app_the_pad_rates_and_keeps_every_rating(
    qtbot: QtBot, double: SandboxServer, make_pad: MakePad
) -> None:
    app = make_pad('uplink.profile="fujian-gateway"', f'uplink.fujian.gateway="{double.gateway_url}"')
    assert app.pad.status().uplink.state == "enrolling"
    created = app.client.post("/api/v1/sessions", json=now_body(new_project_no()))  # type: ignore[attr-defined]
    assert created.status_code == 201, created.text
    assert created.json()["qrUrl"] is None
    app.pad.touch_level(5)
    app.pad.submit_reasons()
    qtbot.waitUntil(lambda: app.ledger.last_link()[0] == 1, timeout=WAIT_MS)
    assert app.ledger.queue_depth() == 1
    assert app.pad.screen_state().qr_url is None
    assert app.pad.status().uplink.state == "enrolling"
    assert tokens_issued(double) == 0  # nothing was sent, not even a token call
