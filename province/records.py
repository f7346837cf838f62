"""Evaluation records: their canonical JSON, their hash, and the province's validation of each field.

A record is checked in two steps. `identify` decides whether the record can hold a place in its
device's chain at all (a well-formed evaluationId, seq and prevHash, the signing device, and an intact own
hash); `content_problem` checks every other field of the uplink table, in table order, then the time order.
Neither raises on any JSON value: a record from the wire is untrusted, and a malformed one is a `rejected`
answer, never a server error. Messages never repeat a value (it may be personal data, rules.md R3).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeGuard

from province.catalogue import Catalogue
from province.identifiers import (
    is_area_code,
    is_credit_code,
    is_hash,
    is_mobile,
    is_resident_id,
    is_uuid,
    parse_time,
)

# The uplink table, in its order: every record carries every one of these fields.
FIELDS = (
    "evaluationId", "deviceId", "seq", "prevHash", "hash", "projectNo", "taskCode", "taskName",
    "deptCode", "deptName", "areaCode", "windowNo", "staffId", "staffName", "pf", "satisfaction",
    "evalDetail", "writingEvaluation", "acceptTime", "assessTime", "assessNumber", "defaultEvaluation",
    "userName", "userProp", "certType", "certNo", "mobile", "extraPresses",
)  # fmt: skip
# String fields in which the service does not accept "".
NON_EMPTY = frozenset({
    "evaluationId", "deviceId", "prevHash", "hash", "projectNo", "pf", "acceptTime", "assessTime",
    "userName", "userProp", "certType", "certNo",
})  # fmt: skip
STRING_FIELDS = frozenset({
    "evaluationId", "deviceId", "prevHash", "hash", "projectNo", "taskCode", "taskName", "deptCode",
    "deptName", "areaCode", "windowNo", "staffId", "staffName", "pf", "writingEvaluation", "acceptTime",
    "assessTime", "userName", "userProp", "certType", "certNo", "mobile",
})  # fmt: skip
# The largest integer every JSON implementation holds exactly; SQLite then stores seq and seq + 1 safely.
MAX_SEQ = 2**53 - 1

INVALID_FIELD = "invalid_field"
TIME_ORDER = "time_order"
EVALUATION_ID_REUSED = "evaluation_id_reused"


@dataclass(frozen=True)
class RecordProblem:
    """Why a record is `rejected`: an error code of the uplink spec, the field at fault, and a message."""

    code: str
    field: str | None
    message: str

    def to_json(self) -> dict[str, str]:
        """The `error` object of a result."""
        answer = {"code": self.code, "message": self.message}
        if self.field is not None:
            answer["field"] = self.field
        return answer


def canonical_json(record: Mapping[str, Any]) -> bytes:
    """The canonical form the hash covers: sorted keys, no spaces, not ASCII-escaped, UTF-8.

    Raises:
        UnicodeEncodeError: when a string holds a lone surrogate (not UTF-8 text).
        RecursionError: for absurdly nested values.
    """
    text = json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.encode("utf-8")


def record_hash(record: Mapping[str, Any]) -> str:
    """The hex SHA-256 of the record's canonical JSON without its `hash` field.

    Raises:
        UnicodeEncodeError: when a string holds a lone surrogate.
        RecursionError: for absurdly nested values.
    """
    return hashlib.sha256(canonical_json({k: v for k, v in record.items() if k != "hash"})).hexdigest()


def _invalid(field: str | None, message: str) -> RecordProblem:
    return RecordProblem(INVALID_FIELD, field, message)


def _is_int(value: object) -> TypeGuard[int]:
    # JSON true/false arrive as bool, which Python counts as int: they are not numbers here.
    return isinstance(value, int) and not isinstance(value, bool)


@dataclass(frozen=True)
class Identity:
    """What places a record in its device's chain; the record itself is kept whole beside it."""

    evaluation_id: str
    seq: int
    prev_hash: str
    hash: str
    record: dict[str, Any]


