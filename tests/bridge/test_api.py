"""The bridge over real HTTP on loopback: every answer code of counter-bridge-api.md."""

from __future__ import annotations

import json

import pytest
from pytestqt.qtbot import QtBot

from kiosk.app import PadApplication
from tests.helpers.fixtures import MakePad
from tests.helpers.people import CHEN_MING_ID, session_body

SESSIONS = "/api/v1/sessions"


@pytest.fixture
def pad(make_pad: MakePad) -> PadApplication:
    return make_pad("pad.reasons_after_press=false")


def test_no_token_or_a_wrong_one_is_401_before_anything_else(pad: PadApplication) -> None:
    client = pad.client  # type: ignore[attr-defined]
    for token in ("", "wrong", pad.token + "x"):
        answer = client.post(SESSIONS, token=token, data=b"{not json" * 5000)
        assert answer.status_code == 401
        assert answer.json()["error"]["code"] == "unauthorized"
    answer = client.request(
        "GET", "/api/v1/status", headers={"Authorization": f"Basic {pad.token}"}, token=""
    )
    assert answer.status_code == 401


def test_size_then_json_then_fields(pad: PadApplication) -> None:
    client = pad.client  # type: ignore[attr-defined]
    big = client.post(SESSIONS, data=b"{" * (16 * 1024 + 1), headers={"Content-Type": "application/json"})
    assert big.status_code == 413 and big.json()["error"]["code"] == "too_large"
    chunked = client.post(SESSIONS, data=iter([b"{" * 9000, b"{" * 9000]))
    assert chunked.status_code == 413
    bad = client.post(SESSIONS, data=b'{"projectNo": ', headers={"Content-Type": "application/json"})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "bad_json"
    not_object = client.post(SESSIONS, json=[1, 2])
    assert not_object.status_code == 400


def test_a_wrong_id_check_digit_is_422_naming_the_field(pad: PadApplication) -> None:
    body = session_body()
    body["applicant"]["certNo"] = "350102199001011239"
    answer = pad.client.post(SESSIONS, json=body)  # type: ignore[attr-defined]
    assert answer.status_code == 422
    error = answer.json()["error"]
    assert error["code"] == "invalid_field" and error["field"] == "applicant.certNo"
    assert "350102199001011239" not in answer.text


def test_busy_already_rated_and_not_found(qtbot: QtBot, pad: PadApplication) -> None:
    client = pad.client  # type: ignore[attr-defined]
    first = client.post(SESSIONS, json=session_body("P-1"))
    assert first.status_code == 201
    busy = client.post(SESSIONS, json=session_body("P-2"))
    assert busy.status_code == 409 and busy.json()["error"]["code"] == "busy"
    pad.pad.touch_level(5)
    pad.pad.submit_reasons()
    again = client.post(SESSIONS, json=session_body("P-1"))
    assert again.status_code == 409
    body = again.json()
    assert body["error"]["code"] == "already_rated"
    assert body["sessionId"] == first.json()["sessionId"] and body["state"] == "rated"
    missing = client.get(f"{SESSIONS}/no-such-session")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    unknown_route = client.get("/api/v1/nothing")
    assert unknown_route.status_code == 404


def test_answers_never_carry_applicant_data_or_the_level(pad: PadApplication) -> None:
    client = pad.client  # type: ignore[attr-defined]
    created = client.post(SESSIONS, json=session_body()).json()
    pad.pad.touch_level(1)
    pad.pad.toggle_reason("108")
    pad.pad.submit_reasons()
    texts = [
        json.dumps(created, ensure_ascii=False),
        client.get(f"{SESSIONS}/{created['sessionId']}").text,
        client.get("/api/v1/status").text,
    ]
    for text in texts:
        assert CHEN_MING_ID not in text and "13800138000" not in text and "陈" not in text
        assert "satisfaction" not in text and "非常不满意" not in text


def test_long_poll_answers_promptly_after_the_touch(qtbot: QtBot, pad: PadApplication) -> None:
    from tests.helpers.threads import submit

    client = pad.client  # type: ignore[attr-defined]
    session_id = client.post(SESSIONS, json=session_body()).json()["sessionId"]
    waiting = submit(
        client.session.get,
        f"{client.url}{SESSIONS}/{session_id}?wait=30",
        headers={"Authorization": f"Bearer {pad.token}"},
        timeout=40,
    )
    # The request has read the session, awaiting, and watches it: the touch comes after that look.
    qtbot.waitUntil(lambda: session_id in pad.gateway._waiters)
    assert not waiting.done()
    pad.pad.touch_level(5)
    qtbot.waitUntil(waiting.done, timeout=5000)  # well before the 30 s
    # Held while the session awaited: an answer given before the touch would say "awaiting".
    assert waiting.result().json()["state"] == "rated"


