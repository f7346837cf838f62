"""Between ledger rows and the records and sessions the rest of the pad works with."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kiosk.domain.record import RECORD_FIELDS
from kiosk.domain.sessions import SessionState
from kiosk.domain.validation import Applicant
from kiosk.store.crypto import PersonalDataCipher

# record field -> ratings column, for every field but the personal ones (sealed in `personal`).
RECORD_COLUMNS: dict[str, str] = {
    "evaluationId": "evaluation_id",
    "deviceId": "device_id",
    "seq": "seq",
    "prevHash": "prev_hash",
    "projectNo": "project_no",
    "taskCode": "task_code",
    "taskName": "task_name",
    "deptCode": "dept_code",
    "deptName": "dept_name",
    "areaCode": "area_code",
    "windowNo": "window_no",
    "staffId": "staff_id",
    "staffName": "staff_name",
    "pf": "pf",
    "satisfaction": "satisfaction",
    "evalDetail": "eval_detail",
    "writingEvaluation": "writing_evaluation",
    "acceptTime": "accept_time",
    "assessTime": "assess_time",
    "assessNumber": "assess_number",
    "defaultEvaluation": "default_evaluation",
    "userProp": "user_prop",
    "certType": "cert_type",
    "extraPresses": "extra_presses",
}
assert set(RECORD_COLUMNS) | {"userName", "certNo", "mobile"} == set(RECORD_FIELDS)


def rating_context(evaluation_id: str) -> str:
    """The associated data that binds a rating's sealed personal fields to its row."""
    return f"rating:{evaluation_id}"


def session_context(session_id: str) -> str:
    return f"session:{session_id}"


RATING_COLUMNS: tuple[str, ...] = ("session_id", "hash", "personal", *RECORD_COLUMNS.values())
"""The ratings table's columns, in the order rating_values gives them."""

# json.dumps(v, ensure_ascii=False) makes an encoder at every call; this one is made once.
_JSON = json.JSONEncoder(ensure_ascii=False)

_CONVERT: dict[str, Callable[[Any], Any]] = {
    "evalDetail": _JSON.encode,
    "defaultEvaluation": int,
}


def rating_values(record: dict[str, Any], session_id: str, cipher: PersonalDataCipher) -> tuple[Any, ...]:
    """The ratings row (in RATING_COLUMNS order) for a sealed record (with `hash`)."""
    personal = cipher.seal(
        {"userName": record["userName"], "certNo": record["certNo"], "mobile": record["mobile"]},
        rating_context(record["evaluationId"]),
    )
    values = [
        _CONVERT[field](record[field]) if field in _CONVERT else record[field] for field in RECORD_COLUMNS
    ]
    return (session_id, record["hash"], personal, *values)


def row_to_record(row: sqlite3.Row, cipher: PersonalDataCipher) -> dict[str, Any]:
    """The record exactly as it was hashed and is sent, rebuilt from what is stored (with `hash`).

    Raises:
        LedgerError: when the sealed personal fields do not open for this row.
    """
    record: dict[str, Any] = {field: row[column] for field, column in RECORD_COLUMNS.items()}
    record["evalDetail"] = json.loads(row["eval_detail"])
    # Stored as 0/1; anything else is a change to the row, and must change the hash, not be coerced.
    flag = row["default_evaluation"]
    record["defaultEvaluation"] = {0: False, 1: True}.get(flag, flag)
    record.update(cipher.open(row["personal"], rating_context(row["evaluation_id"])))
    record["hash"] = row["hash"]
    return record


@dataclass(frozen=True)
class StoredSession:
    """A session as the ledger holds it, personal fields decrypted (keep them off logs and screens)."""

    session_id: str
    project_no: str
    task_code: str
    task_name: str
    accept_time: str
    finish_time: str
    staff_id: str
    staff_name: str
    applicant: Applicant
    state: SessionState
    channel: str | None
    rated_at: str | None
    extra_presses: int
    created_at: str

    @property
    def window_start(self) -> str:
        """finishTime, else acceptTime: where the 7-day window and the QR token's validity start."""
        return self.finish_time or self.accept_time


def row_to_session(row: sqlite3.Row, cipher: PersonalDataCipher) -> StoredSession:
    personal = cipher.open(row["personal"], session_context(row["session_id"]))
    return StoredSession(
        session_id=row["session_id"],
        project_no=row["project_no"],
        task_code=row["task_code"],
        task_name=row["task_name"],
        accept_time=row["accept_time"],
        finish_time=row["finish_time"],
        staff_id=row["staff_id"],
        staff_name=row["staff_name"],
        applicant=Applicant(
            name=personal["name"],
            user_prop=row["user_prop"],
            cert_type=row["cert_type"],
            cert_no=personal["certNo"],
            mobile=personal["mobile"],
        ),
        state=SessionState(row["state"]),
        channel=row["channel"],
        rated_at=row["rated_at"],
        extra_presses=row["extra_presses"],
        created_at=row["created_at"],
    )
