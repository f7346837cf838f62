"""Injected faults (`--faults`): 500s without the work, broken connections after it, delays; all counted."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
import requests

from province.faults import FaultPlan, is_fault_free
from province.server import SandboxServer
from tests.province.conftest import enrolled_device
from tests.province.helpers import HALL, WINDOW, DeviceClient, enrol, new_device_id, new_project_no


@pytest.mark.parametrize(
    ("spec", "plan"),
    [
        ("error=0.2,drop=0.1,delay=0.5", FaultPlan(error=0.2, drop=0.1, delay=0.5)),
        ("drop=1", FaultPlan(drop=1.0)),
        ("quote=0.25", FaultPlan(quote=0.25)),
        (" delay = 0 ", FaultPlan()),
        ("error=0.2,token_expiry=20", FaultPlan(error=0.2, token_expiry=20)),
    ],
)
def test_a_fault_spec_is_read(spec: str, plan: FaultPlan) -> None:
    assert FaultPlan.parse(spec) == plan


@pytest.mark.parametrize(
    ("spec", "complaint"),
    [
        ("", "expected"),
        ("error", "expected"),
        ("loss=0.1", "loss"),
        ("error=lots", "error must be a number"),
        ("error=1.5", "error must be between 0 and 1"),
        ("drop=-0.1", "drop must be between"),
        ("quote=2", "quote must be between 0 and 1"),
        ("delay=nan", "delay must be between"),
        ("error=0.1,error=0.2", "error is given twice"),
        ("error=0.6,drop=0.6", r"error \+ drop must not exceed 1"),
        ("token_expiry=0", "token_expiry must be a whole number"),
        ("token_expiry=2.5", "token_expiry must be a whole number"),
        ("token_expiry=1,token_expiry=2", "token_expiry is given twice"),
    ],
)
def test_a_bad_fault_spec_says_why(spec: str, complaint: str) -> None:
    with pytest.raises(ValueError, match=complaint):
        FaultPlan.parse(spec)


def test_which_requests_are_never_faulted() -> None:
    assert is_fault_free("GET", "/api/v1/sandbox/stats")
    assert is_fault_free("POST", "/api/v1/projects")
    assert is_fault_free("POST", "/api/v1/projects/P1/evaluation")
    assert is_fault_free("GET", "/api/v1/openapi.json")
    assert not is_fault_free("GET", "/api/v1/projects/P1/evaluation")
    assert not is_fault_free("POST", "/api/v1/evaluations:batch")
    assert not is_fault_free("POST", "/api/v1/devices/enroll")
    assert not is_fault_free("GET", "/api-gateway/gateway/get-token")
    assert not is_fault_free("POST", "/api-gateway/gateway/96hyvzxl/wailian/webservice/getSaveEvaluation")
    assert is_fault_free("GET", "/m/evaluate")


def test_error_answers_500_without_doing_the_work(start_sandbox: Callable[..., SandboxServer]) -> None:
    server = start_sandbox(faults=FaultPlan(error=1.0))
    device_id = new_device_id()
    device = DeviceClient(server.url, device_id, server.store.add_device(device_id, HALL, WINDOW))

    enrolment = enrol(server.url, server.store.issue_code(HALL, WINDOW), new_device_id())
    batch = device.send(device.chain.next())

    assert (enrolment.status_code, batch.status_code) == (500, 500)
    assert batch.json()["error"]["code"] == "injected_fault"
    assert server.store.records_for(device_id) == []
    assert server.store.fault_counts() == {"error": 2, "drop": 0, "delay": 0, "token_expiry": 0}
    # The sandbox-only endpoints stay usable, and report the same counts.
    elsewhere = requests.post(
        f"{server.url}/projects/{new_project_no()}/evaluation",
        json={"satisfaction": 5, "pf": "2"},
        timeout=10,
    )
    assert elsewhere.status_code == 201
    stats = requests.get(f"{server.url}/sandbox/stats", timeout=10)
    assert stats.status_code == 200
    assert stats.json()["faults"] == {"error": 2, "drop": 0, "delay": 0, "token_expiry": 0}


def test_error_shares_are_counted_exactly(start_sandbox: Callable[..., SandboxServer]) -> None:
    server = start_sandbox(faults=FaultPlan(error=0.5))
    device_id = new_device_id()
    device = DeviceClient(server.url, device_id, server.store.add_device(device_id, HALL, WINDOW))

    statuses = [device.request("GET", "/projects/P1/evaluation").status_code for _ in range(40)]

    assert set(statuses) == {200, 500}
    assert server.store.fault_counts()["error"] == statuses.count(500)


def test_drop_breaks_the_connection_after_the_record_is_committed(
    start_sandbox: Callable[..., SandboxServer], tmp_path: Path
) -> None:
    shared = tmp_path / "shared.sqlite3"
    clean = start_sandbox(path=shared)
    flaky = start_sandbox(path=shared, faults=FaultPlan(drop=1.0))
    device = enrolled_device(clean)
    record = device.chain.next()
    through_flaky = DeviceClient(flaky.url, device.device_id, device.key)

    with pytest.raises((requests.ConnectionError, requests.exceptions.ChunkedEncodingError)):
        through_flaky.send(record)

    assert clean.store.accepted_count(device.device_id) == 1
    assert clean.store.fault_counts()["drop"] == 1
    # The device sends the same batch again: the province already has it.
    assert device.results(record) == [{"evaluationId": record["evaluationId"], "status": "duplicate"}]
    assert clean.store.accepted_count(device.device_id) == 1


def test_drop_applies_to_every_contract_operation(start_sandbox: Callable[..., SandboxServer]) -> None:
    server = start_sandbox(faults=FaultPlan(drop=1.0))
    device_id = new_device_id()
    with pytest.raises((requests.ConnectionError, requests.exceptions.ChunkedEncodingError)):
        enrol(server.url, server.store.issue_code(HALL, WINDOW), device_id)
    assert server.store.device(device_id) is not None
    assert requests.get(f"{server.url}/sandbox/devices/{device_id}", timeout=10).status_code == 200
    other_id = new_device_id()
    other = DeviceClient(server.url, other_id, server.store.add_device(other_id, HALL, WINDOW))
    # Even an answer without a body (304) must not arrive whole.
    with pytest.raises((requests.ConnectionError, requests.exceptions.ChunkedEncodingError)):
        other.request("GET", f"/devices/{other_id}/config", headers={"If-None-Match": "*"})
    assert server.store.fault_counts()["drop"] == 2


def test_quote_rejects_records_quoting_their_applicant(start_sandbox: Callable[..., SandboxServer]) -> None:
    server = start_sandbox(faults=FaultPlan(quote=1.0))
    device = enrolled_device(server)
    record = device.chain.next()
    answer = device.send(record)
    assert answer.status_code == 200
    (result,) = answer.json()["results"]
    assert result["status"] == "rejected"
    assert result["error"]["code"] == "invalid_field" and result["error"]["field"] == "certNo"
    # The point of the fault: the province's words carry the applicant's numbers in clear.
    assert record["certNo"] in result["error"]["message"] and record["mobile"] in result["error"]["message"]
    assert server.store.chain_ok(device.device_id)  # a rejected record still holds its place


def test_delay_holds_each_request(start_sandbox: Callable[..., SandboxServer]) -> None:
    server = start_sandbox(faults=FaultPlan(delay=0.3))
    device = enrolled_device(server)

    started = time.monotonic()
    answer = device.request("GET", "/projects/P1/evaluation")
    elapsed = time.monotonic() - started

    assert answer.status_code == 200
    assert elapsed >= 0.3
    assert server.store.fault_counts()["delay"] == 2  # the enrolment and this request
    # The sandbox's own pages are never held: answered, and no delay counted for them.
    assert requests.get(f"{server.url}/sandbox/stats", timeout=10).status_code == 200
    assert server.store.fault_counts()["delay"] == 2
