"""Finding cases for a self-service terminal (uplink-api.md "Finding cases"), against a real sandbox."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
import requests

from province.lookup import mask_name
from province.openapi import LookupAnswer
from province.server import SandboxServer
from tests.helpers.people import resident_id
from tests.province.conftest import FakeClock, enrolled_device
from tests.province.helpers import DeviceClient, new_project_no

CHINA = timezone(timedelta(hours=8))
NOW = datetime(2026, 12, 4, 10, 0, tzinfo=CHINA)
LIN = {
    "name": "林小梅",
    "userProp": "1",
    "certType": "111",
    "certNo": resident_id("350104", "19850607", "031"),
}
LIN_MOBILE = "13800138021"


def at(days: float) -> str:
    """A time `days` before NOW, as the uplink writes times."""
    return (NOW - timedelta(days=days)).isoformat()


@pytest.fixture
def server(start_sandbox: Callable[..., SandboxServer]) -> SandboxServer:
    """A sandbox of the test's own, its clock held at NOW."""
    return start_sandbox(clock=FakeClock(NOW.timestamp()))


@pytest.fixture
def terminal(server: SandboxServer) -> DeviceClient:
    return enrolled_device(server)


def report(server: SandboxServer, accepted_days_ago: float, applicant: dict[str, Any], **fields: Any) -> str:
    """A 办件 reported as the case system would; its projectNo."""
    project_no = fields.pop("projectNo", new_project_no())
    body = {
        "projectNo": project_no,
        "taskCode": "1135000000359143343350111002000",
        "taskName": "个体工商户设立登记",
        "acceptTime": at(accepted_days_ago),
        "applicant": applicant,
        **fields,
    }
    answer = requests.post(f"{server.url}/projects", json=body, timeout=10)
    assert answer.status_code == 201, answer.text
    return project_no


def lookup(terminal: DeviceClient, body: Any) -> requests.Response:
    return terminal.request("POST", f"/devices/{terminal.device_id}/lookup", body)


def by_cert(cert_no: str) -> dict[str, str]:
    return {"by": "cert", "certType": "111", "certNo": cert_no}


def cases_of(answer: requests.Response) -> list[dict[str, Any]]:
    assert answer.status_code == 200, answer.text
    cases: list[dict[str, Any]] = answer.json()["cases"]
    return cases


def test_a_rateable_case_by_id_card(server: SandboxServer, terminal: DeviceClient) -> None:
    project_no = report(
        server,
        1,
        {**LIN, "mobile": LIN_MOBILE},
        finishTime=at(0.9),
        deptCode="11350102003622411H",
        deptName="鼓楼区市场监督管理局",
        windowNo="A07",
        staffId="S1024",
        staffName="林晓",
    )
    answer = lookup(terminal, by_cert(LIN["certNo"]))
    assert cases_of(answer) == [
        {
            "projectNo": project_no,
            "taskCode": "1135000000359143343350111002000",
            "taskName": "个体工商户设立登记",
            "deptCode": "11350102003622411H",
            "deptName": "鼓楼区市场监督管理局",
            "acceptTime": at(1),
            "finishTime": at(0.9),
            "windowNo": "A07",
            "staffId": "S1024",
            "staffName": "林晓",
            "state": "rateable",
            "applicant": {**LIN, "mobile": LIN_MOBILE},
        }
    ]
    LookupAnswer.model_validate(answer.json())


def test_states_order_and_reach(server: SandboxServer, terminal: DeviceClient) -> None:
    person = {**LIN, "certNo": resident_id("350104", "19900202", "114")}
    rateable = report(server, 2, person)
    rated = report(server, 3, person)
    requests.post(
        f"{server.url}/projects/{rated}/evaluation", json={"satisfaction": 5, "pf": "3"}, timeout=10
    )
    expired = report(server, 10, person, finishTime=at(8))
    finished_late = report(server, 12, person, finishTime=at(6))  # rateable: its window runs from finishTime
    report(server, 31, person)  # beyond the 30 days
    report(server, 1, {**person, "certNo": resident_id("350104", "19900202", "122")})  # someone else

    cases = cases_of(lookup(terminal, by_cert(person["certNo"])))

    assert [(case["projectNo"], case["state"]) for case in cases] == [
        (rateable, "rateable"),
        (rated, "rated"),
        (expired, "expired"),
        (finished_late, "rateable"),
    ]
    for case in cases:
        if case["state"] == "rateable":
            assert case["applicant"]["certNo"] == person["certNo"]
            assert "applicantName" not in case
        else:
            assert case["applicantName"] == "林*梅"
            assert "applicant" not in case


