"""办件 as the hall's case system reports them, and first ratings made on other channels (sandbox only).

The real province learns of 办件 from the case-handling system and of ratings from phones and the 12345 line;
the sandbox stands in for both so that `conflict` and "rated elsewhere" can be exercised.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from province.errors import AlreadyRatedError
from province.ingest import has_first_rating

DEVICE, OTHER_CHANNEL = "device", "other"


@dataclass(frozen=True)
class Project:
    """A 办件 as the case system reported it (`POST /projects`), with its applicant as given."""

    project_no: str
    task_code: str
    task_name: str
    accept_time: str
    applicant: dict[str, Any]

    @property
    def applicant_name(self) -> str:
        """The applicant's name, "" when the case system gave none; it is shown only masked."""
        return applicant_name(self.applicant)


def applicant_name(applicant: object) -> str:
    """The name in an applicant as `POST /projects` gave it (`name`, or a record's `userName`), or ""."""
    if not isinstance(applicant, dict):
        return ""
    for key in ("name", "userName"):
        name = applicant.get(key)
        if isinstance(name, str) and name:
            return name
    return ""


@dataclass(frozen=True)
class FirstRating:
    """A 办件's first rating, wherever it was made."""

    satisfaction: int
    pf: str
    assess_time: str
    source: str  # DEVICE or OTHER_CHANNEL

    def to_json(self) -> dict[str, Any]:
        """The answer of `GET /projects/{projectNo}/evaluation` for a rated 办件."""
        return {
            "rated": True,
            "satisfaction": self.satisfaction,
            "pf": self.pf,
            "assessTime": self.assess_time,
        }


# What `POST /projects` may carry beside projectNo, taskCode, taskName, acceptTime and applicant: (wire name,
# column).
CASE_FIELDS = (
    ("finishTime", "finish_time"),
    ("deptCode", "dept_code"),
    ("deptName", "dept_name"),
    ("windowNo", "window_no"),
    ("staffId", "staff_id"),
    ("staffName", "staff_name"),
)


def report_project(
    conn: sqlite3.Connection,
    project_no: str,
    *,
    task_code: str,
    task_name: str,
    accept_time: str,
    applicant: dict[str, Any],
    now: float,
    case: dict[str, str] | None = None,
) -> None:
    """Stores (or replaces) a 办件 as the case system reports it, with its applicant.

    Args:
        case: the optional fields of CASE_FIELDS by wire name (finishTime, deptCode, …); "" when absent.
    """
    extras = [(case or {}).get(wire, "") for wire, _ in CASE_FIELDS]
    columns = [column for _, column in CASE_FIELDS]
    updates = ", ".join(f"{column} = excluded.{column}" for column in columns)
    conn.execute(
        "INSERT INTO projects (project_no, task_code, task_name, accept_time, applicant, reported_at,"
        f" {', '.join(columns)}) VALUES (?, ?, ?, ?, ?, ?, {', '.join('?' * len(columns))})"
        " ON CONFLICT (project_no) DO UPDATE SET task_code = excluded.task_code,"
        " task_name = excluded.task_name, accept_time = excluded.accept_time, applicant = excluded.applicant,"
        f" reported_at = excluded.reported_at, {updates}",
        (project_no, task_code, task_name, accept_time, json.dumps(applicant), now, *extras),
    )


def find_project(conn: sqlite3.Connection, project_no: str) -> Project | None:
    """The 办件 the case system reported under this number, or None."""
    row = conn.execute(
        "SELECT project_no, task_code, task_name, accept_time, applicant FROM projects WHERE project_no = ?",
        (project_no,),
    ).fetchone()
    if row is None:
        return None
    applicant = json.loads(row["applicant"])
    return Project(
        row["project_no"],
        row["task_code"],
        row["task_name"],
        row["accept_time"],
        applicant if isinstance(applicant, dict) else {},
    )


def rate_elsewhere(
    conn: sqlite3.Connection,
    project_no: str,
    *,
    satisfaction: int,
    pf: str,
    eval_detail: Sequence[str],
    assess_time: str,
    now: float,
    writing_evaluation: str = "",
) -> None:
    """Records a first rating made on another channel (the phone page, the 12345 line).

    Raises:
        AlreadyRatedError: when the 办件 already has a first rating (R1).
    """
    if has_first_rating(conn, project_no):
        raise AlreadyRatedError("this 办件 already has a first rating")
    conn.execute(
        "INSERT INTO other_ratings (project_no, satisfaction, pf, eval_detail, writing_evaluation,"
        " assess_time, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (project_no, satisfaction, pf, json.dumps(list(eval_detail)), writing_evaluation, assess_time, now),
    )


def first_rating(conn: sqlite3.Connection, project_no: str) -> FirstRating | None:
    """The 办件's first rating: an accepted device record or another channel's rating, or None."""
    row = conn.execute(
        "SELECT record FROM evaluations WHERE project_no = ? AND status = 'accepted'", (project_no,)
    ).fetchone()
    if row is not None:
        record = json.loads(row["record"])
        return FirstRating(record["satisfaction"], record["pf"], record["assessTime"], DEVICE)
    row = conn.execute(
        "SELECT satisfaction, pf, assess_time FROM other_ratings WHERE project_no = ?", (project_no,)
    ).fetchone()
    if row is None:
        return None
    return FirstRating(row["satisfaction"], row["pf"], row["assess_time"], OTHER_CHANNEL)
