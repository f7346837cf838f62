"""UplinkClient.lookup against a real sandbox on loopback: cases parsed, refusals kept free of personal data."""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import requests

from kiosk.devices.card_reader_simulator import made_up_card
from kiosk.domain.cases import CaseQuery, CaseState
from kiosk.domain.validation import Applicant
from kiosk.sync.client import UplinkClient, UplinkError, UplinkUnreachable
from province.server import SandboxServer
from tests.helpers.people import resident_id

CHINA = timezone(timedelta(hours=8))
CERT_NO = resident_id("350104", "19850607", "031")
MOBILE = "13800138021"
APPLICANT = {"name": "林小梅", "userProp": "1", "certType": "111", "certNo": CERT_NO, "mobile": MOBILE}
# The sandbox and the client both run on the real clock: the client signs with its own time, whichever way
# it is told the province's.
NOW = datetime.now(CHINA).replace(microsecond=0)


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[SandboxServer]:
    server = SandboxServer(tmp_path / "sandbox.sqlite3")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def client(sandbox: SandboxServer) -> Iterator[UplinkClient]:
    secret = sandbox.store.add_device("T-TERMINAL-0001", "350102-ZWFW", "C01")
    made = UplinkClient(sandbox.url, "T-TERMINAL-0001", lambda: secret, timeout_s=5)
    yield made
    made.close()


def report(sandbox: SandboxServer, project_no: str, days_ago: float, **fields: str) -> None:
    body = {
        "projectNo": project_no,
        "taskCode": "1135000000359143343350111002000",
        "taskName": "个体工商户设立登记",
        "acceptTime": (NOW - timedelta(days=days_ago)).isoformat(),
        "applicant": APPLICANT,
        **fields,
    }
    assert requests.post(f"{sandbox.url}/projects", json=body, timeout=10).status_code == 201


def test_a_card_finds_its_rateable_case(sandbox: SandboxServer, client: UplinkClient) -> None:
    report(
        sandbox,
        "P-CARD-1",
        1,
        finishTime=(NOW - timedelta(hours=20)).isoformat(),
        windowNo="C01",
        staffId="S3012",
    )
    report(sandbox, "P-CARD-0", 9)

    result = client.lookup(CaseQuery.by_card(made_up_card(CERT_NO, "林小梅", "2")))

    assert result.left_out == 0
    first, second = result.cases
    assert (first.project_no, first.state, first.window_no, first.staff_id) == (
        "P-CARD-1",
        CaseState.RATEABLE,
        "C01",
        "S3012",
    )
    assert first.finish_time == (NOW - timedelta(hours=20)).isoformat()
    assert first.applicant == Applicant("林小梅", "1", "111", CERT_NO, MOBILE)
    assert CERT_NO not in repr(first)
    assert (second.project_no, second.state, second.applicant, second.applicant_name) == (
        "P-CARD-0",
        CaseState.EXPIRED,
        None,
        "林*梅",
    )


def test_a_receipt_and_its_check(sandbox: SandboxServer, client: UplinkClient) -> None:
    report(sandbox, "P-RECEIPT-1", 2)
    found = client.lookup(CaseQuery.by_project("P-RECEIPT-1", MOBILE[-4:]))
    assert [case.project_no for case in found.cases] == ["P-RECEIPT-1"]
    assert client.lookup(CaseQuery.by_project("P-RECEIPT-1", "0000")).cases == []


def test_too_many_lookups_carries_retry_after(client: UplinkClient) -> None:
    for guess in range(10):
        assert client.lookup(CaseQuery.by_project("P-NOWHERE", f"{guess:04d}")).cases == []
    with pytest.raises(UplinkError) as raised:
        client.lookup(CaseQuery.by_project("P-NOWHERE", "1238"))
    assert (raised.value.status, raised.value.code, raised.value.retry_after) == (
        429,
        "too_many_lookups",
        60.0,
    )


def test_a_refusal_names_the_field_and_nothing_of_the_query(client: UplinkClient) -> None:
    wrong = CERT_NO[:17] + ("0" if CERT_NO[17] != "0" else "1")
    with pytest.raises(UplinkError) as raised:
        client.lookup(CaseQuery("cert", cert_type="111", cert_no=wrong))
    assert (raised.value.status, raised.value.code) == (422, "invalid_field")
    assert raised.value.body == {"error": {"code": "invalid_field", "field": "certNo"}}
    assert "certNo" in str(raised.value)
    assert wrong not in str(raised.value)


def test_not_enrolled(sandbox: SandboxServer) -> None:
    client = UplinkClient(sandbox.url, "T-NEW", lambda: None)
    with pytest.raises(UplinkError) as raised:
        client.lookup(CaseQuery.by_project("P1", "1234"))
    client.close()
    assert raised.value.code == "not_enrolled"


def test_no_province_is_unreachable_without_the_query(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = UplinkClient(f"http://127.0.0.1:{port}/api/v1", "T-1", lambda: b"k" * 32, timeout_s=2)
    with pytest.raises(UplinkUnreachable) as raised:
        client.lookup(CaseQuery.by_card(made_up_card(CERT_NO, "林小梅")))
    client.close()
    assert CERT_NO not in str(raised.value)


def test_nothing_personal_is_logged(
    sandbox: SandboxServer, client: UplinkClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    report(sandbox, "P-LOG-1", 1)
    client.lookup(CaseQuery.by_card(made_up_card(CERT_NO, "林小梅")))
    client.lookup(CaseQuery.by_project("P-LOG-1", CERT_NO[-4:]))
    assert "look-up by cert: 1 cases" in caplog.text
    for secret in (CERT_NO, "林小梅", MOBILE, CERT_NO[-4:]):
        assert secret not in caplog.text
