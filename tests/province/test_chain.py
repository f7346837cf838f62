"""Each device's chain as the province holds it: breaks, gaps, acceptedSeq, and the heartbeat."""

from __future__ import annotations

from province.server import SandboxServer
from tests.province.conftest import enrolled_device
from tests.province.helpers import ZERO_HASH, Chain, DeviceClient


def test_a_chain_break_is_stored_and_flagged(sandbox: SandboxServer, device: DeviceClient) -> None:
    first = device.chain.next()
    device.chain.last_hash = "ab" * 32  # the device lost a link: its prevHash no longer matches
    second = device.chain.next()
    third = device.chain.next()

    results = device.results(first, second, third)

    assert [r["status"] for r in results] == ["accepted"] * 3
    stored = {record.seq: record for record in sandbox.store.records_for(device.device_id)}
    assert [stored[seq].chain_break for seq in (1, 2, 3)] == [False, True, False]
    report = sandbox.store.chain_report(device.device_id)
    assert report.breaks == (2,)
    assert report.accepted_seq == 3
    assert not report.ok and not sandbox.store.chain_ok(device.device_id)


def test_a_first_record_must_follow_64_zeros(sandbox: SandboxServer, device: DeviceClient) -> None:
    device.chain.last_hash = "1" * 64
    device.results(device.chain.next())
    assert sandbox.store.chain_report(device.device_id).breaks == (1,)


def test_accepted_seq_stops_at_the_first_gap(sandbox: SandboxServer, device: DeviceClient) -> None:
    records = [device.chain.next() for _ in range(5)]
    assert device.heartbeat()["acceptedSeq"] == 0

    device.results(records[0], records[1], records[3])

    assert device.heartbeat()["acceptedSeq"] == 2
    report = sandbox.store.chain_report(device.device_id)
    assert (report.gaps, report.breaks, report.held) == (((3, 3),), (), 3)
    device.results(records[4])
    assert device.heartbeat()["acceptedSeq"] == 2
    device.results(records[2])
    assert device.heartbeat()["acceptedSeq"] == 5
    assert sandbox.store.chain_ok(device.device_id)


def test_a_record_arriving_before_its_predecessor_is_judged_when_it_comes(
    sandbox: SandboxServer, device: DeviceClient
) -> None:
    first = device.chain.next()
    honest_second = device.chain.next()
    device.results(honest_second)
    device.results(first)
    assert sandbox.store.chain_ok(device.device_id)

    other = enrolled_device(sandbox)
    other_first = other.chain.next()
    other.chain.last_hash = "cd" * 32
    broken_second = other.chain.next()
    other.results(broken_second)
    assert not any(r.chain_break for r in sandbox.store.records_for(other.device_id))
    other.results(other_first)
    flags = {r.seq: r.chain_break for r in sandbox.store.records_for(other.device_id)}
    assert flags == {1: False, 2: True}


def test_a_broken_record_leaves_a_gap_until_it_is_sent_whole(
    sandbox: SandboxServer, device: DeviceClient
) -> None:
    first, second, third = (device.chain.next() for _ in range(3))
    device.results(first, {**second, "staffName": "改"}, third)
    assert device.heartbeat()["acceptedSeq"] == 1

    device.results(second)

    assert device.heartbeat()["acceptedSeq"] == 3
    assert sandbox.store.chain_ok(device.device_id)


def test_rejected_and_conflict_records_hold_their_places(
    sandbox: SandboxServer, device: DeviceClient
) -> None:
    project = device.chain.next()
    rejected = device.chain.next(pf="9")
    conflict = device.chain.next(projectNo=project["projectNo"])
    accepted = device.chain.next()

    results = device.results(project, rejected, conflict, accepted)

    assert [r["status"] for r in results] == ["accepted", "rejected", "conflict", "accepted"]
    assert device.heartbeat()["acceptedSeq"] == 4
    assert sandbox.store.chain_ok(device.device_id)
    assert sandbox.store.accepted_count(device.device_id) == 2


def test_a_second_record_for_a_held_seq_is_rejected_and_holds_nothing(
    sandbox: SandboxServer, device: DeviceClient
) -> None:
    original = device.chain.next()
    fork = Chain(device.device_id).next()
    assert fork["seq"] == original["seq"] and fork["prevHash"] == ZERO_HASH

    results = device.results(original, fork)

    assert results[1]["status"] == "rejected"
    assert results[1]["error"]["field"] == "seq"
    placed = [r.evaluation_id for r in sandbox.store.records_for(device.device_id) if r.placed]
    assert placed == [original["evaluationId"]]


def test_a_heartbeat_answers_server_time(device: DeviceClient) -> None:
    answer = device.heartbeat()
    assert set(answer) == {"serverTime", "acceptedSeq"}
    assert abs(answer["serverTime"] - device.clock()) <= 5


def test_a_malformed_heartbeat_is_400(device: DeviceClient) -> None:
    answer = device.request("POST", f"/devices/{device.device_id}/heartbeat", {"at": "now"})
    assert answer.status_code == 400
    assert answer.json()["error"] == {
        "code": "invalid_field",
        "field": "at",
        "message": "at must be a time YYYY-MM-DDThh:mm:ss±hh:mm",
    }


def test_a_device_cannot_heartbeat_for_another(sandbox: SandboxServer, device: DeviceClient) -> None:
    other = enrolled_device(sandbox)
    answer = device.request("POST", f"/devices/{other.device_id}/heartbeat", {})
    assert (answer.status_code, answer.json()["error"]["code"]) == (403, "device_mismatch")


def test_the_inspection_endpoint_shows_the_chain(sandbox: SandboxServer, device: DeviceClient) -> None:
    records = [device.chain.next() for _ in range(3)]
    device.results(records[0], records[2])

    answer = device.http.get(f"{sandbox.url}/sandbox/devices/{device.device_id}")

    assert answer.status_code == 200
    body = answer.json()
    assert body["acceptedCount"] == 2
    assert body["acceptedSeq"] == 1
    assert body["chain"] == {"ok": False, "held": 2, "acceptedSeq": 1, "breaks": [], "gaps": [[2, 2]]}
    assert device.http.get(f"{sandbox.url}/sandbox/devices/P-NOBODY").status_code == 404
