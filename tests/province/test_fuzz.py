"""Whatever a client sends, the service answers with the contract's shapes, never a server error."""

from __future__ import annotations

from typing import Any

import pytest
import requests
from hypothesis import given, settings
from hypothesis import strategies as st

from province.server import SandboxServer
from tests.province.conftest import enrolled_device
from tests.province.helpers import DeviceClient, new_project_no
from tests.province.test_records import json_values, mutated_records


@pytest.fixture(scope="module")
def fuzzer(sandbox: SandboxServer) -> DeviceClient:
    """One device for every example: hypothesis runs many examples within one test."""
    return enrolled_device(sandbox)


@settings(max_examples=60)
@given(st.lists(mutated_records(), max_size=4))
def test_any_batch_gets_one_result_per_record(fuzzer: DeviceClient, records: list[Any]) -> None:
    answer = fuzzer.send(*records)

    assert answer.status_code == 200, answer.text
    results = answer.json()["results"]
    assert len(results) == len(records)
    for result in results:
        assert result["status"] in {"accepted", "duplicate", "conflict", "rejected"}
        assert ("error" in result) == (result["status"] == "rejected")


@settings(max_examples=40)
@given(json_values)
def test_any_json_body_gets_an_answer_in_the_error_shape(fuzzer: DeviceClient, body: Any) -> None:
    answer = (
        fuzzer.send(body) if isinstance(body, list) else fuzzer.request("POST", "/evaluations:batch", body)
    )
    assert answer.status_code < 500, answer.text
    if answer.status_code != 200:
        error = answer.json()["error"]
        assert error["code"] in {"invalid_json", "invalid_field", "batch_too_large"}


@settings(max_examples=40)
@given(json_values)
def test_any_heartbeat_or_enrolment_gets_an_answer_below_500(fuzzer: DeviceClient, body: Any) -> None:
    heartbeat = fuzzer.request("POST", f"/devices/{fuzzer.device_id}/heartbeat", body)
    enrolment = fuzzer.http.post(f"{fuzzer.base_url}/devices/enroll", json=body, timeout=10)
    assert heartbeat.status_code in {200, 400}, heartbeat.text
    assert enrolment.status_code in {400, 403}, enrolment.text


@settings(max_examples=40)
@given(
    json_values,
    st.dictionaries(st.sampled_from(["satisfaction", "pf", "evalDetail", "assessTime"]), json_values),
)
def test_the_sandbox_stand_ins_answer_any_json_below_500(
    sandbox: SandboxServer, body: Any, rating: dict[str, Any]
) -> None:
    report = requests.post(f"{sandbox.url}/projects", json=body, timeout=10)
    elsewhere = requests.post(
        f"{sandbox.url}/projects/{new_project_no()}/evaluation", json=rating, timeout=10
    )
    assert report.status_code in {201, 400}, report.text
    assert elsewhere.status_code in {201, 400}, elsewhere.text