def identify(record: object, signer: str) -> Identity | RecordProblem:  # noqa: PLR0911 - one answer per way a record can be wrong
    """The record's place in the signing device's chain, or why it cannot hold one.

    Args:
        record: one element of the batch's `evaluations`, any JSON value.
        signer: the deviceId that signed the request.

    Returns:
        The record's identity, or an `invalid_field` problem for a record that is not an object, a malformed
        evaluationId, hash, seq or prevHash, a hash that does not match the record, or a deviceId other than
        the signer's.
    """
    if not isinstance(record, dict):
        return _invalid("record", "a record must be a JSON object")
    evaluation_id = record.get("evaluationId")
    if not isinstance(evaluation_id, str) or not is_uuid(evaluation_id):
        return _invalid("evaluationId", "evaluationId must be a UUID string")
    claimed = record.get("hash")
    if not isinstance(claimed, str) or not is_hash(claimed):
        return _invalid("hash", "hash must be 64 lowercase hex characters")
    try:
        intact = record_hash(record) == claimed
    except (UnicodeEncodeError, RecursionError):
        return _invalid("record", "the record is not UTF-8 text or is nested too deeply")
    if not intact:
        return _invalid("hash", "hash does not match the record's canonical JSON")
    if record.get("deviceId") != signer:
        return _invalid("deviceId", "deviceId must be the device that signed the request")
    seq = record.get("seq")
    if not isinstance(seq, int) or isinstance(seq, bool) or not 1 <= seq <= MAX_SEQ:
        return _invalid("seq", "seq must be an integer from 1")
    prev_hash = record.get("prevHash")
    if not isinstance(prev_hash, str) or not is_hash(prev_hash):
        return _invalid("prevHash", "prevHash must be 64 lowercase hex characters")
    return Identity(evaluation_id, seq, prev_hash, claimed, record)


def _check_project_no(value: str, record: Mapping[str, Any], catalogue: Catalogue) -> str | None:
    return "projectNo is at most 50 characters" if len(value) > 50 else None


def _check_dept_code(value: str, record: Mapping[str, Any], catalogue: Catalogue) -> str | None:
    if value and not is_credit_code(value):
        return "deptCode must be an 18-character unified social credit code (GB 32100)"
    return None


def _check_area_code(value: str, record: Mapping[str, Any], catalogue: Catalogue) -> str | None:
    return "areaCode must be 6 or 9 digits" if value and not is_area_code(value) else None


def _check_pf(value: str, record: Mapping[str, Any], catalogue: Catalogue) -> str | None:
    return None if value in {"1", "2", "3", "4", "5", "6", "7"} else 'pf must be a string "1".."7"'


def _check_satisfaction(value: object, record: Mapping[str, Any], catalogue: Catalogue) -> str | None:
    return None if _is_int(value) and value in {1, 2, 3, 4, 5} else "satisfaction must be an integer 1..5"


def _check_eval_detail(value: object, record: Mapping[str, Any], catalogue: Catalogue) -> str | None:
    if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
        return "evalDetail must be an array of strings"
    if len(set(value)) != len(value):
        return "evalDetail lists a reason code twice"
    for code in value:
        level = catalogue.level_of(code)
        if level is None:
            return "evalDetail holds an unknown reason code"
        if level != record["satisfaction"]:
            return f"reason code {code} belongs to level {level}, not to the record's satisfaction"
    return None


def _check_writing(value: str, record: Mapping[str, Any], catalogue: Catalogue) -> str | None:
    return "writingEvaluation is at most 150 characters" if len(value) > 150 else None


def _check_time(value: str, record: Mapping[str, Any], catalogue: Catalogue) -> str | None:
    return None if parse_time(value) is not None else "must be a time YYYY-MM-DDThh:mm:ss±hh:mm"


def _check_assess_number(value: object, record: Mapping[str, Any], catalogue: Catalogue) -> str | None:
    return None if _is_int(value) and value == 1 else "assessNumber must be 1 (a first rating)"


