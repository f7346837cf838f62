"""Masking (rules.md R3): what the screens show, and `redact` over text from outside the pad."""

from __future__ import annotations

import string

from hypothesis import given
from hypothesis import strategies as st

from kiosk.domain.masking import mask_cert_no, mask_mobile, mask_name, redact
from kiosk.domain.validation import id_check_character

DIGITS = st.text(string.digits, min_size=1, max_size=1)


@st.composite
def resident_ids(draw: st.DrawFn) -> str:
    first17 = draw(st.text(string.digits, min_size=17, max_size=17))
    return first17 + id_check_character(first17)


old_ids = st.text(string.digits, min_size=15, max_size=15)
mobiles = st.builds(
    lambda second, rest: "1" + second + rest,
    st.sampled_from("3456789"),
    st.text(string.digits, min_size=9, max_size=9),
)
cards = st.text(string.digits, min_size=13, max_size=19)
numbers = st.one_of(resident_ids(), old_ids, mobiles, cards)
# Text around a number: anything that does not extend it (a letter or digit would make a longer token).
around = st.text(st.characters(blacklist_categories=("Nd", "Lu", "Ll", "Lt", "Lm", "Lo", "Cs")), max_size=20)


def test_the_screens_masks() -> None:
    assert mask_name("陈明") == "陈*"
    assert mask_name("欧阳晓明") == "欧**明"
    assert mask_cert_no("350102199001011238") == "3501**********1238"
    assert mask_mobile("13800138000") == "138****8000"


@given(before=around, number=numbers, after=around)
def test_no_number_survives_redaction(before: str, number: str, after: str) -> None:
    masked = redact(f"{before}{number}{after}")
    assert number not in masked
    assert masked.startswith(before) and masked.endswith(after)


@given(number=numbers)
def test_what_stays_is_never_more_than_the_screens_show(number: str) -> None:
    masked = redact(number)
    assert len(masked) == len(number)
    head = len(masked) - len(masked.lstrip("0123456789"))
    tail = len(masked) - len(masked.rstrip("0123456789Xx"))
    # Digits only at the two ends, at most four at each, and stars between: as 3501**********1238.
    assert head <= 4 and tail <= 4
    assert set(masked[head : len(masked) - tail]) == {"*"}
    assert masked[:head] == number[:head] and masked[len(masked) - tail :] == number[len(number) - tail :]


def test_a_real_services_message_is_masked_whole() -> None:
    message = "certNo 350102199001011238 does not match; mobile +86 13800138000; card 6222 0212 3456 7890 123"
    masked = redact(message)
    assert masked == (
        "certNo 3501**********1238 does not match; mobile 138****8000; card 6222 **** **** ***0 123"
    )


def test_a_number_glued_to_a_word_is_still_masked() -> None:
    assert redact("ID350102199001011238x, tel13800138000") == "ID3501**********1238x, tel138****8000"


def test_identifiers_that_are_not_personal_stay() -> None:
    for text in (
        "seq 1234 of 99999",
        "projectNo 35010220261127000123",  # 20 digits: a 办件编号, not a card
        "evaluationId 0b6f1f5e-8f3a-4d2c-9a51-2f7c3e9d1a40",
        "hash e0b99bbae3e03f5bc9653017645f00be3bed40e21eaef1ebd6909f66fc1ae12b",
        "at 2026-11-27T09:31:05+08:00",
        "DEMO17950000000001",
    ):
        assert redact(text) == text
