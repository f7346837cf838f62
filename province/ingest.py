"""Taking in a device's batch (uplink "Sending ratings"): one outcome per record, and the device's chain.

Each record is judged on its own, in batch order, inside the batch's one transaction: a record can conflict
with one earlier in the same batch. A record sent again with the same evaluationId and hash gets the answer it
got the first time (`accepted` becomes `duplicate`), so a batch resent after a lost answer changes nothing.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from province.catalogue import Catalogue
from province.identifiers import ZERO_HASH
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
    conn: sqlite3.Connection,
    device_id: str,
    records: Sequence[object],
    catalogue: Catalogue,
    now: float,
    quote: Callable[[], bool] = lambda: False,
) -> list[Outcome]:
    """Judges and stores each record of a batch, in order.

    Args:
        conn: a connection inside the batch's transaction.
        device_id: the device that signed the batch.
        records: the batch's `evaluations`, any JSON values.
        catalogue: the reason codes and certificate types in force.
        now: the server time, unix seconds.
        quote: whether to reject the next valid record with a message quoting its applicant's numbers (the
            `quote` fault).

    Returns:
        One outcome per record, in the batch's order.
    """
    batch = _Batch(conn, device_id, records, now, quote)
    outcomes = [batch.take(record, catalogue) for record in records]
    batch.store()
    return outcomes


class _Batch:
    """What the province already holds that a batch's judgements depend on, read once for the whole batch
    and kept up to date in memory as each record is judged (a record can depend on one earlier in the same
    batch), then stored in one go. The per-record queries were most of the time a batch took."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        device_id: str,
        records: Sequence[object],
        now: float,
        quote: Callable[[], bool],
    ) -> None:
        self.conn, self.device_id, self.now, self.quote = conn, device_id, now, quote
        dicts = [r for r in records if isinstance(r, dict)]
        ids = sorted({r["evaluationId"] for r in dicts if isinstance(r.get("evaluationId"), str)})
        seqs = [r["seq"] for r in dicts if _is_int(r.get("seq"))]
        projects = sorted({r["projectNo"] for r in dicts if isinstance(r.get("projectNo"), str)})
        self.earlier: dict[str, list[dict[str, Any]]] = {}
        for row in _select_in(
            conn,
            "SELECT evaluation_id, hash, status, error_code, error_field, error_message FROM evaluations"
            " WHERE evaluation_id IN ({}) ORDER BY id",
            ids,
        ):
            self.earlier.setdefault(row["evaluation_id"], []).append(dict(row))
        self.held: dict[int, str] = {}
        if seqs:
            rows = conn.execute(
                "SELECT seq, hash FROM evaluations WHERE device_id = ? AND placed = 1 AND seq BETWEEN ? AND ?",
                (device_id, min(seqs) - 1, max(seqs) + 1),
            )
            self.held = {row["seq"]: row["hash"] for row in rows}
        self.rated = {
            row[0]
            for row in _select_in(
                conn,
                "SELECT project_no FROM evaluations WHERE status = 'accepted' AND project_no IN ({0})"
                " UNION SELECT project_no FROM other_ratings WHERE project_no IN ({0})",
                projects,
                repeat=2,
            )
        }
        self.placed_rows: dict[int, list[Any]] = {}
        self.rows: list[list[Any]] = []
        self.unplaced: list[tuple[Any, ...]] = []
        self.duplicates = 0

    def take(self, record: object, catalogue: Catalogue) -> Outcome:
        identity = identify(record, self.device_id)
        if isinstance(identity, RecordProblem):
            self.unplaced.append(_unplaced_row(self.device_id, record, identity, self.now))
            return Outcome(_echo_id(record), REJECTED, identity)
        earlier = self.earlier.get(identity.evaluation_id, [])
        same = next((row for row in earlier if row["hash"] == identity.hash), None)
        if same is not None:
            replayed = _replay(identity.evaluation_id, same)
            self.duplicates += replayed.status == DUPLICATE
            return replayed
        seq_free = identity.seq not in self.held
        status, problem = _judge(self, identity, catalogue, reused=bool(earlier), seq_free=seq_free)
        chain_break = self._link(identity) if seq_free else False
        project_no = identity.record.get("projectNo")
        row = [
            identity.evaluation_id,
            self.device_id,
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
            self.now,
        ]
        self.rows.append(row)
        self.earlier.setdefault(identity.evaluation_id, []).append(
            {
                "hash": identity.hash,
                "status": status,
                "error_code": row[7],
                "error_field": row[8],
                "error_message": row[9],
            }
        )
        if seq_free:
            self.held[identity.seq] = identity.hash
            self.placed_rows[identity.seq] = row
        if status == ACCEPTED and isinstance(project_no, str):
            self.rated.add(project_no)
        return Outcome(identity.evaluation_id, status, problem)

    def _link(self, identity: Identity) -> bool:
        """Judges the record's link to seq − 1, and re-judges the record after it, if that one is held (a
        record can arrive before the one it follows, its predecessor's first copy having had a broken hash)."""
        seq = identity.seq
        expected = ZERO_HASH if seq == 1 else self.held.get(seq - 1)
        follower = seq + 1
        if follower in self.placed_rows:
            self.placed_rows[follower][11] = self.placed_rows[follower][4] != identity.hash
        elif follower in self.held:
            self.conn.execute(
                "UPDATE evaluations SET chain_break = (prev_hash != ?) WHERE device_id = ? AND seq = ? AND placed = 1",
                (identity.hash, self.device_id, follower),
            )
        return expected is not None and identity.prev_hash != expected

    def store(self) -> None:
        self.conn.executemany(
            "INSERT INTO evaluations (evaluation_id, device_id, seq, hash, prev_hash, project_no, status,"
            " error_code, error_field, error_message, placed, chain_break, record, received_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            self.rows,
        )
        self.conn.executemany(
            "INSERT INTO unplaced_records (device_id, evaluation_id, error_code, error_field, error_message,"
            " record, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            self.unplaced,
        )
        if self.duplicates:
            self.conn.execute(
                "INSERT INTO duplicate_counts (device_id, count) VALUES (?, ?)"
                " ON CONFLICT (device_id) DO UPDATE SET count = count + excluded.count",
                (self.device_id, self.duplicates),
            )


