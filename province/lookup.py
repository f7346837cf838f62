"""Finding a citizen's cases for a self-service terminal (uplink-api.md "Finding cases").

`POST /devices/{deviceId}/lookup` finds the 办件 of the last 30 days by the applicant's certificate (an ID card
laid on the terminal) or by projectNo and a check (a receipt's barcode, or a typed 办件编号, with the last 4
characters of the applicant's certNo or the last 4 digits of their mobile). A wrong check finds nothing, exactly
as an unknown projectNo does, so that the answer never tells whether a number exists; and a device whose
look-ups found nothing 10 times within a minute is made to wait, so that checks cannot be guessed.
"""

from __future__ import annotations

import json
import math
import re
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from province.catalogue import Catalogue
from province.identifiers import is_resident_id, parse_time
from province.projects import first_rating

MAX_CASES = 20
WINDOW_S = 30 * 86400  # the look-up's reach: cases accepted in the last 30 days
MISSES_ALLOWED = 10  # look-ups that found nothing, per device …
MISS_WINDOW_S = 60.0  # … within this many seconds
DAY_S = 86400

RATEABLE, RATED, EXPIRED = "rateable", "rated", "expired"
_PROJECT_NO = re.compile(r"[A-Za-z0-9_-]{1,50}\Z")
_CHECK = re.compile(r"[0-9A-Za-z]{4}\Z")
_MEMBERS = {"cert": {"by", "certType", "certNo"}, "project": {"by", "projectNo", "check"}}