def test_long_poll_times_out_with_the_state_unchanged(pad: PadApplication) -> None:
    client = pad.client  # type: ignore[attr-defined]
    session_id = client.post(SESSIONS, json=session_body()).json()["sessionId"]
    answer = client.get(f"{SESSIONS}/{session_id}?wait=1")
    assert answer.status_code == 200
    assert answer.json()["state"] == "awaiting"
    for bad in ("61", "-1", "soon"):
        refused = client.get(f"{SESSIONS}/{session_id}?wait={bad}")
        assert refused.status_code == 422
        assert refused.json()["error"]["field"] == "wait"


def test_delete_cancels_only_an_awaiting_session(pad: PadApplication) -> None:
    client = pad.client  # type: ignore[attr-defined]
    session_id = client.post(SESSIONS, json=session_body("P-DEL")).json()["sessionId"]
    cancelled = client.delete(f"{SESSIONS}/{session_id}")
    assert cancelled.status_code == 200
    assert cancelled.json()["state"] == "cancelled"
    again = client.delete(f"{SESSIONS}/{session_id}")
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "not_awaiting"
    assert client.delete(f"{SESSIONS}/nope").status_code == 404
    # A cancelled 办件 may be opened again.
    assert client.post(SESSIONS, json=session_body("P-DEL")).status_code == 201


def test_staff_sign_in_and_out(pad: PadApplication) -> None:
    client = pad.client  # type: ignore[attr-defined]
    assert client.post("/api/v1/staff/sign-in", json={"staffId": "S1024"}).json() == {"staffId": "S1024"}
    assert client.get("/api/v1/status").json()["staffId"] == "S1024"
    bad = client.post("/api/v1/staff/sign-in", json={"staffId": 5})
    assert bad.status_code == 422
    assert bad.json()["error"]["field"] == "staffId"
    assert client.post("/api/v1/staff/sign-in", data=b"{").status_code == 400
    assert client.post("/api/v1/staff/sign-out").json() == {"staffId": None}
    assert client.get("/api/v1/status").json()["staffId"] is None


def test_a_roster_refuses_unknown_staff(pad: PadApplication) -> None:
    from kiosk.domain.hall import Placement, ProvinceSettings, StaffMember

    client = pad.client  # type: ignore[attr-defined]
    placement = Placement(window_no="A07", staff=(StaffMember("S1024", "林晓"),))
    in_thread_pad = pad.gateway.submit(lambda p: p.apply_province(placement, ProvinceSettings(), None, None))
    client.qtbot.waitUntil(in_thread_pad.done)
    assert client.post("/api/v1/staff/sign-in", json={"staffId": "S9999"}).status_code == 422
    unknown = client.post(SESSIONS, json=session_body(staffId="S9999"))
    assert unknown.status_code == 422
    assert unknown.json()["error"]["field"] == "staffId"
    assert client.post(SESSIONS, json=session_body(staffId="S1024")).status_code == 201


def test_the_openapi_document_is_served_without_the_token(pad: PadApplication) -> None:
    answer = pad.client.request("GET", "/api/v1/openapi.json", token="")  # type: ignore[attr-defined]
    assert answer.status_code == 200
    assert answer.json()["openapi"].startswith("3.1")


def test_a_pad_that_does_not_take_a_call_answers_503_and_changes_nothing(
    qtbot: QtBot, pad: PadApplication
) -> None:
    from tests.helpers.threads import submit

    client = pad.client  # type: ignore[attr-defined]
    pad.gateway.call_timeout_s = 0.5
    # The Qt thread is busy (here: blocked waiting for this very answer), so the call is never taken.
    hung = submit(
        client.session.post,
        client.url + SESSIONS,
        json=session_body("P-HUNG"),
        headers={"Authorization": f"Bearer {pad.token}"},
        timeout=30,
    ).result(timeout=30)
    assert hung.status_code == 503
    assert hung.json()["error"]["code"] == "pad_unresponsive"
    # The Qt thread is free again; a later call runs after the withdrawn one would have.
    assert "session" not in client.get("/api/v1/status").json()
    assert pad.ledger.sessions_for_project("P-HUNG") == []
    again = client.post(SESSIONS, json=session_body("P-HUNG"))
    assert again.status_code == 201  # not busy: the withdrawn call opened nothing
