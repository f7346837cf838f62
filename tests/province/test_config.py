"""The device's configuration (`GET /devices/{deviceId}/config`), its ETag and 304."""

from __future__ import annotations

import base64
from datetime import date
from typing import Any

import pytest

from province.halls import StaffMember
from province.notices import Notice
from province.openapi import DeviceConfig
from province.server import SandboxServer
from tests.province.conftest import enrolled_device
from tests.province.helpers import DeviceClient

ALL_CURRENT = {
    "5": [str(code) for code in range(510, 518)],
    "4": [str(code) for code in range(406, 414)],
    "3": [str(code) for code in range(307, 315)],
    "2": [str(code) for code in range(207, 215)],
    "1": [str(code) for code in range(108, 116)],
}


def _config(device: DeviceClient, **headers: str) -> Any:
    return device.request("GET", f"/devices/{device.device_id}/config", headers=headers)


def test_the_config_has_the_spec_shape(sandbox: SandboxServer, device: DeviceClient) -> None:
    answer = _config(device)

    assert answer.status_code == 200
    config = answer.json()
    assert list(config) == [
        "configVersion",
        "hall",
        "window",
        "staff",
        "reasons",
        "certTypes",
        "settings",
        "notices",
    ]
    assert config["hall"] == {"code": "350102-ZWFW", "name": "鼓楼区政务服务中心", "areaCode": "350102"}
    assert config["window"] == {
        "no": "A07",
        "deptCode": "11350102003622411H",
        "deptName": "鼓楼区市场监督管理局",
    }
    DeviceConfig.model_validate(config)


def test_the_staff_roster(device: DeviceClient) -> None:
    staff = _config(device).json()["staff"]
    assert len(staff) >= 3
    assert staff[0] == {
        "staffId": "S1024",
        "name": "林晓",
        "title": "综合窗口受理员",
        "photo": staff[0]["photo"],
    }
    assert base64.b64decode(staff[0]["photo"]).startswith(b"\x89PNG\r\n\x1a\n")
    assert all(set(member) == {"staffId", "name", "title"} for member in staff[1:])


def test_the_reasons_are_the_current_national_set(device: DeviceClient) -> None:
    reasons = _config(device).json()["reasons"]
    assert reasons["version"]
    assert {level: [r["code"] for r in items] for level, items in reasons["levels"].items()} == ALL_CURRENT
    assert reasons["levels"]["5"][0] == {"code": "510", "text": "一窗受理一次办结"}
    assert reasons["levels"]["5"][7] == {"code": "517", "text": "服务热情效率高"}
    assert reasons["levels"]["1"][7] == {"code": "115", "text": "服务态度差效率低"}


def test_the_default_certificate_types(device: DeviceClient) -> None:
    assert _config(device).json()["certTypes"] == [
        {"code": "111", "name": "居民身份证"},
        {"code": "414", "name": "普通护照"},
        {"code": "516", "name": "港澳居民来往内地通行证"},
        {"code": "511", "name": "台湾居民来往大陆通行证"},
        {"code": "001", "name": "统一社会信用代码"},
        {"code": "990", "name": "其他"},
    ]


def test_the_settings(sandbox: SandboxServer, device: DeviceClient) -> None:
    assert _config(device).json()["settings"] == {
        "rateTimeoutS": 60,
        "defaultAfterDays": 7,
        "qrUrlTemplate": f"{sandbox.public_url}/m/evaluate?d={{deviceId}}&p={{projectNo}}&t={{token}}",
        "heartbeatS": 60,
    }


def test_the_etag_is_the_config_version_and_gets_304(device: DeviceClient) -> None:
    first = _config(device)
    version = first.json()["configVersion"]
    assert first.headers["ETag"] == f'"{version}"'

    unchanged = _config(device, **{"If-None-Match": f'"{version}"'})
    weak = _config(device, **{"If-None-Match": f'"other", W/"{version}"'})
    stale = _config(device, **{"If-None-Match": '"0000000000000000"'})

    assert (unchanged.status_code, unchanged.content) == (304, b"")
    assert unchanged.headers["ETag"] == f'"{version}"'
    assert weak.status_code == 304
    assert stale.status_code == 200


