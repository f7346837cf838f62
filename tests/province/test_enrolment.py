"""Enrolment (uplink-api.md "Device identity and enrolment") and enrolment codes."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest

from province.errors import UnknownWindowError
from province.server import SandboxServer
from province.store import SandboxStore, issue_code, revoke_device
from tests.province.helpers import HALL, WINDOW, DeviceClient, enrol, new_device_id

CODE_FORM = re.compile(r"[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{4}-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{4}")


def test_enrolment_answers_a_secret_and_the_config_version(sandbox: SandboxServer) -> None:
    code = sandbox.store.issue_code(HALL, WINDOW)
    device_id = new_device_id()

    answer = enrol(sandbox.url, code, device_id)

    assert answer.status_code == 201
    body = answer.json()
    assert set(body) == {"deviceId", "deviceSecret", "configVersion"}
    assert body["deviceId"] == device_id
    key = base64.b64decode(body["deviceSecret"], validate=True)
    assert len(key) == 32
    # The secret signs: the enrolled device reads its config, whose version the enrolment announced.
    config = DeviceClient(sandbox.url, device_id, key).request("GET", f"/devices/{device_id}/config")
    assert config.status_code == 200
    assert config.json()["configVersion"] == body["configVersion"]
    device = sandbox.store.device(device_id)
    assert device is not None
    assert (device.hall_code, device.window_no, device.revoked) == (HALL, WINDOW, False)


def test_the_same_code_and_device_again_gets_the_same_answer(sandbox: SandboxServer) -> None:
    code, device_id = sandbox.store.issue_code(HALL, WINDOW), new_device_id()
    first = enrol(sandbox.url, code, device_id)
    again = enrol(sandbox.url, code, device_id)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()


def test_codes_are_typed_leniently(sandbox: SandboxServer) -> None:
    code = sandbox.store.issue_code(HALL, WINDOW)
    assert enrol(sandbox.url, f"  {code.lower()} ", new_device_id()).status_code == 201


def test_a_used_code_is_refused_to_another_device(sandbox: SandboxServer) -> None:
    code = sandbox.store.issue_code(HALL, WINDOW)
    assert enrol(sandbox.url, code, new_device_id()).status_code == 201

    answer = enrol(sandbox.url, code, new_device_id())

    assert answer.status_code == 403
    assert answer.json()["error"]["code"] == "enroll_code_invalid"


def test_an_unknown_code_is_refused(sandbox: SandboxServer) -> None:
    answer = enrol(sandbox.url, "ZZZZ-ZZZZ", new_device_id())
    assert answer.status_code == 403
    assert answer.json()["error"]["code"] == "enroll_code_invalid"


def test_a_device_id_enrolled_at_another_window_is_taken(sandbox: SandboxServer) -> None:
    device_id = new_device_id()
    assert enrol(sandbox.url, sandbox.store.issue_code(HALL, WINDOW), device_id).status_code == 201
    other_window = sandbox.store.issue_code(HALL, "B03")

    answer = enrol(sandbox.url, other_window, device_id)

    assert answer.status_code == 409
    assert answer.json()["error"]["code"] == "device_id_taken"
    # The refused code is not spent: another device can still use it.
    assert enrol(sandbox.url, other_window, new_device_id()).status_code == 201


def test_a_new_code_for_the_same_window_rekeys_the_device(sandbox: SandboxServer) -> None:
    device_id = new_device_id()
    first = enrol(sandbox.url, sandbox.store.issue_code(HALL, WINDOW), device_id)
    sandbox.store.revoke_device(device_id)

    second = enrol(sandbox.url, sandbox.store.issue_code(HALL, WINDOW), device_id)

    assert second.status_code == 201
    assert second.json()["deviceSecret"] != first.json()["deviceSecret"]
    device = sandbox.store.device(device_id)
    assert device is not None and not device.revoked


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"deviceId": "P-1"}, "enrollCode"),
        ({"enrollCode": "K7Q2-9XDM"}, "deviceId"),
        ({"enrollCode": "K7Q2-9XDM", "deviceId": "P_1"}, "deviceId"),
        ({"enrollCode": "K7Q2-9XDM", "deviceId": "P" * 65}, "deviceId"),
        ({"enrollCode": "K7Q2-9XDM", "deviceId": "P-1", "hardware": []}, "hardware"),
    ],
)
def test_a_malformed_enrolment_is_400(sandbox: SandboxServer, body: dict[str, object], field: str) -> None:
    answer = DeviceClient(sandbox.url, "x", b"").http.post(f"{sandbox.url}/devices/enroll", json=body)
    assert answer.status_code == 400
    assert answer.json()["error"]["field"] == field


def test_a_body_that_is_not_json_is_400(sandbox: SandboxServer) -> None:
    answer = DeviceClient(sandbox.url, "x", b"").http.post(f"{sandbox.url}/devices/enroll", data=b"{nope")
    assert (answer.status_code, answer.json()["error"]["code"]) == (400, "invalid_json")


def test_codes_from_a_file_and_for_unknown_windows(tmp_path: Path) -> None:
    path = tmp_path / "sandbox.sqlite3"
    codes = {issue_code(path, HALL, WINDOW) for _ in range(20)}
    assert len(codes) == 20
    assert all(CODE_FORM.fullmatch(code) for code in codes)
    with pytest.raises(UnknownWindowError):
        issue_code(path, HALL, "Z99")
    with pytest.raises(UnknownWindowError):
        issue_code(path, "000000-NONE", WINDOW)


def test_revoke_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "sandbox.sqlite3"
    with SandboxStore(path) as store:
        store.add_device("P-REVOKE", HALL, WINDOW)
    assert revoke_device(path, "P-REVOKE")
    assert not revoke_device(path, "P-UNKNOWN")
    with SandboxStore(path) as store:
        device = store.device("P-REVOKE")
        assert device is not None and device.revoked


def test_sandbox_endpoints_issue_codes_and_revoke(sandbox: SandboxServer) -> None:
    http = DeviceClient(sandbox.url, "x", b"").http
    issued = http.post(f"{sandbox.url}/sandbox/enroll-codes", json={"hall": HALL, "window": WINDOW})
    assert issued.status_code == 201
    device_id = new_device_id()
    assert enrol(sandbox.url, issued.json()["code"], device_id).status_code == 201
    assert http.post(f"{sandbox.url}/sandbox/devices/{device_id}/revoke").status_code == 200
    device = sandbox.store.device(device_id)
    assert device is not None and device.revoked
    unknown = http.post(f"{sandbox.url}/sandbox/enroll-codes", json={"hall": HALL, "window": "Z99"})
    assert (unknown.status_code, unknown.json()["error"]["code"]) == (404, "unknown_window")
