"""The pad's time (rules.md R13): China Standard Time whatever the system's zone, corrected by the offset
to the province's time, learned from serverTime or, where none comes, from the Date header."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest

from kiosk.domain.clock import CHINA_TIME, ManualClock, ProvinceClock, SystemClock, clock_alert

NOW = datetime(2026, 11, 27, 9, 31, 5, tzinfo=CHINA_TIME)


@pytest.fixture
def utc_system() -> Iterator[None]:
    """The system set to UTC, as minimal images are."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    yield
    if before is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = before
    time.tzset()


def test_civil_time_is_china_standard_time_on_a_utc_system(utc_system: None) -> None:
    assert datetime.now().astimezone().utcoffset() == timedelta(0)  # the system really is on UTC
    now = SystemClock().now()
    assert now.utcoffset() == timedelta(hours=8)
    assert now.isoformat().endswith("+08:00")
    assert abs(now.timestamp() - time.time()) < 5


def test_before_the_province_tells_its_time_the_pads_own_clock_is_used() -> None:
    clock = ProvinceClock(ManualClock(NOW))
    assert clock.offset_s is None
    assert clock.now() == NOW


def test_a_server_time_sets_the_offset_and_the_corrected_time() -> None:
    own = ManualClock(NOW - timedelta(days=3 * 365))  # a pad that booted years behind
    clock = ProvinceClock(own)
    assert clock.learn(NOW.timestamp(), exact=True)
    assert clock.now() == NOW
    assert clock.offset_s == pytest.approx(3 * 365 * 86400)
    own.advance(timedelta(seconds=30))
    assert clock.now() == NOW + timedelta(seconds=30)  # the pad's clock still runs; the offset holds
    assert not clock.learn(NOW.timestamp() + 30.6, exact=True)  # within the second serverTime resolves


def test_a_date_header_counts_only_beyond_its_resolution_and_until_a_server_time() -> None:
    clock = ProvinceClock(ManualClock(NOW))
    assert clock.learn(NOW.timestamp() + 1.9, exact=False)
    assert clock.offset_s == 0  # within what a header can tell: the clocks agree
    assert clock.learn(NOW.timestamp() + 3600, exact=False)
    assert clock.offset_s == pytest.approx(3600)
    assert clock.learn(NOW.timestamp() + 7200, exact=True)
    assert not clock.learn(NOW.timestamp(), exact=False)  # a serverTime was told: headers no longer count
    assert clock.offset_s == pytest.approx(7200)


def test_an_offset_kept_from_before_a_restart_holds_until_the_province_answers() -> None:
    clock = ProvinceClock(ManualClock(NOW))
    clock.restore(-600.0)
    assert clock.offset_s == -600
    assert clock.now() == NOW - timedelta(minutes=10)


@pytest.mark.parametrize(
    ("offset", "alerted"), [(None, False), (0.0, False), (120.0, False), (-120.5, True), (94_608_000.0, True)]
)
def test_technicians_are_told_past_two_minutes(offset: float | None, alerted: bool) -> None:
    detail = clock_alert(offset)
    assert (detail is not None) == alerted
    if detail:
        assert "chrony" in detail and ("behind" in detail if offset and offset > 0 else "ahead" in detail)
