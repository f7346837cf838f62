"""Sending ratings (`POST /evaluations:batch`): each outcome, idempotence, and the batch limits."""

from __future__ import annotations

import logging
import uuid
from typing import Any

import pytest
import requests

from province.server import SandboxServer
from tests.province.conftest import enrolled_device
from tests.province.helpers import DeviceClient, new_project_no, sealed


def _statuses(results: list[dict[str, Any]]) -> list[str]:
    return [result["status"] for result in results]


def test_a_valid_record_is_accepted_once(sandbox: SandboxServer, device: DeviceClient) -> None:
    record = device.chain.next()

    results = device.results(record)

    assert results == [{"evaluationId": record["evaluationId"], "status": "accepted"}]
    assert sandbox.store.accepted_count(device.device_id) == 1
    (stored,) = sandbox.store.records_for(device.device_id)
    assert stored.record == record
    assert (stored.status, stored.placed, stored.chain_break) == ("accepted", True, False)


def test_a_resent_batch_is_duplicate_and_stores_nothing_new(
    sandbox: SandboxServer, device: DeviceClient
) -> None:
    records = [device.chain.next() for _ in range(3)]
    assert _statuses(device.results(*records)) == ["accepted"] * 3

    again = device.results(*records)

    assert _statuses(again) == ["duplicate"] * 3
    assert [result["evaluationId"] for result in again] == [r["evaluationId"] for r in records]
    assert sandbox.store.accepted_count(device.device_id) == 3
    assert len(sandbox.store.records_for(device.device_id)) == 3


def test_an_empty_batch_gets_no_results(device: DeviceClient) -> None:
    assert device.results() == []


def test_a_project_rated_on_another_channel_is_conflict(sandbox: SandboxServer, device: DeviceClient) -> None:
    project_no = new_project_no()
    elsewhere = requests.post(
        f"{sandbox.url}/projects/{project_no}/evaluation", json={"satisfaction": 3, "pf": "3"}, timeout=10
    )
    assert elsewhere.status_code == 201

    record = device.chain.next(projectNo=project_no)
    results = device.results(record)

    assert results == [{"evaluationId": record["evaluationId"], "status": "conflict"}]
    assert sandbox.store.accepted_count(device.device_id) == 0
    # The 办件's rating is still the other channel's.
    assert device.request("GET", f"/projects/{project_no}/evaluation").json()["pf"] == "3"
    # A conflict record holds its place in the chain.
    assert sandbox.store.accepted_seq(device.device_id) == 1
    assert device.results(record) == results


def test_a_project_rated_by_another_device_is_conflict(sandbox: SandboxServer, device: DeviceClient) -> None:
    other = enrolled_device(sandbox)
    project_no = new_project_no()
    assert _statuses(other.results(other.chain.next(projectNo=project_no))) == ["accepted"]

    assert _statuses(device.results(device.chain.next(projectNo=project_no))) == ["conflict"]


def test_the_second_rating_of_a_project_in_one_batch_is_conflict(device: DeviceClient) -> None:
    project_no = new_project_no()
    first, second = device.chain.next(projectNo=project_no), device.chain.next(projectNo=project_no)
    assert _statuses(device.results(first, second)) == ["accepted", "conflict"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"satisfaction": "5"}, "satisfaction"),
        ({"pf": "0"}, "pf"),
        ({"areaCode": "3501"}, "areaCode"),
        ({"certNo": "350102199001011230"}, "certNo"),
        ({"mobile": "138001380"}, "mobile"),
        ({"evalDetail": ["207"]}, "evalDetail"),
        ({"evalDetail": ["599"]}, "evalDetail"),
        ({"acceptTime": "2026-11-27 09:12:00"}, "acceptTime"),
        ({"projectNo": ""}, "projectNo"),
        ({"extraPresses": 0.5}, "extraPresses"),
        ({"source": "pad"}, "source"),
    ],
)
def test_a_malformed_field_is_rejected_with_its_name(
    sandbox: SandboxServer, device: DeviceClient, changes: dict[str, Any], field: str
) -> None:
    record = device.chain.next(**changes)

    (result,) = device.results(record)

    assert result["status"] == "rejected"
    assert result["error"]["code"] == "invalid_field"
    assert result["error"]["field"] == field
    assert result["error"]["message"]
    # Rejected, yet its hash is intact: it holds its place in the chain.
    assert sandbox.store.accepted_seq(device.device_id) == 1
    assert sandbox.store.accepted_count(device.device_id) == 0


def test_a_missing_field_is_rejected_with_its_name(device: DeviceClient) -> None:
    record = device.chain.next()
    del record["taskName"]
    (result,) = device.results(sealed(record))
    assert (result["status"], result["error"]["field"]) == ("rejected", "taskName")


def test_a_retired_reason_code_is_accepted(device: DeviceClient) -> None:
    assert _statuses(device.results(device.chain.next(satisfaction=2, evalDetail=["201", "213"]))) == [
        "accepted"
    ]


