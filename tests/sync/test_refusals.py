"""How the pad reacts to the province's refusals of a signed request (uplink-api.md "Signing"): a stale
request is corrected and sent again at once; a refused device stops, keeps its queue, alerts, and tries again
at the backoff cap. The sandbox's side of these checks is tested in tests/province."""

from __future__ import annotations

import itertools
import secrets
import sqlite3
import time
from collections.abc import Callable

from kiosk.store.ledger import Ledger
from kiosk.sync.backoff import Backoff
from tests.sync.conftest import StartUplink, enrol_directly, sending
from tests.sync.scripted import Rule, ScriptedProvince, error_body

CAP_S = 0.5


class ShiftedClock:
    """The province's clock: ours, moved by `offset` seconds."""

    def __init__(self) -> None:
        self.offset = 0.0

    def __call__(self) -> float:
        return time.time() + self.offset


def test_clock_skew_corrects_the_offset_and_resends_at_once(
    start_scripted: Callable[..., ScriptedProvince], start_uplink: StartUplink, ledger: Ledger
) -> None:
    province_clock = ShiftedClock()
    province = start_scripted(clock=province_clock)
    enrol_directly(ledger, province.store)
    uplink = start_uplink(province.url)
    heartbeat = f"/devices/{ledger.device_id}/heartbeat"
    uplink.wait(lambda: [s.status for s in province.seen("POST", heartbeat)] == [200])  # then idle
    province_clock.offset = 3600.0  # the pad's clock is now an hour behind the province's

    uplink.rate("SKEW000001")
    uplink.wait_drained()

    refused, resent = province.batches()
    assert refused.status == 401
    assert resent.status == 200
    assert abs(resent.timestamp - province_clock()) < 60
    offset = uplink.client.clock.offset_s
    assert offset is not None and abs(offset - 3600) < 60
    # Sent again within the same attempt: no failure counted, no backoff, never "retrying".
    assert sending(ledger)[1].attempts == 1
    assert "retrying" not in uplink.recorder.states
    assert province.store.accepted_count(ledger.device_id) == 1


def test_a_skewed_idle_pad_corrects_itself_through_config_and_heartbeat(
    start_scripted: Callable[..., ScriptedProvince], start_uplink: StartUplink, ledger: Ledger
) -> None:
    province_clock = ShiftedClock()
    province_clock.offset = -7200.0
    province = start_scripted(clock=province_clock)
    enrol_directly(ledger, province.store)
    uplink = start_uplink(province.url)
    heartbeat = f"/devices/{ledger.device_id}/heartbeat"
    uplink.wait(lambda: [s.status for s in province.seen("POST", heartbeat)] == [200])
    uplink.wait(lambda: uplink.recorder.configs != [])

    config = province.seen("GET", f"/devices/{ledger.device_id}/config")
    assert [s.status for s in config] == [401, 200]
    assert "retrying" not in uplink.recorder.states


def test_replay_resends_at_once_with_a_new_nonce(
    scripted: ScriptedProvince, start_uplink: StartUplink, ledger: Ledger
) -> None:
    enrol_directly(ledger, scripted.store)
    scripted.add(Rule("POST", "/evaluations:batch", 401, error_body("replay")))
    uplink = start_uplink(scripted.url)
    uplink.rate("REPLAY0001")
    uplink.wait_drained()

    refused, resent = scripted.batches()
    assert (refused.status, resent.status) == (401, 200)
    assert refused.nonce != resent.nonce
    assert refused.hashes() == resent.hashes()  # the same batch, unchanged
    assert sending(ledger)[1].attempts == 1
    assert "retrying" not in uplink.recorder.states


def assert_blocked_and_retried_at_the_cap(uplink_requests: list[float], cap_s: float) -> None:
    """The device tried again after a refusal only at the cap, never sooner."""
    assert len(uplink_requests) >= 2
    gaps = [b - a for a, b in itertools.pairwise(uplink_requests)]
    assert min(gaps) >= cap_s


def test_bad_signature_stops_sending_keeps_the_queue_and_retries_at_the_cap(
    scripted: ScriptedProvince, start_uplink: StartUplink, ledger: Ledger
) -> None:
    secret = enrol_directly(ledger, scripted.store)
    ledger.store_device_secret(secrets.token_bytes(32))  # a key the province does not know
    uplink = start_uplink(scripted.url, backoff=Backoff(first_s=0.02, cap_s=CAP_S))
    for n in range(3):
        uplink.rate(f"BADSIG{n:04d}")
    uplink.wait(lambda: len([s for s in scripted.seen() if s.status]) >= 3)

    recorder = uplink.recorder
    uplink.wait(lambda: "blocked" in recorder.states)
    alerts = recorder.alert_texts("uplink")
    assert alerts
    assert isinstance(alerts[0], str)
    assert "bad_signature" in alerts[0]
    assert ledger.queue_depth() == 3
    refused = [s for s in scripted.seen() if s.status]  # leaving out one still in flight
    assert {s.status for s in refused} == {401}
    assert_blocked_and_retried_at_the_cap([s.at for s in refused], CAP_S)

    ledger.store_device_secret(secret)  # the technician restores the right key
    uplink.wait_drained()
    uplink.wait(lambda: recorder.alert_texts("uplink")[-1] is None)
    uplink.wait(lambda: recorder.states[-1] == "online")
    assert scripted.store.accepted_count(ledger.device_id) == 3
    assert scripted.store.chain_ok(ledger.device_id)


def test_device_revoked_stops_sending_until_the_province_lets_it_back(
    scripted: ScriptedProvince, start_uplink: StartUplink, ledger: Ledger
) -> None:
    enrol_directly(ledger, scripted.store)
    uplink = start_uplink(scripted.url, backoff=Backoff(first_s=0.02, cap_s=CAP_S))
    uplink.rate("REVOKE0001")
    uplink.wait_drained()
    scripted.store.revoke_device(ledger.device_id)
    revoked_at = len(scripted.seen())

    for n in range(2, 5):
        uplink.rate(f"REVOKE{n:04d}")
    recorder = uplink.recorder
    uplink.wait(lambda: "blocked" in recorder.states)
    uplink.wait(lambda: len([s for s in scripted.seen()[revoked_at:] if s.status]) >= 3)
    refused = [s for s in scripted.seen()[revoked_at:] if s.status]  # leaving out one still in flight
    assert {s.status for s in refused} == {403}
    assert_blocked_and_retried_at_the_cap([s.at for s in refused], CAP_S)
    assert any("device_revoked" in str(text) for text in recorder.alert_texts("uplink"))
    assert ledger.queue_depth() == 3

    with sqlite3.connect(scripted.store.path) as db:  # the province lets the device back in
        db.execute("UPDATE devices SET revoked = 0 WHERE device_id = ?", (ledger.device_id,))
    uplink.wait_drained()
    uplink.wait(lambda: recorder.alert_texts("uplink")[-1] is None)
    assert scripted.store.accepted_seq(ledger.device_id) == 4
    assert scripted.store.chain_ok(ledger.device_id)