def test_the_window_is_the_halls_default_after_days(server: SandboxServer, terminal: DeviceClient) -> None:
    person = {**LIN, "certNo": resident_id("350104", "19900202", "130")}
    project_no = report(server, 5, person)
    assert cases_of(lookup(terminal, by_cert(person["certNo"])))[0]["state"] == "rateable"
    server.store.set_setting("350102-ZWFW", "defaultAfterDays", 3)
    assert cases_of(lookup(terminal, by_cert(person["certNo"])))[0] == {
        **cases_of(lookup(terminal, by_cert(person["certNo"])))[0],
        "projectNo": project_no,
        "state": "expired",
    }


def test_at_most_20_newest_first(server: SandboxServer, terminal: DeviceClient) -> None:
    person = {**LIN, "certNo": resident_id("350104", "19900202", "149")}
    made = [report(server, day, person) for day in range(22)]
    cases = cases_of(lookup(terminal, by_cert(person["certNo"])))
    assert [case["projectNo"] for case in cases] == made[:20]


def test_a_lowercase_x_finds_the_same_cases(server: SandboxServer, terminal: DeviceClient) -> None:
    cert_no = next(
        resident_id("350104", "19900202", f"{n:03d}")
        for n in range(1000)
        if resident_id("350104", "19900202", f"{n:03d}").endswith("X")
    )
    project_no = report(server, 1, {**LIN, "certNo": cert_no.lower()})
    assert [case["projectNo"] for case in cases_of(lookup(terminal, by_cert(cert_no)))] == [project_no]
    assert [case["projectNo"] for case in cases_of(lookup(terminal, by_cert(cert_no.lower())))] == [
        project_no
    ]


@pytest.mark.parametrize("check", ["cert", "mobile"])
def test_by_project_and_check(server: SandboxServer, terminal: DeviceClient, check: str) -> None:
    project_no = report(server, 1, {**LIN, "mobile": LIN_MOBILE})
    digits = LIN["certNo"][-4:] if check == "cert" else LIN_MOBILE[-4:]
    cases = cases_of(lookup(terminal, {"by": "project", "projectNo": project_no, "check": digits}))
    assert [(case["projectNo"], case["state"]) for case in cases] == [(project_no, "rateable")]
    assert cases[0]["applicant"]["mobile"] == LIN_MOBILE


def test_a_wrong_check_answers_as_an_unknown_project(server: SandboxServer, terminal: DeviceClient) -> None:
    project_no = report(server, 1, {**LIN, "mobile": LIN_MOBILE})
    wrong = lookup(terminal, {"by": "project", "projectNo": project_no, "check": "0000"})
    unknown = lookup(terminal, {"by": "project", "projectNo": new_project_no(), "check": LIN["certNo"][-4:]})
    assert (
        (wrong.status_code, wrong.content) == (unknown.status_code, unknown.content) == (200, b'{"cases":[]}')
    )
    assert wrong.headers.keys() == unknown.headers.keys()
    assert wrong.headers["content-length"] == unknown.headers["content-length"]


def test_a_project_without_an_applicant_is_never_found(server: SandboxServer, terminal: DeviceClient) -> None:
    project_no = report(server, 1, {})
    assert cases_of(lookup(terminal, {"by": "project", "projectNo": project_no, "check": "0000"})) == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "by"),
        ({"by": "name"}, "by"),
        ({"by": "cert", "certNo": LIN["certNo"]}, "certType"),
        ({"by": "cert", "certType": "999", "certNo": LIN["certNo"]}, "certType"),
        ({"by": "cert", "certType": "111"}, "certNo"),
        ({"by": "cert", "certType": "111", "certNo": LIN["certNo"][:17] + "0"}, "certNo"),
        ({"by": "cert", "certType": "414", "certNo": " E1234567"}, "certNo"),
        ({"by": "cert", "certType": "111", "certNo": 350104}, "certNo"),
        ({"by": "project", "check": "1234"}, "projectNo"),
        ({"by": "project", "projectNo": "3501 02", "check": "1234"}, "projectNo"),
        ({"by": "project", "projectNo": "P1", "check": "123"}, "check"),
        ({"by": "project", "projectNo": "P1", "check": "12 4"}, "check"),
        ({"by": "project", "projectNo": "P1", "check": "1234", "certNo": "x"}, "certNo"),
        ([], "body"),
    ],
)
def test_a_malformed_body_is_422_naming_the_field(terminal: DeviceClient, body: Any, field: str) -> None:
    answer = lookup(terminal, body)
    assert answer.status_code == 422
    assert answer.json()["error"]["code"] == "invalid_field"
    assert answer.json()["error"]["field"] == field
    assert LIN["certNo"] not in answer.text


