"""Validators for what the case system sends (counter-bridge-api.md "Validation") and rules R2, R5."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from kiosk.domain.timefmt import format_time, parse_time

PROJECT_NO = re.compile(r"[A-Za-z0-9_-]{1,50}\Z")
MOBILE = re.compile(r"1\d{10}\Z")
FUTURE_TOLERANCE = timedelta(minutes=5)

# GB 11643-1999: weights 2^(17-i) mod 11 over the first 17 digits; the check character indexes this table.
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"

# GB 32100-2015: the 31 characters it uses (no I, O, Z, S, V) and weights 3^i mod 31.
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

CERT_RESIDENT_ID = "111"
CERT_CREDIT_CODE = "001"
DEFAULT_CERT_TYPES: dict[str, str] = {
    "111": "居民身份证",
    "414": "普通护照",
    "516": "港澳居民来往内地通行证",
    "511": "台湾居民来往大陆通行证",
    "001": "统一社会信用代码",
    "990": "其他",
}


class FieldError(ValueError):
    """A field failed validation; `field` names it as the bridge reports it (e.g. `applicant.certNo`).

    The message never repeats the value: it may be personal data (rules.md R3).
    """

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def id_check_character(first17: str) -> str:
    """The GB 11643 check character for 17 digits."""
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def normalise_resident_id(cert_no: str) -> str:
    """A resident ID number with a final lowercase x taken as X."""
    return cert_no[:-1] + "X" if cert_no.endswith("x") else cert_no


def is_valid_resident_id(cert_no: str) -> bool:
    """Whether `cert_no` is 17 digits and its GB 11643 check character (a final x counts as X)."""
    cert_no = normalise_resident_id(cert_no)
    if len(cert_no) != 18 or not cert_no[:17].isascii() or not cert_no[:17].isdigit():
        return False
    return id_check_character(cert_no[:17]) == cert_no[17]


def credit_code_check_character(first17: str) -> str:
    """The GB 32100 check character for the first 17 characters of a unified social credit code."""
    total = sum(CREDIT_CODE_ALPHABET.index(c) * w for c, w in zip(first17, _CREDIT_WEIGHTS, strict=True))
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def is_valid_credit_code(code: str) -> bool:
    """Whether `code` is 18 characters of the GB 32100 alphabet ending in its check character."""
    if len(code) != 18 or any(c not in CREDIT_CODE_ALPHABET for c in code):
        return False
    return credit_code_check_character(code[:17]) == code[17]


def is_valid_mobile(mobile: str) -> bool:
    return bool(MOBILE.match(mobile))


def is_valid_project_no(project_no: str) -> bool:
    return bool(PROJECT_NO.match(project_no))


@dataclass(frozen=True)
class Applicant:
    """The real-name evaluator (R2). Never log or show it except through `kiosk.domain.masking`."""

    name: str
    user_prop: str
    cert_type: str
    cert_no: str
    mobile: str = ""

    def __repr__(self) -> str:
        # A traceback or a debug log line must not carry the certificate or phone number (R3).
        from kiosk.domain.masking import mask_cert_no, mask_mobile, mask_name

        return (
            f"Applicant(name={mask_name(self.name)!r}, user_prop={self.user_prop!r}, "
            f"cert_type={self.cert_type!r}, cert_no={mask_cert_no(self.cert_no)!r}, "
            f"mobile={mask_mobile(self.mobile)!r})"
        )

    __str__ = __repr__


@dataclass(frozen=True)
class SessionRequest:
    """A validated `POST /api/v1/sessions` body."""

    project_no: str
    accept_time: str
    applicant: Applicant
    finish_time: str = ""
    task_code: str = ""
    task_name: str = ""
    staff_id: str = ""
    replace: bool = False

    @property
    def window_start(self) -> datetime:
        """The start of the 7-day window (R6) and of the QR token's validity: finishTime, else acceptTime."""
        return parse_time(self.finish_time or self.accept_time)


def _string(body: Mapping[str, Any], key: str, field: str, required: bool) -> str:
    value = body.get(key)
    if value is None:
        if required:
            raise FieldError(field, "is required")
        return ""
    if not isinstance(value, str):
        raise FieldError(field, "must be a string")
    return value


def _time(body: Mapping[str, Any], key: str, required: bool, now: datetime) -> tuple[str, datetime | None]:
    text = _string(body, key, key, required)
    if not text and not required:
        return "", None
    try:
        value = parse_time(text)
    except ValueError as exc:
        raise FieldError(key, str(exc)) from None
    if value - now > FUTURE_TOLERANCE:
        raise FieldError(key, "is more than 5 minutes in the future")
    return format_time(value), value