def _check_default(value: object, record: Mapping[str, Any], catalogue: Catalogue) -> str | None:
    if not isinstance(value, bool):
        return "defaultEvaluation must be a boolean"
    # R6: a default rating is 满意 (4), recorded by the device (pf "5"), with no reasons.
    if value and (record["satisfaction"] != 4 or record["pf"] != "5" or record["evalDetail"]):
        return 'a default rating has satisfaction 4, pf "5" and no reasons (R6)'
    return None


def _check_user_prop(value: str, record: Mapping[str, Any], catalogue: Catalogue) -> str | None:
    return None if value in {"1", "2"} else 'userProp must be "1" (个人) or "2" (法人)'


def _check_cert_type(value: str, record: Mapping[str, Any], catalogue: Catalogue) -> str | None:
    return None if catalogue.cert_type(value) is not None else "certType is not in the certificate-type table"


def _check_cert_no(value: str, record: Mapping[str, Any], catalogue: Catalogue) -> str | None:
    cert = catalogue.cert_type(record["certType"])
    if cert is not None and cert.check == "GB 11643" and not is_resident_id(value):
        return "certNo is not a valid citizen ID number (GB 11643 check character)"
    if cert is not None and cert.check == "GB 32100" and not is_credit_code(value):
        return "certNo is not a valid unified social credit code (GB 32100 check character)"
    return None


def _check_mobile(value: str, record: Mapping[str, Any], catalogue: Catalogue) -> str | None:
    return "mobile must be empty or an 11-digit mobile number" if value and not is_mobile(value) else None


def _check_extra_presses(value: object, record: Mapping[str, Any], catalogue: Catalogue) -> str | None:
    return None if _is_int(value) and value >= 0 else "extraPresses must be an integer ≥ 0"


_Check = Callable[[Any, Mapping[str, Any], Catalogue], str | None]
# The checks beyond "a string" / "a non-empty string"; each runs only once the fields before it are valid,
# so it may rely on them (evalDetail on satisfaction, certNo on certType).
_CHECKS: dict[str, _Check] = {
    "projectNo": _check_project_no,
    "deptCode": _check_dept_code,
    "areaCode": _check_area_code,
    "pf": _check_pf,
    "satisfaction": _check_satisfaction,
    "evalDetail": _check_eval_detail,
    "writingEvaluation": _check_writing,
    "acceptTime": _check_time,
    "assessTime": _check_time,
    "assessNumber": _check_assess_number,
    "defaultEvaluation": _check_default,
    "userProp": _check_user_prop,
    "certType": _check_cert_type,
    "certNo": _check_cert_no,
    "mobile": _check_mobile,
    "extraPresses": _check_extra_presses,
}


def content_problem(record: Mapping[str, Any], catalogue: Catalogue) -> RecordProblem | None:  # noqa: PLR0911 - one answer per way a record can be wrong
    """Why a record whose identity is sound is `rejected`, or None when it is a valid rating.

    Args:
        record: a record that `identify` placed.
        catalogue: the reason codes and certificate types in force.

    Returns:
        `invalid_field` naming the first missing or malformed field in table order (then any field that is
        not in the table), else `time_order` when assessTime is before acceptTime, else None.
    """
    for field in FIELDS:
        if field not in record:
            return _invalid(field, f"{field} is missing")
        value = record[field]
        if field in STRING_FIELDS and not isinstance(value, str):
            return _invalid(field, f"{field} must be a string")
        if field in NON_EMPTY and value == "":
            return _invalid(field, f"{field} must not be empty")
        check = _CHECKS.get(field)
        message = check(value, record, catalogue) if check is not None else None
        if message is not None:
            return _invalid(field, message)
    unknown = sorted(set(record) - set(FIELDS))
    if unknown:
        # A field outside the table would still be hashed, so two implementations could disagree on it.
        return _invalid(unknown[0][:64], "the field is not in the v1 record table")
    accept, assess = parse_time(record["acceptTime"]), parse_time(record["assessTime"])
    if accept is not None and assess is not None and assess < accept:
        return RecordProblem(TIME_ORDER, "assessTime", "assessTime is before acceptTime")
    return None
