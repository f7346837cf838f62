"""The retry schedule of uplink-api.md "Sending ratings": 1 s doubling to a 5-minute cap, ±20% jitter, at least
Retry-After, reset by any success; and the client reading Retry-After from a real answer."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from kiosk.sync.backoff import Backoff
from kiosk.sync.client import UplinkClient, UplinkError
from tests.sync.scripted import Rule, ScriptedProvince, error_body

NOMINAL = [1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300, 300]


def test_default_schedule_doubles_from_1_s_to_a_5_minute_cap() -> None:
    backoff = Backoff(rng=random.Random(7))
    nominal = []
    for _ in NOMINAL:
        wait = backoff.failed()
        nominal.append(backoff.delay)
        assert 0.8 * backoff.delay <= wait <= 1.2 * backoff.delay
    assert nominal == NOMINAL


def test_jitter_spreads_each_wait_over_plus_minus_20_percent() -> None:
    rng = random.Random(11)
    waits = []
    for _ in range(2000):
        backoff = Backoff(rng=rng)
        waits.append(backoff.failed())
    assert min(waits) >= 0.8
    assert max(waits) <= 1.2
    # Spread over the whole range, not a fixed factor: pads cut off together do not retry in step.
    assert min(waits) < 0.82
    assert max(waits) > 1.18


def test_retry_after_is_a_floor_and_a_success_resets_the_wait() -> None:
    backoff = Backoff(rng=random.Random(3))
    assert backoff.failed(at_least=30) == 30
    assert backoff.failed(at_least=0.5) >= 1.6  # the doubling goes on beneath a Retry-After
    backoff.reset()
    assert 0.8 <= backoff.failed() <= 1.2


def test_a_refusal_waits_exactly_the_cap() -> None:
    backoff = Backoff()
    assert backoff.capped() == 300
    assert backoff.delay == 300
    assert Backoff(first_s=0.02, cap_s=0.2).capped() == 0.2


@pytest.mark.parametrize("header", ["seconds", "http-date"])
def test_client_reads_retry_after_in_either_form(scripted: ScriptedProvince, header: str) -> None:
    secret = scripted.store.add_device("P-RETRYAFTER0001", "350102-ZWFW", "A07")
    when = datetime.now(UTC) + timedelta(seconds=120)
    value = "120" if header == "seconds" else format_datetime(when, usegmt=True)
    scripted.add(
        Rule("POST", "/evaluations:batch", 429, error_body("rate_limited"), headers={"Retry-After": value})
    )
    client = UplinkClient(scripted.url, "P-RETRYAFTER0001", lambda: secret, timeout_s=5)
    try:
        with pytest.raises(UplinkError) as raised:
            client.send_encoded([])
    finally:
        client.close()
    assert raised.value.status == 429
    assert raised.value.retry_after is not None
    assert 110 <= raised.value.retry_after <= 120
