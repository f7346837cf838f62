"""Sending ratings (uplink-api.md "Sending ratings", rules.md R9): every record delivered once, in seq order,
through faults and outages; the province's answers kept as the spec says."""

from __future__ import annotations

import json
import time
from collections.abc import Callable

from kiosk.store.ledger import Ledger
from province.server import SandboxServer
from province.store import StoredRecord
from tests.sync.conftest import StartUplink, enrol_directly, rate, sending
from tests.sync.scripted import Rule, ScriptedProvince, error_body

SOAK = 1000


def assert_delivered_in_order(server_records: list[StoredRecord], count: int) -> None:
    """Each of the device's records stored once, arriving in seq order 1..count."""
    seqs = [r.seq for r in server_records]
    assert seqs == list(range(1, count + 1))
    assert len({r.evaluation_id for r in server_records}) == count


def test_soak_with_faults_delivers_each_rating_exactly_once(
    start_sandbox: Callable[..., SandboxServer], start_uplink: StartUplink, ledger: Ledger
) -> None:
    server = start_sandbox(faults="error=0.2,drop=0.1")
    enrol_directly(ledger, server.store)
    uplink = start_uplink(server.url)
    for n in range(SOAK):
        uplink.rate(f"SOAK{n:06d}")
        # Paced like a busy hall, so that the sender makes many small batches and meets many faults.
        time.sleep(0.002)
    uplink.wait(lambda: ledger.queue_depth() == 0 and server.store.accepted_count(ledger.device_id) == SOAK)

    device = ledger.device_id
    stored = server.store.records_for(device)
    assert len(stored) == SOAK
    assert {r.status for r in stored} == {"accepted"}
    assert len({r.evaluation_id for r in stored}) == SOAK
    assert sorted(r.seq for r in stored) == list(range(1, SOAK + 1))
    assert server.store.chain_ok(device)
    assert server.store.accepted_seq(device) == SOAK
    faults = server.store.fault_counts()
    assert faults["error"] > 0
    assert faults["drop"] > 0
    counts = ledger.send_counts()
    assert counts["pending"] == 0
    assert counts["accepted"] + counts["duplicate"] == SOAK
    assert counts["dead"] == counts["superseded"] == 0


def test_queue_kept_through_an_outage_and_delivered_in_order(
    start_sandbox: Callable[..., SandboxServer], start_uplink: StartUplink, ledger: Ledger
) -> None:
    first = start_sandbox()
    enrol_directly(ledger, first.store)
    port, path = first.port, first.store.path
    uplink = start_uplink(first.url)
    for n in range(5):
        uplink.rate(f"DOWN{n:06d}")
    uplink.wait_drained()

    first.stop()
    for n in range(5, 40):
        uplink.rate(f"DOWN{n:06d}")
    # Down: the sender fails, counts its attempts and waits; nothing is dropped.
    uplink.wait(lambda: "retrying" in uplink.recorder.states)
    uplink.wait(lambda: any(s.attempts >= 2 for s in sending(ledger).values()))
    assert ledger.queue_depth() == 35

    second = start_sandbox(port=port, path=path)
    uplink.wait_drained()
    stored = second.store.records_for(ledger.device_id)
    assert_delivered_in_order(stored, 40)
    assert second.store.chain_ok(ledger.device_id)
    assert second.store.accepted_seq(ledger.device_id) == 40
    uplink.wait(lambda: uplink.recorder.states[-1] == "online")


def test_a_new_record_wakes_the_sender_at_once(
    start_sandbox: Callable[..., SandboxServer], start_uplink: StartUplink, ledger: Ledger
) -> None:
    server = start_sandbox()
    enrol_directly(ledger, server.store)
    # Nothing else is due for 10 minutes: only the wake can send the record within the wait's bound.
    uplink = start_uplink(server.url, heartbeat_s=600)
    uplink.wait(lambda: "online" in uplink.recorder.states)
    uplink.rate("WAKE000001")
    uplink.wait(lambda: server.store.accepted_count(ledger.device_id) == 1)


def test_rejected_record_is_a_dead_letter_and_the_rest_go_on(
    start_sandbox: Callable[..., SandboxServer], start_uplink: StartUplink, ledger: Ledger
) -> None:
    server = start_sandbox()
    enrol_directly(ledger, server.store)
    rate(ledger, "DEAD000001")
    rate(ledger, "DEAD000002", 5, ["108"])  # a reason of level 1 on a 非常满意 record
    server.store.rate_elsewhere("DEAD000003", 2, "2", ["207"])  # rated by phone first
    rate(ledger, "DEAD000003", 4)
    rate(ledger, "DEAD000004")

    uplink = start_uplink(server.url)
    uplink.wait_drained()

    rows = sending(ledger)
    assert [rows[seq].status for seq in (1, 2, 3, 4)] == ["accepted", "dead", "superseded", "accepted"]
    error = json.loads(rows[2].error)
    assert error["code"] == "invalid_field"
    assert error["field"] == "evalDetail"
    assert rows[3].error == ""
    # Kept, never deleted, never sent again.
    assert ledger.record(2) is not None
    assert ledger.record(3) is not None
    uplink.rate("DEAD000005")
    uplink.wait_drained()
    assert sending(ledger)[2].attempts == 1
    stored = server.store.records_for(ledger.device_id)
    assert [r.status for r in stored] == ["accepted", "rejected", "conflict", "accepted", "accepted"]
    assert server.store.chain_ok(ledger.device_id)
    assert server.store.accepted_seq(ledger.device_id) == 5