def test_a_body_that_is_not_json_is_422(terminal: DeviceClient) -> None:
    answer = terminal.request("POST", f"/devices/{terminal.device_id}/lookup", body=b"by=cert")
    assert (answer.status_code, answer.json()["error"]["field"]) == (422, "body")


def test_10_lookups_that_found_nothing_within_a_minute_then_429(
    server: SandboxServer, terminal: DeviceClient
) -> None:
    clock = server.store.clock
    assert isinstance(clock, FakeClock)
    project_no = report(server, 1, {**LIN, "mobile": LIN_MOBILE})
    found = {"by": "project", "projectNo": project_no, "check": LIN_MOBILE[-4:]}
    for guess in range(10):
        assert len(cases_of(lookup(terminal, found))) == 1  # a look-up that finds something does not count
        assert cases_of(lookup(terminal, {**found, "check": f"{guess:04d}"})) == []
        clock.now += 1

    refused = lookup(terminal, found)  # refused before it is looked up, even with the right check
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "too_many_lookups"
    assert refused.headers["Retry-After"] == "50"  # the first miss was 10 s ago

    other = enrolled_device(server)  # the limit is per device
    assert len(cases_of(lookup(other, found))) == 1

    clock.now += 49
    assert lookup(terminal, found).status_code == 429
    assert lookup(terminal, found).headers["Retry-After"] == "1"
    clock.now += 1  # the first miss is a minute old: 9 within the minute
    assert len(cases_of(lookup(terminal, found))) == 1
    assert cases_of(lookup(terminal, {**found, "check": "9999"})) == []
    assert lookup(terminal, found).status_code == 429


def test_a_lookup_is_signed_by_the_device_itself(server: SandboxServer, terminal: DeviceClient) -> None:
    other = enrolled_device(server)
    answer = terminal.request("POST", f"/devices/{other.device_id}/lookup", by_cert(LIN["certNo"]))
    assert (answer.status_code, answer.json()["error"]["code"]) == (403, "device_mismatch")
    unsigned = requests.post(
        f"{server.url}/devices/{terminal.device_id}/lookup", json=by_cert(LIN["certNo"]), timeout=10
    )
    assert (unsigned.status_code, unsigned.json()["error"]["code"]) == (401, "bad_signature")


def test_nothing_of_the_applicant_reaches_the_sandbox_log(
    server: SandboxServer, terminal: DeviceClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    report(server, 1, {**LIN, "mobile": LIN_MOBILE})
    lookup(terminal, by_cert(LIN["certNo"]))
    lookup(terminal, {"by": "project", "projectNo": "P1", "check": LIN["certNo"][-4:]})
    assert "look-up by cert" in caplog.text
    for secret in (LIN["certNo"], LIN["name"], LIN_MOBILE):
        assert secret not in caplog.text


@pytest.mark.parametrize(
    ("name", "masked"), [("林小梅", "林*梅"), ("陈明", "陈*"), ("欧阳娜娜", "欧**娜"), ("李", "*"), ("", "")]
)
def test_names_are_masked_per_r3(name: str, masked: str) -> None:
    assert mask_name(name) == masked


def test_a_project_report_with_a_finish_before_its_acceptance_is_400(server: SandboxServer) -> None:
    body = {"projectNo": "P-ORDER", "acceptTime": at(1), "finishTime": at(2)}
    answer = requests.post(f"{server.url}/projects", json=body, timeout=10)
    assert (answer.status_code, answer.json()["error"]["field"]) == (400, "finishTime")
