"""办件 status (`GET /projects/{projectNo}/evaluation`) and the sandbox's stand-ins for other systems."""

from __future__ import annotations

import pytest
import requests

from province.server import SandboxServer
from tests.province.helpers import DeviceClient, new_project_no


def test_an_unrated_project(device: DeviceClient) -> None:
    answer = device.request("GET", f"/projects/{new_project_no()}/evaluation")
    assert (answer.status_code, answer.json()) == (200, {"rated": False})


def test_a_project_reported_by_the_case_system_is_not_yet_rated(
    sandbox: SandboxServer, device: DeviceClient
) -> None:
    project_no = new_project_no()
    report = {
        "projectNo": project_no,
        "taskCode": "1135000000359143343350111002000",
        "taskName": "个体工商户设立登记",
        "acceptTime": "2026-11-27T09:12:00+08:00",
        "applicant": {"userName": "陈明", "userProp": "1", "certType": "111", "certNo": "350102199001011238"},
    }
    assert requests.post(f"{sandbox.url}/projects", json=report, timeout=10).status_code == 201
    assert device.request("GET", f"/projects/{project_no}/evaluation").json() == {"rated": False}


def test_a_rating_from_another_channel(sandbox: SandboxServer, device: DeviceClient) -> None:
    project_no = new_project_no()
    rating = {"satisfaction": 2, "pf": "3", "evalDetail": ["213"], "assessTime": "2026-11-28T10:00:00+08:00"}

    made = requests.post(f"{sandbox.url}/projects/{project_no}/evaluation", json=rating, timeout=10)
    answer = device.request("GET", f"/projects/{project_no}/evaluation")

    expected = {"rated": True, "satisfaction": 2, "pf": "3", "assessTime": "2026-11-28T10:00:00+08:00"}
    assert (made.status_code, made.json()) == (201, expected)
    assert answer.json() == expected
    again = requests.post(f"{sandbox.url}/projects/{project_no}/evaluation", json=rating, timeout=10)
    assert (again.status_code, again.json()["error"]["code"]) == (409, "already_rated")


def test_a_rating_from_another_channel_defaults_to_now(sandbox: SandboxServer, device: DeviceClient) -> None:
    project_no = new_project_no()
    requests.post(
        f"{sandbox.url}/projects/{project_no}/evaluation", json={"satisfaction": 5, "pf": "2"}, timeout=10
    )
    answer = device.request("GET", f"/projects/{project_no}/evaluation").json()
    assert answer["assessTime"].endswith("+08:00")


def test_a_device_rating_is_the_projects_rating(sandbox: SandboxServer, device: DeviceClient) -> None:
    record = device.chain.next(satisfaction=4, pf="4", evalDetail=[])
    device.results(record)

    answer = device.request("GET", f"/projects/{record['projectNo']}/evaluation")

    assert answer.json() == {"rated": True, "satisfaction": 4, "pf": "4", "assessTime": record["assessTime"]}
    later = requests.post(
        f"{sandbox.url}/projects/{record['projectNo']}/evaluation",
        json={"satisfaction": 1, "pf": "3"},
        timeout=10,
    )
    assert later.status_code == 409


def test_a_rejected_device_record_does_not_rate_the_project(device: DeviceClient) -> None:
    record = device.chain.next(mobile="1")
    assert device.results(record)[0]["status"] == "rejected"
    assert device.request("GET", f"/projects/{record['projectNo']}/evaluation").json() == {"rated": False}


@pytest.mark.parametrize(
    "rating",
    [
        {"satisfaction": 0, "pf": "3"},
        {"satisfaction": 5, "pf": "8"},
        {"satisfaction": 5, "pf": {}},
        {"satisfaction": 5, "pf": "3", "evalDetail": ["207"]},
        {"satisfaction": 5, "pf": "3", "assessTime": "yesterday"},
    ],
)
def test_a_malformed_other_channel_rating_is_400(sandbox: SandboxServer, rating: dict[str, object]) -> None:
    answer = requests.post(f"{sandbox.url}/projects/{new_project_no()}/evaluation", json=rating, timeout=10)
    assert (answer.status_code, answer.json()["error"]["code"]) == (400, "invalid_field")


def test_a_malformed_project_report_is_400(sandbox: SandboxServer) -> None:
    answer = requests.post(f"{sandbox.url}/projects", json={"projectNo": "P1"}, timeout=10)
    assert (answer.status_code, answer.json()["error"]["field"]) == (400, "acceptTime")