def test_a_change_at_the_window_changes_the_version(start_sandbox: Any) -> None:
    server: SandboxServer = start_sandbox()
    device = enrolled_device(server, window="B03")
    before = _config(device).json()["configVersion"]

    server.store.add_staff("350102-ZWFW", "B03", StaffMember("S9001", "周敏", "综合窗口受理员"))
    after = _config(device, **{"If-None-Match": f'"{before}"'})

    assert after.status_code == 200
    assert after.json()["configVersion"] != before
    assert after.json()["staff"][-1] == {"staffId": "S9001", "name": "周敏", "title": "综合窗口受理员"}
    server.store.set_setting("350102-ZWFW", "heartbeatS", 30)
    assert _config(device).json()["settings"]["heartbeatS"] == 30


def test_configs_differ_per_window(sandbox: SandboxServer, device: DeviceClient) -> None:
    other = enrolled_device(sandbox, window="D12")
    config = _config(other).json()
    assert config["window"]["no"] == "D12"
    assert config["configVersion"] != _config(device).json()["configVersion"]


def test_a_device_cannot_read_another_devices_config(sandbox: SandboxServer, device: DeviceClient) -> None:
    other = enrolled_device(sandbox)
    answer = device.request("GET", f"/devices/{other.device_id}/config")
    assert (answer.status_code, answer.json()["error"]["code"]) == (403, "device_mismatch")


def test_an_unknown_setting_is_refused(sandbox: SandboxServer) -> None:
    with pytest.raises(ValueError, match="volume"):
        sandbox.store.set_setting("350102-ZWFW", "volume", 3)


def test_the_sandbox_carries_two_made_up_notices(device: DeviceClient) -> None:
    notices = _config(device).json()["notices"]
    assert [notice["id"] for notice in notices] == ["N-2026-001", "N-2026-002"]
    assert list(notices[0]) == ["id", "title", "body", "image", "from", "until"]
    assert list(notices[1]) == ["id", "title", "body", "from", "until"]
    assert base64.b64decode(notices[0]["image"]).startswith(b"\x89PNG\r\n\x1a\n")
    for notice in notices:
        assert notice["title"]
        assert notice["body"]
        assert date.fromisoformat(notice["from"]) <= date.fromisoformat(notice["until"])


def test_the_notices_change_the_version(start_sandbox: Any) -> None:
    server: SandboxServer = start_sandbox()
    device = enrolled_device(server)
    before = _config(device).json()["configVersion"]

    server.store.set_notices(
        "350102-ZWFW",
        [Notice("N-9", "元旦假期安排", "1月1日休息，1月2日起正常办公。", "2026-12-20", "2027-01-02")],
    )
    after = _config(device, **{"If-None-Match": f'"{before}"'})

    assert after.status_code == 200
    assert after.headers["ETag"] == f'"{after.json()["configVersion"]}"'
    assert after.json()["configVersion"] != before
    assert after.json()["notices"] == [
        {
            "id": "N-9",
            "title": "元旦假期安排",
            "body": "1月1日休息，1月2日起正常办公。",
            "from": "2026-12-20",
            "until": "2027-01-02",
        }
    ]
    server.store.set_notices("350102-ZWFW", [])
    assert _config(device).json()["notices"] == []


@pytest.mark.parametrize(
    "notices",
    [
        [Notice("N-1", "t", "b", "2026-1-1", "2026-12-31")],
        [Notice("N-1", "t", "b", "2026-12-31", "2026-01-01")],
        [
            Notice("N-1", "t", "b", "2026-01-01", "2026-12-31"),
            Notice("N-1", "u", "c", "2026-01-01", "2026-12-31"),
        ],
    ],
)
def test_malformed_notices_are_refused(sandbox: SandboxServer, notices: list[Notice]) -> None:
    with pytest.raises(ValueError, match=r"notice|id"):
        sandbox.store.set_notices("350102-ZWFW", notices)
