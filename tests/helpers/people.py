"""Made-up people with valid check digits: never a real person's number.

The ID numbers are built from an area code, a birth date and a sequence number chosen here, and their
GB 11643 check character computed; the phone numbers are in the 13800138xxx test range.
"""

from __future__ import annotations

from typing import Any

from kiosk.domain.validation import credit_code_check_character, id_check_character


def resident_id(area: str = "350102", birth: str = "19900101", sequence: str = "123") -> str:
    first17 = area + birth + sequence
    return first17 + id_check_character(first17)


def credit_code(first17: str = "91350102MA2YN1B3K") -> str:
    return first17 + credit_code_check_character(first17)


CHEN_MING_ID = "350102199001011238"  # the spec's worked example
CHEN_MING_MOBILE = "13800138000"


def applicant(
    name: str = "陈明", cert_no: str = CHEN_MING_ID, mobile: str = CHEN_MING_MOBILE
) -> dict[str, Any]:
    return {"name": name, "userProp": "1", "certType": "111", "certNo": cert_no, "mobile": mobile}


def session_body(project_no: str = "35010220261127000123", **overrides: Any) -> dict[str, Any]:
    """A valid POST /api/v1/sessions body (the spec's example), with overrides."""
    body: dict[str, Any] = {
        "projectNo": project_no,
        "taskCode": "1135000000359143343350111002000",
        "taskName": "个体工商户设立登记",
        "acceptTime": "2026-11-27T09:12:00+08:00",
        "finishTime": "2026-11-27T09:30:40+08:00",
        "applicant": applicant(),
    }
    body.update(overrides)
    return body
