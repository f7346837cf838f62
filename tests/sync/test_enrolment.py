"""Enrolment (uplink-api.md "Device identity and enrolment"): with the device's own id, safe to retry when the
answer is lost, blocked on a refused code until a new one is set, the secret kept encrypted and never logged."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from kiosk.store.ledger import Ledger
from tests.helpers.stubs import FakeMonotonic
from tests.sync.conftest import HALL, WINDOW, StartUplink, fast_backoff, ledger_path, rate
from tests.sync.scripted import Rule, ScriptedProvince

ENROLL = "/devices/enroll"


def test_enrols_with_its_own_id_and_then_sends_what_waited(
    scripted: ScriptedProvince, start_uplink: StartUplink, ledger: Ledger
) -> None:
    rate(ledger, "EARLY00001")  # made before enrolment: it waits in the queue
    rate(ledger, "EARLY00002")
    code = scripted.store.issue_code(HALL, WINDOW)
    uplink = start_uplink(scripted.url, enroll_code=code)
    uplink.wait(lambda: uplink.recorder.secrets != [])
    uplink.wait_drained()

    (request,) = scripted.seen("POST", ENROLL)
    body = json.loads(request.body)
    assert body["deviceId"] == ledger.device_id
    assert body["enrollCode"] == code
    assert "x-hcp-signature" not in request.headers  # enrolment is unsigned
    device = scripted.store.device(ledger.device_id)
    assert device is not None
    assert (device.hall_code, device.window_no) == (HALL, WINDOW)
    assert ledger.device_secret() == device.secret == uplink.recorder.secrets[0]
    assert scripted.store.accepted_seq(ledger.device_id) == 2
    assert uplink.recorder.states[:2] == ["enrolling", "online"]


def test_a_lost_enrolment_answer_is_retried_safely(
    scripted: ScriptedProvince, start_uplink: StartUplink, ledger: Ledger
) -> None:
    code = scripted.store.issue_code(HALL, WINDOW)
    scripted.add(Rule("POST", ENROLL, drop=True))  # enrolled at the province, the answer lost on the way
    uplink = start_uplink(scripted.url, enroll_code=code)
    uplink.wait(lambda: uplink.recorder.secrets != [])

    first, second = scripted.seen("POST", ENROLL)
    assert (first.status, second.status) == (0, 201)
    assert json.loads(first.body) == json.loads(second.body)  # the same code and deviceId
    device = scripted.store.device(ledger.device_id)
    assert device is not None
    assert ledger.device_secret() == device.secret
    uplink.rate("AFTERLOST1")
    uplink.wait_drained()
    assert scripted.store.accepted_count(ledger.device_id) == 1


@pytest.mark.parametrize("kind", ["unknown", "used"])
def test_a_refused_code_blocks_until_a_new_code_is_set(
    scripted: ScriptedProvince, start_uplink: StartUplink, ledger: Ledger, kind: str
) -> None:
    if kind == "unknown":
        code = "ZZZZ-ZZZZ"
    else:
        code = scripted.store.issue_code(HALL, WINDOW)
        scripted.store.enroll(code, "P-ANOTHERPAD00001")
    monotonic = FakeMonotonic()
    uplink = start_uplink(scripted.url, enroll_code=code, monotonic=monotonic)
    recorder = uplink.recorder
    uplink.wait(lambda: "blocked" in recorder.states)
    alerts = recorder.alert_texts("uplink")
    assert len(alerts) == 1
    assert "enroll_code_invalid" in str(alerts[0])
    # Many backoff caps later, and woken each time: still the one attempt; the code is not tried again.
    for _ in range(3):
        monotonic.advance(10 * fast_backoff().cap_s)
        uplink.worker.wake()
        # It looked again and is blocked (had it tried the code, "enrolling" would come between).
        uplink.wait(
            lambda before=recorder.reports: recorder.reports > before and recorder.states[-1] == "blocked"
        )
    assert len(scripted.seen("POST", ENROLL)) == 1
    assert ledger.device_secret() is None

    uplink.worker.set_enroll_code(scripted.store.issue_code(HALL, WINDOW))
    uplink.wait(lambda: recorder.secrets != [])
    uplink.wait(lambda: recorder.alert_texts("uplink")[-1] is None)
    assert [s.status for s in scripted.seen("POST", ENROLL)] == [403, 201]
    uplink.wait(lambda: recorder.states[-1] == "online")


def test_the_secret_is_stored_encrypted_and_never_logged(
    scripted: ScriptedProvince,
    start_uplink: StartUplink,
    ledger: Ledger,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level("DEBUG")
    code = scripted.store.issue_code(HALL, WINDOW)
    uplink = start_uplink(scripted.url, enroll_code=code)
    uplink.wait(lambda: uplink.recorder.secrets != [])
    uplink.rate("SECRET0001")
    uplink.wait_drained()

    secret = ledger.device_secret()
    assert secret is not None
    forms = [secret, base64.b64encode(secret), secret.hex().encode()]
    stored = (ledger.get_meta("device_secret") or "").encode()
    assert stored
    assert not any(form in stored for form in forms)
    data_dir = Path(ledger_path(ledger)).parent
    for path in data_dir.rglob("*"):
        if path.is_file():
            content = path.read_bytes()
            assert not any(form in content for form in forms), path.name
    assert not any(form.decode("latin-1") in caplog.text for form in forms)
