"""The outbox: every record's sending state, and the batches the sender takes from it.

A record has a row in `sending` only once it has been tried (a failed attempt: `pending`, with its
attempts) or answered (a final status, which never changes). No row: pending, never tried. So recording a
rating writes nothing here, and what is still to send is found from the ratings, starting above a floor: a
seq up to which every record is known to be answered.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from kiosk.domain.wire import BATCH_OVERHEAD, encode_record
from kiosk.store.chain import Chain
from kiosk.store.crypto import PersonalDataCipher
from kiosk.store.db import LedgerDb
from kiosk.store.rows import row_to_record


class SendStatus(enum.StrEnum):
    """A record's sending state (the `sending` table; a record without a row there is pending, never
    tried)."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    DUPLICATE = "duplicate"  # already stored with the same hash: as good as accepted
    SUPERSEDED = "superseded"  # the province had a first rating from another channel (conflict)
    DEAD = "dead"  # rejected: kept, visible to technicians, never sent again


@dataclass(frozen=True)
class PendingRecord:
    """A record still to send, and its JSON as it goes in a batch.

    Attributes:
        record: the record, with its hash.
        encoded: its JSON as it goes in a batch.
        finish_time: its session's finishTime ("" when the case was not finished, or the session is not
            known): not a field of the record, but a province's own format may carry it (the Fujian Case).
    """

    record: dict[str, Any]
    encoded: bytes
    finish_time: str = ""


@dataclass(frozen=True)
class Outcome:
    """What the province said of one record.

    Attributes:
        seq: the record's seq.
        status: a SendStatus value.
        error: for a dead letter, the province's error as JSON (masked).
        province_id: the province's own id for an accepted record (the gateway's evaluateUnid), or "".
    """

    seq: int
    status: str
    error: str = ""
    province_id: str = ""


@dataclass(frozen=True)
class DeadLetter:
    """A record the province rejected, as technicians see it: never a personal field.

    Attributes:
        seq: the record's seq.
        evaluation_id: its evaluationId.
        code: the province's error code (`invalid_field`, `time_order`, `too_large`, …), or "".
        field: the field the province named, or "".
        message: the province's message, masked when it was stored (mask it again before showing: older
            rows were stored as they came).
        updated_at: when the answer was stored.
    """

    seq: int
    evaluation_id: str
    code: str
    field: str
    message: str
    updated_at: str


