"""What the sandbox's overview page shows (uplink-api.md "The sandbox's overview page"): its devices, the
last ratings, the counts of duplicates, conflicts and rejections, and the cases rated by phone.

Applicants appear only as masked names; nothing here carries a certificate or phone number.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from province.chain import ChainReport, chain_report
from province.masking import mask_name
from province.projects import applicant_name

LAST_RATINGS = 50
PHONE_PF = "3"  # 二维码: a rating made by scanning a pad's QR code (rules.md "Channels")


@dataclass(frozen=True)
class DeviceLine:
    """One device as the province sees it.

    Attributes:
        device_id: the device.
        hall_name: the name of its hall.
        window_no: its window.
        revoked: whether the province revoked it.
        last_heartbeat_at: server time of its last heartbeat (unix seconds), None before the first.
        queue_depth: the queue depth its last heartbeat reported, None before the first.
        chain: its chain as held (acceptedSeq, gaps, breaks).
        duplicates: how many records it resent that the province already held.
    """

    device_id: str
    hall_name: str
    window_no: str
    revoked: bool
    last_heartbeat_at: float | None
    queue_depth: int | None
    chain: ChainReport
    duplicates: int


@dataclass(frozen=True)
class RatingLine:
    """One rating the province holds or judged: a device's record, or a rating from another channel.

    Attributes:
        received_at: server time of its arrival, unix seconds.
        assess_time: when it was made, as the record says ("" when malformed).
        device_id: the device that sent it; "" for another channel.
        project_no: its 办件.
        satisfaction: 1..5, or None when the record is malformed.
        pf: its channel.
        default: whether it is the 7-day default.
        applicant_masked: the applicant's name, masked (R3).
        status: `accepted`, `conflict` or `rejected` for a device's record; `accepted` for another channel's.
    """

    received_at: float
    assess_time: str
    device_id: str
    project_no: str
    satisfaction: int | None
    pf: str
    default: bool
    applicant_masked: str
    status: str


@dataclass(frozen=True)
class PhoneCase:
    """A 办件 rated by phone (pf 3): on the sandbox's phone page, or reported as such."""

    received_at: float
    assess_time: str
    project_no: str
    task_name: str
    satisfaction: int
    eval_detail: tuple[str, ...]
    applicant_masked: str


@dataclass(frozen=True)
class Overview:
    """Everything the overview page shows; `phone_cases` are the last 50 of `phone_count`."""

    devices: tuple[DeviceLine, ...]
    ratings: tuple[RatingLine, ...]
    duplicates: int
    conflicts: int
    rejections: int
    phone_count: int
    phone_cases: tuple[PhoneCase, ...]


def overview(conn: sqlite3.Connection) -> Overview:
    """Reads the overview from the sandbox database, in one snapshot."""
    duplicates = dict(conn.execute("SELECT device_id, count FROM duplicate_counts").fetchall())
    devices = tuple(_device_line(conn, row, duplicates.get(row["device_id"], 0)) for row in _devices(conn))
    statuses = dict(conn.execute("SELECT status, COUNT(*) FROM evaluations GROUP BY status").fetchall())
    unplaced = conn.execute("SELECT COUNT(*) FROM unplaced_records").fetchone()[0]
    return Overview(
        devices=devices,
        ratings=_last_ratings(conn),
        duplicates=sum(duplicates.values()),
        conflicts=statuses.get("conflict", 0),
        rejections=statuses.get("rejected", 0) + unplaced,
        phone_count=conn.execute("SELECT COUNT(*) FROM other_ratings WHERE pf = ?", (PHONE_PF,)).fetchone()[
            0
        ],
        phone_cases=_phone_cases(conn),
    )


def _devices(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    return conn.execute(
        "SELECT d.device_id, d.window_no, d.revoked, d.last_heartbeat, d.last_heartbeat_at, h.name AS hall_name"
        " FROM devices d JOIN halls h ON h.code = d.hall_code ORDER BY d.enrolled_at, d.device_id"
    ).fetchall()


def _device_line(conn: sqlite3.Connection, row: sqlite3.Row, duplicates: int) -> DeviceLine:
    heartbeat = json.loads(row["last_heartbeat"]) if row["last_heartbeat"] else {}
    depth = heartbeat.get("queueDepth") if isinstance(heartbeat, dict) else None
    return DeviceLine(
        device_id=row["device_id"],
        hall_name=row["hall_name"],
        window_no=row["window_no"],
        revoked=bool(row["revoked"]),
        last_heartbeat_at=row["last_heartbeat_at"],
        queue_depth=depth if isinstance(depth, int) and not isinstance(depth, bool) else None,
        chain=chain_report(conn, row["device_id"]),
        duplicates=duplicates,
    )


def _last_ratings(conn: sqlite3.Connection) -> tuple[RatingLine, ...]:
    lines = [
        _record_line(row)
        for row in conn.execute(
            "SELECT received_at, device_id, project_no, status, record FROM evaluations"
            " ORDER BY received_at DESC, id DESC LIMIT ?",
            (LAST_RATINGS,),
        )
    ]
    for row in conn.execute(
        "SELECT o.received_at, o.assess_time, o.project_no, o.satisfaction, o.pf, p.applicant"
        " FROM other_ratings o LEFT JOIN projects p ON p.project_no = o.project_no"
        " ORDER BY o.received_at DESC LIMIT ?",
        (LAST_RATINGS,),
    ):
        lines.append(
            RatingLine(
                received_at=row["received_at"],
                assess_time=row["assess_time"],
                device_id="",
                project_no=row["project_no"],
                satisfaction=row["satisfaction"],
                pf=row["pf"],
                default=False,
                applicant_masked=_masked_applicant(row["applicant"]),
                status="accepted",
            )
        )
    lines.sort(key=lambda line: line.received_at, reverse=True)
    return tuple(lines[:LAST_RATINGS])


def _record_line(row: sqlite3.Row) -> RatingLine:
    """A stored record as a line; a rejected one may hold anything, so every field is read with care."""
    record: dict[str, Any] = json.loads(row["record"])
    satisfaction = record.get("satisfaction")
    name = record.get("userName")
    return RatingLine(
        received_at=row["received_at"],
        assess_time=_text(record.get("assessTime")),
        device_id=row["device_id"],
        project_no=row["project_no"] or "",
        satisfaction=_level(satisfaction),
        pf=_text(record.get("pf")),
        default=record.get("defaultEvaluation") is True,
        applicant_masked=mask_name(name) if isinstance(name, str) else "",
        status=row["status"],
    )


def _phone_cases(conn: sqlite3.Connection) -> tuple[PhoneCase, ...]:
    rows = conn.execute(
        "SELECT o.received_at, o.assess_time, o.project_no, o.satisfaction, o.eval_detail, p.task_name,"
        " p.applicant FROM other_ratings o LEFT JOIN projects p ON p.project_no = o.project_no"
        " WHERE o.pf = ? ORDER BY o.received_at DESC LIMIT ?",
        (PHONE_PF, LAST_RATINGS),
    ).fetchall()
    return tuple(
        PhoneCase(
            received_at=row["received_at"],
            assess_time=row["assess_time"],
            project_no=row["project_no"],
            task_name=row["task_name"] or "",
            satisfaction=row["satisfaction"],
            eval_detail=tuple(json.loads(row["eval_detail"])),
            applicant_masked=_masked_applicant(row["applicant"]),
        )
        for row in rows
    )


def _masked_applicant(applicant_json: str | None) -> str:
    return mask_name(applicant_name(json.loads(applicant_json) if applicant_json else None))


def _level(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 5 else None


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""
