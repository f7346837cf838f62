"""Configuration, heartbeat and the R6 ask (uplink-api.md "Configuration, heartbeat, status")."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from typing import Any

from kiosk import __version__
from kiosk.domain.sessions import SessionState
from kiosk.domain.validation import validate_session_request
from kiosk.store.ledger import Ledger
from kiosk.sync.province_config import ProvinceConfig
from tests.helpers.people import session_body
from tests.sync.conftest import HALL, START, WINDOW, StartUplink, enrol_directly, rate
from tests.sync.scripted import ScriptedProvince

EVALUATOR = {"protocol": "frame", "port": "/dev/ttyUSB0", "state": "connected", "firmware": "2.1"}
HEARTBEAT_FIELDS = {
    "at", "appVersion", "uptimeS", "queueDepth", "deadLetters", "lastSeq", "lastHash", "evaluator",
}  # fmt: skip


def config_path(ledger: Ledger) -> str:
    return f"/devices/{ledger.device_id}/config"


def heartbeat_path(ledger: Ledger) -> str:
    return f"/devices/{ledger.device_id}/heartbeat"


def last_heartbeat(province: ScriptedProvince, device_id: str) -> dict[str, Any]:
    """The last heartbeat the province kept for the device (read from its database), or {}."""
    with sqlite3.connect(province.store.path) as db:
        (stored,) = db.execute(
            "SELECT last_heartbeat FROM devices WHERE device_id = ?", (device_id,)
        ).fetchone()
    heartbeat: dict[str, Any] = json.loads(stored) if stored else {}
    return heartbeat


def test_config_is_applied_then_asked_with_if_none_match(
    scripted: ScriptedProvince, start_uplink: StartUplink, ledger: Ledger
) -> None:
    enrol_directly(ledger, scripted.store)
    uplink = start_uplink(scripted.url, config_interval_s=0.3)
    uplink.wait(lambda: len(uplink.recorder.configs) == 1)

    config = uplink.recorder.configs[0]
    assert isinstance(config, ProvinceConfig)
    placement = config.placement
    assert (placement.hall_code, placement.window_no, placement.area_code) == (HALL, WINDOW, "350102")
    assert placement.dept_code == "11350102003622411H"
    assert [m.staff_id for m in placement.staff] == ["S1024", "S1025", "S1031"]
    assert placement.staff[0].photo_png.startswith(b"\x89PNG")
    assert config.reasons is not None
    assert [r.code for r in config.reasons.offered(5)][:2] == ["510", "511"]
    assert config.cert_types["111"] == "居民身份证"
    settings = config.settings
    assert (settings.rate_timeout_s, settings.default_after_days, settings.heartbeat_s) == (60, 7, 60)
    assert settings.qr_url_template is not None
    assert "{token}" in settings.qr_url_template
    etag = f'"{config.version}"'
    assert ledger.get_meta("province_config_etag") == etag
    assert json.loads(ledger.get_meta("province_config") or "{}")["configVersion"] == config.version

    # Asked again: unchanged, 304, nothing applied twice.
    uplink.wait(lambda: [s.status for s in scripted.seen("GET", config_path(ledger))][:2] == [200, 304])
    second = scripted.seen("GET", config_path(ledger))[1]
    assert second.headers["if-none-match"] == etag
    assert len(uplink.recorder.configs) == 1

    # Changed at the province: applied at the next ask.
    scripted.store.set_setting(HALL, "rateTimeoutS", 90)
    uplink.wait(lambda: len(uplink.recorder.configs) == 2)
    assert uplink.recorder.configs[1].settings.rate_timeout_s == 90
    assert uplink.recorder.configs[1].version != config.version


def test_a_restarted_pad_asks_with_its_stored_etag(
    scripted: ScriptedProvince, start_uplink: StartUplink, ledger: Ledger
) -> None:
    enrol_directly(ledger, scripted.store)
    first = start_uplink(scripted.url)
    first.wait(lambda: len(first.recorder.configs) == 1)
    first.worker.stop()
    second = start_uplink(scripted.url)
    second.wait(lambda: [s.status for s in scripted.seen("GET", config_path(ledger))] == [200, 304])
    # Nothing new to apply; the app applies the cached config at start (province_config in the ledger).
    # A rating made now is sent after the 304 was handled, and reported after anything it caused.
    second.rate("AFTER00304")
    second.wait(lambda: second.recorder.sent != [])
    assert second.recorder.configs == []


def test_heartbeat_reports_the_spec_fields(
    scripted: ScriptedProvince, start_uplink: StartUplink, ledger: Ledger
) -> None:
    enrol_directly(ledger, scripted.store)
    scripted.store.set_setting(HALL, "heartbeatS", 1)
    uplink = start_uplink(scripted.url, evaluator_status=lambda: dict(EVALUATOR))
    uplink.rate("BEAT000001")
    uplink.rate("BEAT000002", 5, ["108"])  # a dead letter
    uplink.wait_drained()
    # A heartbeat made once both records were answered (one may have gone between the two).
    settled = {"queueDepth": 0, "lastSeq": 2}
    uplink.wait(lambda: settled.items() <= last_heartbeat(scripted, ledger.device_id).items())
    uplink.wait(lambda: uplink.recorder.status.accepted_seq == 2)

    beat = last_heartbeat(scripted, ledger.device_id)
    assert set(beat) == HEARTBEAT_FIELDS
    assert datetime.fromisoformat(beat["at"]).utcoffset() is not None
    assert beat["appVersion"] == __version__
    assert isinstance(beat["uptimeS"], int)
    assert beat["uptimeS"] >= 0
    assert (beat["queueDepth"], beat["deadLetters"], beat["lastSeq"]) == (0, 1, 2)
    assert beat["lastHash"] == ledger.last_link()[1]
    assert beat["evaluator"] == EVALUATOR
    # The province's heartbeatS (1 s) won over the pad's own 60 s.
    assert uplink.worker.heartbeat_s == 1


def test_an_accepted_seq_behind_the_device_raises_the_chain_alert(
    scripted: ScriptedProvince, start_uplink: StartUplink, ledger: Ledger
) -> None:
    enrol_directly(ledger, scripted.store)
    scripted.store.set_setting(HALL, "heartbeatS", 1)
    uplink = start_uplink(scripted.url)
    for n in range(3):
        uplink.rate(f"LAG{n:07d}")
    uplink.wait_drained()
    uplink.wait(lambda: uplink.recorder.status.accepted_seq == 3)
    assert all(text is None for text in uplink.recorder.alert_texts("chain"))

    with sqlite3.connect(scripted.store.path) as db:  # the province loses seq 2
        db.execute("DELETE FROM evaluations WHERE device_id = ? AND seq = 2", (ledger.device_id,))
    uplink.wait(lambda: any(uplink.recorder.alert_texts("chain")))
    text = next(t for t in uplink.recorder.alert_texts("chain") if t)
    assert isinstance(text, str)
    assert "1" in text
    assert "3" in text
    assert uplink.recorder.status.accepted_seq == 1


def test_an_idle_pad_sends_only_heartbeats(
    scripted: ScriptedProvince, start_uplink: StartUplink, ledger: Ledger
) -> None:
    enrol_directly(ledger, scripted.store)
    scripted.store.set_setting(HALL, "heartbeatS", 1)
    uplink = start_uplink(scripted.url)
    uplink.wait(lambda: len(scripted.seen("POST", heartbeat_path(ledger))) >= 4)

    # The first request is the configuration pull at start (hourly after that); then only heartbeats.
    seen = [(s.method, s.path) for s in scripted.seen()]
    assert seen[0] == ("GET", config_path(ledger))
    assert set(seen[1:]) == {("POST", heartbeat_path(ledger))}
    assert uplink.recorder.sent == []


def test_timed_out_sessions_are_asked_about_at_each_heartbeat(
    scripted: ScriptedProvince, start_uplink: StartUplink, ledger: Ledger
) -> None:
    enrol_directly(ledger, scripted.store)
    scripted.store.set_setting(HALL, "heartbeatS", 1)
    rate(ledger, "R6RATED001")  # a rated session is never asked about
    for project_no in ("R6QRCODE01", "R6NOTHING1"):
        request = validate_session_request(session_body(project_no), now=START)
        session = ledger.add_session(request, "S1024", "林晓")
        ledger.set_session_state(session.session_id, SessionState.TIMED_OUT)
    scripted.store.rate_elsewhere("R6QRCODE01", 3, "6", assess_time="2026-11-27T10:02:00+08:00")

    uplink = start_uplink(scripted.url)
    uplink.wait(lambda: len(uplink.recorder.projects) >= 4)  # two heartbeats' worth

    answers = dict(uplink.recorder.projects)
    assert answers["R6QRCODE01"] == {
        "rated": True,
        "satisfaction": 3,
        "pf": "6",
        "assessTime": "2026-11-27T10:02:00+08:00",
    }
    assert answers["R6NOTHING1"] == {"rated": False}
    asked = {s.path for s in scripted.seen("GET") if s.path.startswith("/projects/")}
    assert asked == {"/projects/R6QRCODE01/evaluation", "/projects/R6NOTHING1/evaluation"}


def test_the_pad_can_ask_about_one_project_just_before_a_default(
    scripted: ScriptedProvince, start_uplink: StartUplink, ledger: Ledger
) -> None:
    enrol_directly(ledger, scripted.store)
    scripted.store.rate_elsewhere("R6FINAL001", 4, "6", assess_time="2026-11-27T10:05:00+08:00")
    uplink = start_uplink(scripted.url, heartbeat_s=600)  # no heartbeat due: only the ask can answer
    uplink.wait(lambda: len(scripted.seen("POST", heartbeat_path(ledger))) == 1)
    uplink.worker.ask_project("R6FINAL001")
    uplink.worker.ask_project("R6FINAL002")
    uplink.wait(lambda: len(uplink.recorder.projects) == 2)

    assert dict(uplink.recorder.projects) == {
        "R6FINAL001": {
            "rated": True,
            "satisfaction": 4,
            "pf": "6",
            "assessTime": "2026-11-27T10:05:00+08:00",
        },
        "R6FINAL002": {"rated": False},
    }