def test_413_halves_the_batch_until_it_fits(
    scripted: ScriptedProvince, start_uplink: StartUplink, ledger: Ledger
) -> None:
    enrol_directly(ledger, scripted.store)
    for n in range(12):
        rate(ledger, f"HALF{n:06d}")
    # As the client writes a body: compact JSON, UTF-8.
    one_record = len(json.dumps(ledger.record(1), ensure_ascii=False, separators=(",", ":")).encode())
    # The province takes bodies of at most three records.
    scripted.add(
        Rule(
            "POST",
            "/evaluations:batch",
            413,
            error_body("body_too_large"),
            when=lambda body: len(body) > 3 * one_record + 50,
            times=None,
        )
    )
    uplink = start_uplink(scripted.url)
    uplink.wait_drained()

    sizes = [(len(b.records()), b.status) for b in scripted.batches()]
    assert sizes[:4] == [(12, 413), (6, 413), (3, 200), (3, 200)]
    # The size learned holds while the backlog lasts: no 413 after the first fitting batch.
    assert all(status == 200 for _, status in sizes[2:])
    assert_delivered_in_order(scripted.store.records_for(ledger.device_id), 12)
    assert {s.status for s in sending(ledger).values()} == {"accepted"}


def test_a_single_record_still_413_becomes_a_dead_letter(
    scripted: ScriptedProvince, start_uplink: StartUplink, ledger: Ledger
) -> None:
    enrol_directly(ledger, scripted.store)
    for n in range(1, 7):
        rate(ledger, f"BIG{n:07d}")
    scripted.add(
        Rule(
            "POST",
            "/evaluations:batch",
            413,
            error_body("body_too_large"),
            when=lambda body: b"BIG0000004" in body,
            times=None,
        )
    )
    uplink = start_uplink(scripted.url)
    uplink.wait_drained()

    rows = sending(ledger)
    assert rows[4].status == "dead"
    assert json.loads(rows[4].error)["code"] == "too_large"
    assert [rows[seq].status for seq in (1, 2, 3, 5, 6)] == ["accepted"] * 5
    sent = [[r["seq"] for r in b.records()] for b in scripted.batches()]
    assert [4] in sent  # halved down to the record alone before giving up on it
    stored = [r.seq for r in scripted.store.records_for(ledger.device_id)]
    assert stored == [1, 2, 3, 5, 6]


def test_429_retry_after_is_honoured_and_the_retry_carries_everything_queued(
    scripted: ScriptedProvince, start_uplink: StartUplink, ledger: Ledger
) -> None:
    enrol_directly(ledger, scripted.store)
    scripted.add(
        Rule("POST", "/evaluations:batch", 429, error_body("rate_limited"), headers={"Retry-After": "1"})
    )
    uplink = start_uplink(scripted.url)
    uplink.wait(lambda: "online" in uplink.recorder.states)
    uplink.rate("LIMIT00001")
    uplink.wait(lambda: len(scripted.batches()) == 1)
    for n in range(2, 5):
        uplink.rate(f"LIMIT{n:05d}")  # the wake does not cut the Retry-After short
    uplink.wait_drained()

    first, second = scripted.batches()[:2]
    assert first.status == 429
    assert second.status == 200
    assert second.at - first.at >= 1.0
    assert [r["seq"] for r in second.records()] == [1, 2, 3, 4]
    assert [r["evaluationId"] for r in second.records()][:1] == [r["evaluationId"] for r in first.records()]
    assert sending(ledger)[1].attempts == 2


def test_unusable_answers_keep_records_queued_without_spinning(
    scripted: ScriptedProvince, start_uplink: StartUplink, ledger: Ledger
) -> None:
    enrol_directly(ledger, scripted.store)
    for n in range(3):
        rate(ledger, f"ODD{n:07d}")
    batch = "/evaluations:batch"
    scripted.add(Rule("POST", batch, 200, b"<html>proxy error</html>"))
    scripted.add(Rule("POST", batch, 200, {"results": []}))
    scripted.add(Rule("POST", batch, 200, {"results": [{"status": "maybe"}] * 3}))
    scripted.add(Rule("POST", batch, 502, b"bad gateway"))
    uplink = start_uplink(scripted.url)
    uplink.wait_drained()

    assert [b.status for b in scripted.batches()] == [200, 200, 200, 502, 200]
    assert_delivered_in_order(scripted.store.records_for(ledger.device_id), 3)
    assert [s.attempts for s in sending(ledger).values()] == [5, 5, 5]
    assert "retrying" in uplink.recorder.states


def test_an_answer_usable_only_in_part_keeps_the_rest_queued(
    scripted: ScriptedProvince, start_uplink: StartUplink, ledger: Ledger
) -> None:
    enrol_directly(ledger, scripted.store)
    made = [rate(ledger, f"PART{n:06d}") for n in range(3)]
    good = {"evaluationId": made[0].evaluation_id, "status": "accepted"}
    scripted.add(
        Rule("POST", "/evaluations:batch", 200, {"results": [good, {"status": "??"}, {"status": "accepted"}]})
    )
    uplink = start_uplink(scripted.url)
    uplink.wait_drained()

    # Seq 1's answer was usable and kept; 2 and 3 went again and were stored then.
    second = scripted.batches()[1]
    assert [r["seq"] for r in second.records()] == [2, 3]
    assert [s.attempts for s in sending(ledger).values()] == [1, 2, 2]
    assert [r.seq for r in scripted.store.records_for(ledger.device_id)] == [2, 3]