def _applicant(body: Mapping[str, Any], cert_types: Collection[str]) -> Applicant:
    raw = body.get("applicant")
    if raw is None:
        raise FieldError("applicant", "is required")
    if not isinstance(raw, Mapping):
        raise FieldError("applicant", "must be an object")
    name = _string(raw, "name", "applicant.name", required=True)
    if not 1 <= len(name) <= 50 or not name.strip():
        raise FieldError("applicant.name", "must be 1-50 characters")
    user_prop = _string(raw, "userProp", "applicant.userProp", required=True)
    if user_prop not in ("1", "2"):
        raise FieldError("applicant.userProp", "must be '1' (个人) or '2' (法人)")
    cert_type = _string(raw, "certType", "applicant.certType", required=True)
    if cert_type not in cert_types:
        raise FieldError("applicant.certType", "is not in the certificate-type table")
    if (user_prop == "2") != (cert_type == CERT_CREDIT_CODE):
        raise FieldError(
            "applicant.certType", "userProp '2' goes with certType 001, and '1' with the other types"
        )
    cert_no = _string(raw, "certNo", "applicant.certNo", required=True)
    if cert_type == CERT_RESIDENT_ID:
        if not is_valid_resident_id(cert_no):
            raise FieldError("applicant.certNo", "is not an 18-character ID number with a valid check digit")
        cert_no = normalise_resident_id(cert_no)
    elif cert_type == CERT_CREDIT_CODE:
        if not is_valid_credit_code(cert_no):
            raise FieldError(
                "applicant.certNo", "is not an 18-character credit code with a valid check character"
            )
    elif not 1 <= len(cert_no) <= 50 or not cert_no.isprintable() or cert_no.strip() != cert_no:
        raise FieldError("applicant.certNo", "must be 1-50 printable characters")
    mobile = _string(raw, "mobile", "applicant.mobile", required=False)
    if mobile and not is_valid_mobile(mobile):
        raise FieldError("applicant.mobile", "must be empty or 11 digits starting with 1")
    return Applicant(name, user_prop, cert_type, cert_no, mobile)


def validate_session_request(
    body: Any,
    *,
    now: datetime,
    cert_types: Collection[str] = DEFAULT_CERT_TYPES.keys(),
    staff_roster: Collection[str] | None = None,
) -> SessionRequest:
    """Checks a session body field by field, in the order the spec lists them.

    Args:
        body: the decoded JSON.
        now: the pad's current time (aware), for the 5-minute future limit.
        cert_types: the certificate-type table in force (the province's, else the default).
        staff_roster: the staff ids in force, or None when the pad has no roster.

    Raises:
        FieldError: on the first field that fails.
    """
    if not isinstance(body, Mapping):
        raise FieldError("body", "must be a JSON object")
    project_no = _string(body, "projectNo", "projectNo", required=True)
    if not is_valid_project_no(project_no):
        raise FieldError("projectNo", "must be 1-50 characters of A-Z a-z 0-9 _ -")
    accept_text, accept = _time(body, "acceptTime", True, now)
    finish_text, finish = _time(body, "finishTime", False, now)
    if finish is not None and accept is not None and finish < accept:
        raise FieldError("finishTime", "is before acceptTime")
    applicant = _applicant(body, cert_types)
    staff_id = _string(body, "staffId", "staffId", required=False)
    if len(staff_id) > 50:
        raise FieldError("staffId", "must be at most 50 characters")
    if staff_id and staff_roster is not None and staff_id not in staff_roster:
        raise FieldError("staffId", "is not in the staff roster")
    task_code = _string(body, "taskCode", "taskCode", required=False)
    task_name = _string(body, "taskName", "taskName", required=False)
    replace = body.get("replace", False)
    if not isinstance(replace, bool):
        raise FieldError("replace", "must be true or false")
    return SessionRequest(
        project_no=project_no,
        accept_time=accept_text,
        finish_time=finish_text,
        applicant=applicant,
        task_code=task_code,
        task_name=task_name,
        staff_id=staff_id,
        replace=replace,
    )


def assess_time(pressed_at: datetime, accept_time: str) -> tuple[datetime, bool]:
    """The assessTime for a press or touch at `pressed_at`, by rule R5.

    Returns:
        The time to record and whether the clock was at fault (earlier than acceptTime): then the
        session's acceptTime is taken instead, and the caller logs the fault.
    """
    accepted = parse_time(accept_time)
    if pressed_at < accepted:
        return accepted, True
    return pressed_at, False