def _select_in(
    conn: sqlite3.Connection, sql: str, values: Sequence[Any], repeat: int = 1
) -> list[sqlite3.Row]:
    """Runs `sql` with each `{}` / `{0}` replaced by as many placeholders as `values` (in chunks that stay
    under SQLite's limit on variables)."""
    found: list[sqlite3.Row] = []
    for start in range(0, len(values), 400):
        chunk = list(values[start : start + 400])
        marks = ", ".join("?" * len(chunk))
        found += conn.execute(sql.format(marks), chunk * repeat).fetchall()
    return found


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _judge(
    batch: _Batch, identity: Identity, catalogue: Catalogue, *, reused: bool, seq_free: bool
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
    if batch.quote():
        record = identity.record
        return REJECTED, RecordProblem(
            INVALID_FIELD,
            "certNo",
            f"certNo {record['certNo']} does not match the applicant of 办件 {record['projectNo']}; "
            f"mobile {record['mobile']} is not registered",
        )
    if identity.record["projectNo"] in batch.rated:
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


def _replay(evaluation_id: str, row: Mapping[str, Any]) -> Outcome:
    """The first answer again: a resent record learns nothing new, and an accepted one is a `duplicate`."""
    if row["status"] == ACCEPTED:
        return Outcome(evaluation_id, DUPLICATE)
    problem = None
    if row["error_code"] is not None:
        problem = RecordProblem(row["error_code"], row["error_field"], row["error_message"])
    return Outcome(evaluation_id, row["status"], problem)


def _unplaced_row(device_id: str, record: object, problem: RecordProblem, now: float) -> tuple[Any, ...]:
    try:
        # ensure_ascii: a record refused for holding a lone surrogate must still be storable as text.
        text = json.dumps(record)
    except RecursionError:
        text = json.dumps("<not stored: nested too deeply>")
    return (device_id, _echo_id(record), problem.code, problem.field, problem.message, text, now)


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
