"""ID cards: the masked repr, expiry on China's date, and the refusals (idcard-reader.md §1)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.domain.idcard import (
    LONG_TERM,
    CardRefusal,
    IdCard,
    card_date,
    card_refusal,
    china_today,
    is_expired,
)
from tests.helpers.people import resident_id

MADE_UP_ID = resident_id("350104", "19850607", "031")
TODAY = date(2026, 12, 4)


def card(**changes: str) -> IdCard:
    fields = {
        "name": "林小梅",
        "sex": "2",
        "nation": "01",
        "birth": "19850607",
        "address": "福建省福州市仓山区演示路9号",
        "cert_no": MADE_UP_ID,
        "issuer": "福州市公安局仓山分局",
        "valid_from": "20160101",
        "valid_to": "20360101",
    }
    fields.update(changes)
    return IdCard(**fields)


def test_the_repr_masks_the_card() -> None:
    text = repr(card())
    assert (
        text
        == f"IdCard(name='林*梅', cert_no='{MADE_UP_ID[:4]}**********{MADE_UP_ID[-4:]}', sex='2', "
        + ("valid_to='20360101')")
    )
    assert MADE_UP_ID not in text
    assert "演示路" not in text
    assert "19850607" not in text
    assert str(card()) == text
    assert MADE_UP_ID not in repr([card()])


def test_masked_is_what_the_monitor_prints() -> None:
    assert card(name="陈明").masked() == {
        "name": "陈*",
        "certNo": MADE_UP_ID[:4] + "*" * 10 + MADE_UP_ID[-4:],
        "sex": "2",
        "validTo": "20360101",
    }


@pytest.mark.parametrize(
    ("valid_to", "expired"),
    [("20261203", True), ("20261204", False), ("20261205", False), (LONG_TERM, False)],
)
def test_a_card_expires_after_its_last_day(valid_to: str, expired: bool) -> None:
    assert is_expired(valid_to, TODAY) is expired
    assert (card_refusal(card(valid_to=valid_to), TODAY) == CardRefusal.EXPIRED) is expired


def test_today_is_chinas_date() -> None:
    # 17:00 UTC on 3 December is 01:00 on 4 December in Beijing.
    assert china_today(datetime(2026, 12, 3, 17, 0, tzinfo=UTC)) == TODAY
    assert china_today(datetime(2026, 12, 4, 23, 0, tzinfo=timezone(timedelta(hours=8)))) == TODAY


def test_a_number_failing_its_check_digit_is_refused() -> None:
    wrong = MADE_UP_ID[:17] + ("0" if MADE_UP_ID[17] != "0" else "1")
    assert card_refusal(card(cert_no=wrong), TODAY) == CardRefusal.BAD_CHECK_DIGIT
    assert card_refusal(card(cert_no="35010419850607"), TODAY) == CardRefusal.BAD_CHECK_DIGIT


def test_a_good_card_is_not_refused() -> None:
    assert card_refusal(card(), TODAY) is None
    assert card_refusal(card(valid_to=LONG_TERM), TODAY) is None


@pytest.mark.parametrize(
    "changes",
    [{"name": ""}, {"valid_to": "2036-01-01"}, {"valid_to": "20361301"}, {"valid_from": ""}],
)
def test_a_malformed_text_is_unreadable(changes: dict[str, str]) -> None:
    assert card_refusal(card(**changes), TODAY) == CardRefusal.UNREADABLE


def test_expiry_of_a_malformed_date_raises() -> None:
    with pytest.raises(ValueError, match="validTo"):
        is_expired("someday", TODAY)


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2999, 12, 31)))
def test_card_dates_round_trip(day: date) -> None:
    assert card_date(day.strftime("%Y%m%d")) == day


@given(st.text(max_size=10))
def test_card_date_never_raises(text: str) -> None:
    value = card_date(text)
    assert value is None or value.strftime("%Y%m%d") == text


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)), st.integers(-400, 400))
def test_expired_exactly_when_the_last_day_is_past(last: date, shift: int) -> None:
    today = last + timedelta(days=shift)
    assert is_expired(last.strftime("%Y%m%d"), today) is (shift > 0)