def test_a_reason_code_of_another_level_is_rejected(device: DeviceClient) -> None:
    (result,) = device.results(device.chain.next(satisfaction=5, evalDetail=["510", "413"]))
    assert result["status"] == "rejected"
    assert result["error"]["field"] == "evalDetail"
    assert "413" in result["error"]["message"]


def test_assess_time_before_accept_time_is_time_order(device: DeviceClient) -> None:
    (result,) = device.results(device.chain.next(assessTime="2026-11-27T09:00:00+08:00"))
    assert result["status"] == "rejected"
    assert result["error"]["code"] == "time_order"


def test_an_evaluation_id_stored_with_another_hash_is_reused(
    sandbox: SandboxServer, device: DeviceClient
) -> None:
    first = device.chain.next()
    assert _statuses(device.results(first)) == ["accepted"]

    second = device.chain.next(evaluationId=first["evaluationId"])
    (result,) = device.results(second)

    assert result["status"] == "rejected"
    assert result["error"]["code"] == "evaluation_id_reused"
    assert sandbox.store.accepted_count(device.device_id) == 1
    # The reused id's record is still a link of the chain (its own hash is intact).
    assert sandbox.store.accepted_seq(device.device_id) == 2


def test_a_rejected_record_sent_again_is_rejected_again(device: DeviceClient) -> None:
    record = device.chain.next(userProp="9")
    first = device.results(record)
    assert first[0]["status"] == "rejected"
    assert device.results(record) == first


def test_a_record_whose_hash_does_not_match_is_rejected_and_holds_no_place(
    sandbox: SandboxServer, device: DeviceClient
) -> None:
    record = {**device.chain.next(), "satisfaction": 1}

    (result,) = device.results(record)

    assert result["status"] == "rejected"
    assert result["error"]["field"] == "hash"
    assert sandbox.store.accepted_seq(device.device_id) == 0
    assert sandbox.store.records_for(device.device_id) == []
    assert sandbox.store.unplaced_count(device.device_id) == 1


def test_a_record_of_another_device_is_rejected(sandbox: SandboxServer, device: DeviceClient) -> None:
    other = enrolled_device(sandbox)
    (result,) = device.results(other.chain.next())
    assert (result["status"], result["error"]["field"]) == ("rejected", "deviceId")
    assert sandbox.store.records_for(other.device_id) == []


def test_a_record_that_is_not_an_object_is_rejected(device: DeviceClient) -> None:
    good = device.chain.next()
    results = device.results("not a record", good)
    assert results[0] == {
        "evaluationId": None,
        "status": "rejected",
        "error": {"code": "invalid_field", "field": "record", "message": "a record must be a JSON object"},
    }
    assert results[1]["status"] == "accepted"


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (b"{not json", "invalid_json"),
        (b'{"evaluations": {}}', "invalid_field"),
        (b'{"evaluations": [NaN]}', "invalid_json"),
        (b"[]", "invalid_json"),
        (b"\xff\xfe", "invalid_json"),
    ],
)
def test_a_malformed_batch_is_400(device: DeviceClient, body: bytes, code: str) -> None:
    answer = device.request("POST", "/evaluations:batch", body=body)
    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == code


def test_a_batch_over_500_records_is_413(sandbox: SandboxServer, device: DeviceClient) -> None:
    records = [device.chain.next() for _ in range(501)]

    answer = device.send(*records)

    assert answer.status_code == 413
    assert answer.json()["error"]["code"] == "batch_too_large"
    assert sandbox.store.records_for(device.device_id) == []
    # Halved, as the device does after a 413, the batch goes through.
    assert _statuses(device.results(*records[:250])) == ["accepted"] * 250


def test_a_body_over_1_mib_is_413_before_anything_else(sandbox: SandboxServer, device: DeviceClient) -> None:
    record = device.chain.next(writingEvaluation="")
    padding = {"evaluationId": str(uuid.uuid4()), "filler": "x" * (1024 * 1024)}

    answer = device.send(record, padding)
    unsigned = requests.post(f"{sandbox.url}/evaluations:batch", data=b"x" * (1024 * 1024 + 1), timeout=10)

    assert (answer.status_code, answer.json()["error"]["code"]) == (413, "body_too_large")
    assert (unsigned.status_code, unsigned.json()["error"]["code"]) == (413, "body_too_large")
    assert sandbox.store.records_for(device.device_id) == []


def test_a_body_of_exactly_1_mib_is_read(device: DeviceClient) -> None:
    body = b'{"evaluations":[]}'
    body += b" " * (1024 * 1024 - len(body))
    answer = device.request("POST", "/evaluations:batch", body=body)
    assert (answer.status_code, answer.json()) == (200, {"results": []})


def test_batches_log_no_personal_data(device: DeviceClient, caplog: pytest.LogCaptureFixture) -> None:
    record = device.chain.next()
    with caplog.at_level(logging.DEBUG):
        device.results(record, {**record, "mobile": "13900139000"})
    assert caplog.records, "the batch is logged"
    for text in (record["certNo"], record["mobile"], "13900139000", record["userName"]):
        assert text not in caplog.text
