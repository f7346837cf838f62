"""Taking in a device's batch (uplink "Sending ratings"): one outcome per record, and the device's chain.

Each record is judged on its own, in batch order, inside the batch's one transaction: a record can conflict
with one earlier in the same batch. A record sent again with the same evaluationId and hash gets the answer it
got the first time (`accepted` becomes `duplicate`), so a batch resent after a lost answer changes nothing.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from province.catalogue import Catalogue
from province.chain import link
from province.records import (
    EVALUATION_ID_REUSED,
    INVALID_FIELD,
    Identity,
    RecordProblem,
    content_problem,
    identify,
)

ACCEPTED, DUPLICATE, CONFLICT, REJECTED = "accepted", "duplicate", "conflict", "rejected"


@dataclass(frozen=True)
class Outcome:
    """The province's answer for one record of a batch."""

    evaluation_id: str | None
    status: str
    error: RecordProblem | None = None

    def to_json(self) -> dict[str, Any]:
        """One element of the answer's `results`."""
        answer: dict[str, Any] = {"evaluationId": self.evaluation_id, "status": self.status}
        if self.error is not None:
            answer["error"] = self.error.to_json()
        return answer


def ingest_batch(
    conn: sqlite3.Connection, device_id: str, records: Sequence[object], catalogue: Catalogue, now: float
) -> list[Outcome]:
    """Judges and stores each record of a batch, in order.

    Args:
        conn: a connection inside the batch's transaction.
        device_id: the device that signed the batch.
        records: the batch's `evaluations`, any JSON values.
        catalogue: the reason codes and certificate types in force.
        now: the server time, unix seconds.

    Returns:
        One outcome per record, in the batch's order.
    """
    return [_ingest_one(conn, device_id, record, catalogue, now) for record in records]


def _ingest_one(
    conn: sqlite3.Connection, device_id: str, record: object, catalogue: Catalogue, now: float
) -> Outcome:
    identity = identify(record, device_id)
    if isinstance(identity, RecordProblem):
        _keep_unplaced(conn, device_id, record, identity, now)
        return Outcome(_echo_id(record), REJECTED, identity)
    earlier = conn.execute(
        "SELECT hash, status, error_code, error_field, error_message FROM evaluations"
        " WHERE evaluation_id = ? ORDER BY id",
        (identity.evaluation_id,),
    ).fetchall()
    same = next((row for row in earlier if row["hash"] == identity.hash), None)
    if same is not None:
        return _replay(identity.evaluation_id, same)
    seq_free = (
        conn.execute(
            "SELECT 1 FROM evaluations WHERE device_id = ? AND seq = ? AND placed = 1",
            (device_id, identity.seq),
        ).fetchone()
        is None
    )
    status, problem = _judge(conn, identity, catalogue, reused=bool(earlier), seq_free=seq_free)
    chain_break = (
        link(conn, device_id, identity.seq, identity.prev_hash, identity.hash) if seq_free else False
    )
    project_no = identity.record.get("projectNo")
    conn.execute(
        "INSERT INTO evaluations (evaluation_id, device_id, seq, hash, prev_hash, project_no, status,"
        " error_code, error_field, error_message, placed, chain_break, record, received_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            identity.evaluation_id,
            device_id,
            identity.seq,
            identity.hash,
            identity.prev_hash,
            project_no if isinstance(project_no, str) else None,
            status,
            problem.code if problem else None,
            problem.field if problem else None,
            problem.message if problem else None,
            seq_free,
            chain_break,
            json.dumps(identity.record, ensure_ascii=False),
            now,
        ),
    )
    return Outcome(identity.evaluation_id, status, problem)


def _judge(
    conn: sqlite3.Connection, identity: Identity, catalogue: Catalogue, *, reused: bool, seq_free: bool
) -> tuple[str, RecordProblem | None]:
    """The status of a new, placeable record: rejected, conflict or accepted."""
    if reused:
        return REJECTED, RecordProblem(
            EVALUATION_ID_REUSED, "evaluationId", "this evaluationId is already stored with a different hash"
        )
    if not seq_free:
        return REJECTED, RecordProblem(
            INVALID_FIELD, "seq", "another record already holds this seq in the device's chain"
        )
    problem = content_problem(identity.record, catalogue)
    if problem is not None:
        return REJECTED, problem
    if has_first_rating(conn, identity.record["projectNo"]):
        return CONFLICT, None
    return ACCEPTED, None


def has_first_rating(conn: sqlite3.Connection, project_no: str) -> bool:
    """Whether the 办件 already has a first rating, from a device or from another channel (R1)."""
    row = conn.execute(
        "SELECT 1 FROM evaluations WHERE project_no = ? AND status = 'accepted'"
        " UNION ALL SELECT 1 FROM other_ratings WHERE project_no = ?",
        (project_no, project_no),
    ).fetchone()
    return row is not None


def _replay(evaluation_id: str, row: sqlite3.Row) -> Outcome:
    """The first answer again: a resent record learns nothing new, and an accepted one is a `duplicate`."""
    if row["status"] == ACCEPTED:
        return Outcome(evaluation_id, DUPLICATE)
    problem = None
    if row["error_code"] is not None:
        problem = RecordProblem(row["error_code"], row["error_field"], row["error_message"])
    return Outcome(evaluation_id, row["status"], problem)


def _keep_unplaced(
    conn: sqlite3.Connection, device_id: str, record: object, problem: RecordProblem, now: float
) -> None:
    try:
        # ensure_ascii: a record refused for holding a lone surrogate must still be storable as text.
        text = json.dumps(record)
    except RecursionError:
        text = json.dumps("<not stored: nested too deeply>")
    conn.execute(
        "INSERT INTO unplaced_records (device_id, evaluation_id, error_code, error_field, error_message,"
        " record, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (device_id, _echo_id(record), problem.code, problem.field, problem.message, text, now),
    )


def _echo_id(record: object) -> str | None:
    """The record's evaluationId to repeat in its result, when it is text that can be repeated."""
    evaluation_id = record.get("evaluationId") if isinstance(record, dict) else None
    if not isinstance(evaluation_id, str):
        return None
    try:
        evaluation_id.encode("utf-8")
    except UnicodeEncodeError:
        return None
    return evaluation_id
