"""Stopping the uplink (cli.md: on SIGTERM "stop the uplink after its current request"): at once while it
waits, after the request under way otherwise, and never later than that request's timeout."""

from __future__ import annotations

import secrets

from kiosk.store.ledger import Ledger
from kiosk.sync.backoff import Backoff
from tests.sync.conftest import StartUplink, enrol_directly
from tests.sync.scripted import Rule, ScriptedProvince


def test_stop_returns_promptly_while_waiting_out_the_cap(
    scripted: ScriptedProvince, start_uplink: StartUplink, ledger: Ledger
) -> None:
    enrol_directly(ledger, scripted.store)
    ledger.store_device_secret(secrets.token_bytes(32))
    uplink = start_uplink(scripted.url, backoff=Backoff())  # the spec's 5-minute cap
    uplink.wait(lambda: "blocked" in uplink.recorder.states)
    uplink.worker.stop(timeout=15)
    assert uplink.worker._thread is not None
    assert not uplink.worker._thread.is_alive()


def test_stop_returns_once_a_hung_request_times_out(
    scripted: ScriptedProvince, start_uplink: StartUplink, ledger: Ledger
) -> None:
    enrol_directly(ledger, scripted.store)
    scripted.add(Rule("POST", "/evaluations:batch", delay_s=10, times=None))
    uplink = start_uplink(scripted.url, timeout_s=1.0)
    uplink.rate("HUNG000001")
    uplink.wait(lambda: len(scripted.batches()) >= 1)
    uplink.worker.stop(timeout=15)
    assert uplink.worker._thread is not None
    assert not uplink.worker._thread.is_alive()
    assert ledger.queue_depth() == 1  # no answer: still queued, for the next start


def test_stop_waits_for_the_answer_under_way_and_keeps_it(
    scripted: ScriptedProvince, start_uplink: StartUplink, ledger: Ledger
) -> None:
    enrol_directly(ledger, scripted.store)
    scripted.add(Rule("POST", "/evaluations:batch", delay_s=1.0))  # then passed on to the sandbox
    uplink = start_uplink(scripted.url)
    uplink.rate("SLOW000001")
    uplink.wait(lambda: len(scripted.batches()) == 1)
    uplink.worker.stop()
    assert uplink.worker._thread is not None
    assert not uplink.worker._thread.is_alive()
    # The answer arrived before the ledger would be closed: nothing to send again at the next start.
    assert ledger.queue_depth() == 0
    assert scripted.store.accepted_count(ledger.device_id) == 1
