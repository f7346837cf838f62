"""Validators: ID and credit-code check characters, mobile, times, and a session body field by field."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.domain.timefmt import format_time, parse_time
from kiosk.domain.validation import (
    CREDIT_CODE_ALPHABET,
    FieldError,
    assess_time,
    credit_code_check_character,
    id_check_character,
    is_valid_credit_code,
    is_valid_mobile,
    is_valid_project_no,
    is_valid_resident_id,
    validate_session_request,
)
from tests.helpers.people import CHEN_MING_ID, credit_code, session_body

NOW = datetime(2026, 11, 27, 10, 0, tzinfo=timezone(timedelta(hours=8)))

digits17 = st.text(alphabet="0123456789", min_size=17, max_size=17)
credit17 = st.text(alphabet=CREDIT_CODE_ALPHABET, min_size=17, max_size=17)


def test_spec_examples_are_valid() -> None:
    assert is_valid_resident_id(CHEN_MING_ID)
    assert is_valid_credit_code("11350102003622411H")
    assert not is_valid_resident_id("350102199001011239")
    assert not is_valid_credit_code("11350102003622411J")


def test_lowercase_x_counts_as_x() -> None:
    first17 = next(
        f"1101051990010{n:04d}" for n in range(10000) if id_check_character(f"1101051990010{n:04d}") == "X"
    )
    assert is_valid_resident_id(first17 + "X")
    assert is_valid_resident_id(first17 + "x")
    body = session_body()
    body["applicant"]["certNo"] = first17 + "x"
    assert validate_session_request(body, now=NOW).applicant.cert_no == first17 + "X"


@given(digits17)
def test_generated_ids_pass(first17: str) -> None:
    assert is_valid_resident_id(first17 + id_check_character(first17))


@given(digits17, st.integers(0, 17), st.sampled_from("0123456789Xx"))
def test_any_single_changed_character_fails_an_id(first17: str, position: int, replacement: str) -> None:
    valid = first17 + id_check_character(first17)
    changed = valid[:position] + replacement + valid[position + 1 :]
    if changed.upper() == valid.upper():
        return
    assert not is_valid_resident_id(changed)


@given(credit17)
def test_generated_credit_codes_pass(first17: str) -> None:
    assert is_valid_credit_code(first17 + credit_code_check_character(first17))


@given(credit17, st.integers(0, 17), st.characters(codec="ascii", categories=["Lu", "Nd", "Ll"]))
def test_any_single_changed_character_fails_a_credit_code(
    first17: str, position: int, replacement: str
) -> None:
    valid = first17 + credit_code_check_character(first17)
    changed = valid[:position] + replacement + valid[position + 1 :]
    if changed == valid:
        return
    assert not is_valid_credit_code(changed)


@given(st.text(max_size=25))
def test_validators_never_raise(text: str) -> None:
    for check in (is_valid_resident_id, is_valid_credit_code, is_valid_mobile, is_valid_project_no):
        assert isinstance(check(text), bool)


def test_mobile_and_project_no() -> None:
    assert is_valid_mobile("13800138000")
    assert not is_valid_mobile("23800138000")
    assert not is_valid_mobile("1380013800")
    assert is_valid_project_no("A-b_9" * 10)
    assert not is_valid_project_no("A" * 51)
    assert not is_valid_project_no("35/01")
    assert not is_valid_project_no("")


def test_times_need_an_offset_and_are_written_in_whole_seconds() -> None:
    assert format_time(parse_time("2026-11-27T09:12:00.123+08:00")) == "2026-11-27T09:12:00+08:00"
    assert format_time(parse_time("2026-11-27T01:12:00Z")) == "2026-11-27T01:12:00+00:00"
    for bad in ("2026-11-27T09:12:00", "2026-11-27 09:12:00+08:00", "2026-W48-5T09:12:00+08:00", "yesterday"):
        with pytest.raises(ValueError):
            parse_time(bad)


def _field_error(body: dict[str, Any], **kwargs: Any) -> str:
    with pytest.raises(FieldError) as caught:
        validate_session_request(body, now=NOW, **kwargs)
    return caught.value.field


def _with_applicant(**changes: Any) -> dict[str, Any]:
    body = session_body()
    body["applicant"] = {**body["applicant"], **changes}
    return body


def test_a_valid_body_passes() -> None:
    request = validate_session_request(session_body(), now=NOW)
    assert request.project_no == "35010220261127000123"
    assert request.finish_time == "2026-11-27T09:30:40+08:00"
    assert request.applicant.cert_no == CHEN_MING_ID
    assert not request.replace


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**session_body(), "projectNo": None}, "projectNo"),
        ({**session_body(), "projectNo": "35 01"}, "projectNo"),
        ({**session_body(), "acceptTime": "2026-11-27T09:12:00"}, "acceptTime"),
        ({**session_body(), "acceptTime": "2026-11-27T10:06:00+08:00"}, "acceptTime"),
        ({**session_body(), "finishTime": "2026-11-27T09:00:00+08:00"}, "finishTime"),
        ({**session_body(), "applicant": None}, "applicant"),
        (_with_applicant(name=""), "applicant.name"),
        (_with_applicant(name="陈" * 51), "applicant.name"),
        (_with_applicant(userProp="3"), "applicant.userProp"),
        (_with_applicant(certType="999"), "applicant.certType"),
        (_with_applicant(userProp="2"), "applicant.certType"),
        (_with_applicant(certNo="350102199001011239"), "applicant.certNo"),
        (_with_applicant(mobile="2380013800"), "applicant.mobile"),
        ({**session_body(), "taskName": 5}, "taskName"),
        ({**session_body(), "replace": "yes"}, "replace"),
    ],
)
def test_each_bad_field_is_named(body: dict[str, Any], field: str) -> None:
    assert _field_error(body) == field


def test_fields_are_checked_in_the_spec_order() -> None:
    body = {**_with_applicant(certNo="bad"), "projectNo": "bad no"}
    assert _field_error(body) == "projectNo"


def test_legal_person_with_credit_code_and_staff_roster() -> None:
    body = _with_applicant(userProp="2", certType="001", certNo=credit_code(), mobile="")
    assert validate_session_request(body, now=NOW).applicant.cert_type == "001"
    assert _field_error(_with_applicant(userProp="2", certType="001", certNo="11350102003622411J")) == (
        "applicant.certNo"
    )
    body = {**session_body(), "staffId": "S9"}
    assert _field_error(body, staff_roster={"S1024"}) == "staffId"
    assert validate_session_request(body, now=NOW, staff_roster=None).staff_id == "S9"


def test_field_errors_never_echo_the_value() -> None:
    body = _with_applicant(certNo="350102199001011239")
    with pytest.raises(FieldError) as caught:
        validate_session_request(body, now=NOW)
    assert "350102199001011239" not in str(caught.value)


def test_assess_time_is_never_before_accept_time() -> None:
    accepted = "2026-11-27T09:12:00+08:00"
    early = parse_time("2026-11-27T09:00:00+08:00")
    assert assess_time(early, accepted) == (parse_time(accepted), True)
    late = parse_time("2026-11-27T09:31:05+08:00")
    assert assess_time(late, accepted) == (late, False)