class LookupFieldError(ValueError):
    """A look-up body is malformed; `field` names the member at fault. The message never repeats a value."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class TooManyLookupsError(Exception):
    """The device's look-ups found nothing 10 times within the last minute.

    Attributes:
        retry_after_s: whole seconds until the oldest of them is a minute old.
    """

    def __init__(self, retry_after_s: int) -> None:
        super().__init__(f"{MISSES_ALLOWED} look-ups found nothing within a minute; try again later")
        self.retry_after_s = retry_after_s


@dataclass(frozen=True)
class LookupRequest:
    """A checked look-up: by `cert` (cert_type, cert_no) or by `project` (project_no, check)."""

    by: str
    cert_type: str = ""
    cert_no: str = ""
    project_no: str = ""
    check: str = ""

    def __repr__(self) -> str:
        # A traceback must not carry the certificate number or the check.
        return f"LookupRequest(by={self.by!r}, cert_type={self.cert_type!r}, project_no={self.project_no!r})"


def _string(body: dict[str, Any], field: str) -> str:
    value = body.get(field)
    if not isinstance(value, str) or not value:
        raise LookupFieldError(field, f"{field} must be a non-empty string")
    return value


def parse_lookup(body: Any, catalogue: Catalogue) -> LookupRequest:
    """Checks a look-up body member by member.

    Args:
        body: the decoded JSON.
        catalogue: the certificate types in force.

    Raises:
        LookupFieldError: naming the first member at fault.
    """
    if not isinstance(body, dict):
        raise LookupFieldError("body", "the body must be a JSON object")
    by = body.get("by")
    if by not in _MEMBERS:
        raise LookupFieldError("by", 'by must be "cert" or "project"')
    for member in body:
        if member not in _MEMBERS[by]:
            raise LookupFieldError(member, f"{member} is not a member of a look-up by {by}")
    if by == "cert":
        cert_type = _string(body, "certType")
        if catalogue.cert_type(cert_type) is None:
            raise LookupFieldError("certType", "certType is not in the certificate-type table")
        cert_no = _string(body, "certNo")
        if len(cert_no) > 50 or not cert_no.isprintable() or cert_no.strip() != cert_no:
            raise LookupFieldError("certNo", "certNo must be 1-50 printable characters")
        if cert_type == "111" and not is_resident_id(cert_no):
            raise LookupFieldError("certNo", "certNo is not an ID number with a valid check character")
        return LookupRequest("cert", cert_type=cert_type, cert_no=cert_no.upper())
    project_no = _string(body, "projectNo")
    if not _PROJECT_NO.match(project_no):
        raise LookupFieldError("projectNo", "projectNo must be 1-50 characters of A-Z a-z 0-9 _ -")
    check = _string(body, "check")
    if not _CHECK.match(check):
        raise LookupFieldError("check", "check must be 4 letters or digits")
    return LookupRequest("project", project_no=project_no, check=check.upper())


def mask_name(name: str) -> str:
    """A name as rules.md R3 shows it: 陈*明, 陈*."""
    if len(name) <= 1:
        return "*" * len(name)
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def _applicant_name(applicant: dict[str, Any]) -> str:
    name = applicant.get("name", applicant.get("userName", ""))
    return name if isinstance(name, str) else ""


def _applicant_json(applicant: dict[str, Any]) -> dict[str, str]:
    """The applicant as a rating record needs it (R2)."""

    def text(key: str) -> str:
        value = applicant.get(key, "")
        return value if isinstance(value, str) else ""

    return {
        "name": _applicant_name(applicant),
        "userProp": text("userProp"),
        "certType": text("certType"),
        "certNo": text("certNo"),
        "mobile": text("mobile"),
    }


def _check_matches(applicant: dict[str, Any], check: str) -> bool:
    cert_no, mobile = applicant.get("certNo"), applicant.get("mobile")
    if isinstance(cert_no, str) and len(cert_no) >= 4 and cert_no[-4:].upper() == check:
        return True
    return isinstance(mobile, str) and len(mobile) >= 4 and mobile[-4:].isdigit() and mobile[-4:] == check


def _candidates(conn: sqlite3.Connection, request: LookupRequest) -> list[sqlite3.Row]:
    if request.by == "cert":
        rows = conn.execute(
            "SELECT * FROM projects WHERE json_extract(applicant, '$.certNo') IN (?, ?)",
            (request.cert_no, request.cert_no.lower()),
        ).fetchall()
        return [row for row in rows if json.loads(row["applicant"]).get("certType") == request.cert_type]
    row = conn.execute("SELECT * FROM projects WHERE project_no = ?", (request.project_no,)).fetchone()
    if row is None or not _check_matches(json.loads(row["applicant"]), request.check):
        return []
    return [row]


def _case_json(
    conn: sqlite3.Connection, row: sqlite3.Row, now: float, default_after_days: int
) -> dict[str, Any]:
    applicant = json.loads(row["applicant"])
    start = parse_time(row["finish_time"]) or parse_time(row["accept_time"])
    if first_rating(conn, row["project_no"]) is not None:
        state = RATED
    elif start is not None and now < start.timestamp() + default_after_days * DAY_S:
        state = RATEABLE
    else:
        state = EXPIRED
    case: dict[str, Any] = {
        "projectNo": row["project_no"],
        "taskCode": row["task_code"],
        "taskName": row["task_name"],
        "deptCode": row["dept_code"],
        "deptName": row["dept_name"],
        "acceptTime": row["accept_time"],
        "finishTime": row["finish_time"],
        "windowNo": row["window_no"],
        "staffId": row["staff_id"],
        "staffName": row["staff_name"],
        "state": state,
    }
    if state == RATEABLE:
        case["applicant"] = _applicant_json(applicant)
    else:
        case["applicantName"] = mask_name(_applicant_name(applicant))
    return case


def find_cases(
    conn: sqlite3.Connection, request: LookupRequest, *, now: float, default_after_days: int
) -> list[dict[str, Any]]:
    """The cases a look-up finds: at most 20, newest acceptTime first, accepted within the last 30 days.

    Args:
        conn: a connection inside a transaction.
        request: the checked look-up.
        now: the server's time, unix seconds.
        default_after_days: the hall's R6 window: a case is rateable within it of its finishTime (else
            acceptTime), unless it is rated.
    """
    found: list[tuple[datetime, str, sqlite3.Row]] = []
    for row in _candidates(conn, request):
        accepted = parse_time(row["accept_time"])
        if accepted is not None and now - WINDOW_S <= accepted.timestamp():
            found.append((accepted, row["project_no"], row))
    found.sort(key=lambda item: (item[0].timestamp(), item[1]), reverse=True)
    return [_case_json(conn, row, now, default_after_days) for _, _, row in found[:MAX_CASES]]


def admit_lookup(conn: sqlite3.Connection, device_id: str, now: float) -> None:
    """Lets a look-up through unless the device's look-ups found nothing 10 times within the last minute.

    Raises:
        TooManyLookupsError: with the seconds until the oldest of those is a minute old.
    """
    conn.execute("DELETE FROM lookup_misses WHERE at <= ?", (now - MISS_WINDOW_S,))
    rows = conn.execute(
        "SELECT at FROM lookup_misses WHERE device_id = ? ORDER BY at DESC LIMIT ?",
        (device_id, MISSES_ALLOWED),
    ).fetchall()
    if len(rows) >= MISSES_ALLOWED:
        oldest = rows[-1]["at"]
        raise TooManyLookupsError(max(1, math.ceil(oldest + MISS_WINDOW_S - now)))


def record_miss(conn: sqlite3.Connection, device_id: str, now: float) -> None:
    """Counts a look-up that found nothing."""
    conn.execute("INSERT INTO lookup_misses (device_id, at) VALUES (?, ?)", (device_id, now))