class Outbox:
    """The sending state of the device's records.

    Args:
        db: the ledger's connection.
        cipher: opens the records' personal fields (they go to the province in the batch).
        chain: the records.
    """

    def __init__(self, db: LedgerDb, cipher: PersonalDataCipher, chain: Chain) -> None:
        self._db = db
        self._cipher = cipher
        self._chain = chain
        self._floor: int | None = None

    _UNANSWERED = (
        "SELECT {columns} FROM ratings r WHERE r.seq > ? AND NOT EXISTS "
        "(SELECT 1 FROM sending s WHERE s.seq = r.seq AND s.status != 'pending') ORDER BY r.seq LIMIT ?"
    )
    # A rating's session gives its finishTime; a second rating kept from before v3 has none of its own.
    _BATCH_COLUMNS = "r.*, (SELECT finish_time FROM sessions WHERE session_id = r.session_id) AS finish_time"

    def _answered_floor(self) -> int:
        """A seq up to which every record has its answer (0 at worst). Answers never change once written
        (the sending_final trigger), so a floor once true stays true; it is kept between calls."""
        if self._floor is None:
            db = self._db.conn
            rows = db.execute("SELECT COUNT(*) FROM sending").fetchone()[0]
            top = db.execute("SELECT MAX(seq) FROM sending").fetchone()[0] or 0
            tried = db.execute("SELECT MIN(seq) FROM sending WHERE status = 'pending'").fetchone()[0]
            # Records are sent oldest first, so the rows cover 1..top; then all before the first one still
            # pending are answered. Otherwise the search starts at the beginning (and sets the floor).
            self._floor = (top if tried is None else tried - 1) if rows == top else 0
        return self._floor

    def _first_unanswered(self) -> int | None:
        row = self._db.conn.execute(
            self._UNANSWERED.format(columns="r.seq"), (self._answered_floor(), 1)
        ).fetchone()
        first = None if row is None else int(row[0])
        self._floor = (first - 1) if first is not None else self._chain.last_link()[0]
        return first

    def pending_batch(self, limit: int, max_bytes: int) -> list[PendingRecord]:
        """The oldest records still to send, each with its JSON as it goes on the wire (encoded once, here,
        where the batch's size is counted): in seq order, at most `limit` and `max_bytes` of JSON.

        The first record is always included, however large, so that an oversized one still reaches the
        province and gets its answer (413, then a dead letter).
        """
        with self._db.lock:
            rows = self._db.conn.execute(
                self._UNANSWERED.format(columns=self._BATCH_COLUMNS), (self._answered_floor(), limit)
            ).fetchall()
            if rows:
                self._floor = int(rows[0]["seq"]) - 1
        batch: list[PendingRecord] = []
        size = BATCH_OVERHEAD
        for row in rows:
            record = row_to_record(row, self._cipher)
            encoded = encode_record(record)
            size += len(encoded) + 1
            if batch and size > max_bytes:
                break
            batch.append(PendingRecord(record, encoded, row["finish_time"] or ""))
        return batch

    def record_outcomes(self, outcomes: Sequence[Outcome]) -> None:
        """Stores what the province said of each record, in one transaction."""
        now = self._db.now()
        with self._db.write() as db:
            db.executemany(
                "INSERT INTO sending (seq, status, error, province_id, attempts, updated_at) "
                "VALUES (?, ?, ?, ?, 1, ?) "
                "ON CONFLICT (seq) DO UPDATE SET status = excluded.status, error = excluded.error, "
                "province_id = excluded.province_id, attempts = attempts + 1, updated_at = excluded.updated_at",
                [(o.seq, o.status, o.error, o.province_id, now) for o in outcomes],
            )

    def count_attempt(self, seqs: Sequence[int]) -> None:
        """Counts a failed attempt at sending these records (they stay pending)."""
        now = self._db.now()
        with self._db.write() as db:
            db.executemany(
                "INSERT INTO sending (seq, status, attempts, updated_at) VALUES (?, 'pending', 1, ?) "
                "ON CONFLICT (seq) DO UPDATE SET attempts = attempts + 1, updated_at = excluded.updated_at",
                [(seq, now) for seq in seqs],
            )

    def province_id(self, seq: int) -> str | None:
        """The province's own id for an answered record ("" when it gave none), or None while unanswered."""
        with self._db.lock:
            row = self._db.conn.execute(
                "SELECT province_id FROM sending WHERE seq = ? AND status != 'pending'", (seq,)
            ).fetchone()
        return None if row is None else str(row["province_id"])

    def send_counts(self) -> dict[str, int]:
        """How many records are in each sending state."""
        with self._db.lock:
            rows = self._db.conn.execute(
                "SELECT status, COUNT(*) AS n FROM sending WHERE status != 'pending' GROUP BY status"
            ).fetchall()
            last = self._chain.last_link()[0]
        counts = {status.value: 0 for status in SendStatus}
        counts.update({row["status"]: row["n"] for row in rows})
        counts[SendStatus.PENDING.value] = last - sum(row["n"] for row in rows)
        return counts

    def answered_prefix(self) -> int:
        """The highest seq up to which the province has answered every record (whatever the answer)."""
        with self._db.lock:
            first = self._first_unanswered()
            return self._chain.last_link()[0] if first is None else first - 1

    def queue_depth(self) -> int:
        """How many records are still to send."""
        with self._db.lock:
            floor = self._answered_floor()
            answered_above = self._db.conn.execute(
                "SELECT COUNT(*) FROM sending WHERE seq > ? AND status != 'pending'", (floor,)
            ).fetchone()[0]
            return int(self._chain.last_link()[0] - floor - answered_above)

    def dead_letters(self, limit: int = 200) -> list[DeadLetter]:
        """The records the province rejected, oldest first, with the province's error; no personal field is
        read."""
        with self._db.lock:
            rows = self._db.conn.execute(
                "SELECT s.seq, r.evaluation_id, s.error, s.updated_at FROM sending s "
                "JOIN ratings r ON r.seq = s.seq WHERE s.status = ? ORDER BY s.seq LIMIT ?",
                (SendStatus.DEAD.value, limit),
            ).fetchall()
        letters = []
        for row in rows:
            try:
                error = json.loads(row["error"]) if row["error"] else {}
            except ValueError:
                error = {"message": str(row["error"])}
            if not isinstance(error, dict):
                error = {}
            letters.append(
                DeadLetter(
                    int(row["seq"]),
                    str(row["evaluation_id"]),
                    str(error.get("code") or ""),
                    str(error.get("field") or ""),
                    str(error.get("message") or ""),
                    str(row["updated_at"]),
                )
            )
        return letters
