"""The evaluation record and its hash chain (uplink-api.md "Evaluation record")."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from typing import Any

from kiosk.domain.hall import Placement
from kiosk.domain.validation import Applicant

GENESIS_HASH = "0" * 64
"""The prevHash of seq 1."""

RECORD_FIELDS: tuple[str, ...] = (
    "evaluationId",
    "deviceId",
    "seq",
    "prevHash",
    "projectNo",
    "taskCode",
    "taskName",
    "deptCode",
    "deptName",
    "areaCode",
    "windowNo",
    "staffId",
    "staffName",
    "pf",
    "satisfaction",
    "evalDetail",
    "writingEvaluation",
    "acceptTime",
    "assessTime",
    "assessNumber",
    "defaultEvaluation",
    "userName",
    "userProp",
    "certType",
    "certNo",
    "mobile",
    "extraPresses",
)
"""Every field of a record but `hash`; every record carries all of them, so that two implementations
hash the same rating alike."""

_FIELD_SET = frozenset(RECORD_FIELDS)
# Exactly json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False), the encoder made once.
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)

PERSONAL_FIELDS: tuple[str, ...] = ("userName", "certNo", "mobile")
"""The fields encrypted at rest and masked everywhere else (rules.md R3)."""


def canonical_bytes(record: Mapping[str, Any]) -> bytes:
    """The canonical form: sorted keys, `,` and `:` separators, not ASCII-escaped, UTF-8, no `hash`.

    Raises:
        ValueError: when a field of RECORD_FIELDS is missing or an unknown one is present.
    """
    body = {k: v for k, v in record.items() if k != "hash"} if "hash" in record else record
    if body.keys() != _FIELD_SET:
        missing = _FIELD_SET - body.keys()
        extra = body.keys() - _FIELD_SET
        raise ValueError(f"record fields: missing {sorted(missing)}, unknown {sorted(extra)}")
    return _CANONICAL.encode(body).encode("utf-8")


def record_hash(record: Mapping[str, Any]) -> str:
    """SHA-256 (hex) of the record's canonical form."""
    return hashlib.sha256(canonical_bytes(record)).hexdigest()


def seal(record: Mapping[str, Any]) -> dict[str, Any]:
    """The record with its `hash` set."""
    sealed = dict(record)
    sealed["hash"] = record_hash(record)
    return sealed


def build_record(  # noqa: PLR0913 - keyword-only: one per field a record takes from its session
    *,
    evaluation_id: str,
    device_id: str,
    seq: int,
    prev_hash: str,
    project_no: str,
    task_code: str,
    task_name: str,
    placement: Placement,
    staff_id: str,
    staff_name: str,
    pf: str,
    satisfaction: int,
    eval_detail: Sequence[str],
    writing_evaluation: str,
    accept_time: str,
    assess_time: str,
    default: bool,
    applicant: Applicant,
    extra_presses: int,
) -> dict[str, Any]:
    """A sealed record (with its `hash`) from a session's facts, the window it was made at and the rating.

    The keys are in canonical (sorted) order: the hash's encoder then sorts a list already in order, a
    third of the encoding's time.
    """
    return seal(
        {
            "acceptTime": accept_time,
            "areaCode": placement.area_code,
            "assessNumber": 1,
            "assessTime": assess_time,
            "certNo": applicant.cert_no,
            "certType": applicant.cert_type,
            "defaultEvaluation": default,
            "deptCode": placement.dept_code,
            "deptName": placement.dept_name,
            "deviceId": device_id,
            "evalDetail": list(eval_detail),
            "evaluationId": evaluation_id,
            "extraPresses": extra_presses,
            "mobile": applicant.mobile,
            "pf": pf,
            "prevHash": prev_hash,
            "projectNo": project_no,
            "satisfaction": satisfaction,
            "seq": seq,
            "staffId": staff_id,
            "staffName": staff_name,
            "taskCode": task_code,
            "taskName": task_name,
            "userName": applicant.name,
            "userProp": applicant.user_prop,
            "windowNo": placement.window_no,
            "writingEvaluation": writing_evaluation,
        }
    )
