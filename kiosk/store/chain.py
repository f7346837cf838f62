"""The chain of records (uplink-api.md): each record carries a gapless seq and the hash of the one before,
is stored once and never changed (append-only triggers, the chain trigger), and closes its session in the
same commit."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from kiosk.domain.hall import Placement
from kiosk.domain.record import GENESIS_HASH, build_record
from kiosk.domain.sessions import SessionState, check_transition
from kiosk.store.crypto import PersonalDataCipher
from kiosk.store.db import LedgerDb
from kiosk.store.errors import LedgerError
from kiosk.store.presses import PressEntry, insert_press
from kiosk.store.rows import RATING_COLUMNS, StoredSession, rating_values, row_to_record

_INSERT_RATING = (
    f"INSERT INTO ratings ({', '.join(RATING_COLUMNS)}) VALUES ({', '.join('?' * len(RATING_COLUMNS))})"
)


@dataclass(frozen=True)
class RecordedRating:
    seq: int
    evaluation_id: str
    hash: str


class Chain:
    """The device's records.

    Args:
        db: the ledger's connection.
        cipher: seals the records' personal fields.
        device_id: the device whose chain it is.
    """

    def __init__(self, db: LedgerDb, cipher: PersonalDataCipher, device_id: str) -> None:
        self._db = db
        self._cipher = cipher
        self.device_id = device_id
        # The chain's last link, kept in memory between writes (this connection is the one writer).
        self._link: tuple[int, str] | None = None
        self._pending_link: tuple[int, str] | None = None
        db.watch(self)

    def committed(self) -> None:
        if self._pending_link is not None:
            self._link, self._pending_link = self._pending_link, None

    def rolled_back(self) -> None:
        self._pending_link = None
        self._link = None  # read again from the file: what is there is the truth

    def _next_link(self, conn: sqlite3.Connection) -> tuple[int, str]:
        if self._link is None:
            row = conn.execute("SELECT seq, hash FROM ratings ORDER BY seq DESC LIMIT 1").fetchone()
            self._link = (0, GENESIS_HASH) if row is None else (row["seq"], row["hash"])
        return self._link

    def record_rating(  # noqa: PLR0913 - keyword-only: the rating's facts
        self,
        session: StoredSession,
        *,
        satisfaction: int,
        pf: str,
        assess_time: str,
        placement: Placement,
        eval_detail: Sequence[str] = (),
        writing_evaluation: str = "",
        default: bool = False,
        final_state: SessionState = SessionState.RATED,
        press: PressEntry | None = None,
    ) -> RecordedRating:
        """Chains and stores the session's record (pending until it is sent: no sending row yet), logs the
        press that chose it (if any) and closes the session, in one transaction and one commit: after a
        crash either all of it is there or none of it.

        Raises:
            LedgerError: when the session is unknown or already has its record (the database refuses a
                second one itself).
        """
        evaluation_id = str(uuid.uuid4())
        with self._db.write() as conn:
            current = conn.execute(
                "SELECT state, extra_presses, rating_seq FROM sessions WHERE session_id = ?",
                (session.session_id,),
            ).fetchone()
            if current is None:
                raise LedgerError(f"no session {session.session_id}")
            if current["rating_seq"] is not None:
                raise LedgerError(
                    f"session {session.session_id} already has its record (seq {current['rating_seq']})"
                )
            last_seq, prev_hash = self._next_link(conn)
            seq = last_seq + 1
            record = build_record(
                evaluation_id=evaluation_id,
                device_id=self.device_id,
                seq=seq,
                prev_hash=prev_hash,
                project_no=session.project_no,
                task_code=session.task_code,
                task_name=session.task_name,
                placement=placement,
                staff_id=session.staff_id,
                staff_name=session.staff_name,
                pf=pf,
                satisfaction=satisfaction,
                eval_detail=eval_detail,
                writing_evaluation=writing_evaluation,
                accept_time=session.accept_time,
                assess_time=assess_time,
                default=default,
                applicant=session.applicant,
                extra_presses=current["extra_presses"],
            )
            now = self._db.now()
            conn.execute(_INSERT_RATING, rating_values(record, session.session_id, self._cipher))
            if press is not None:
                insert_press(conn, press, session.session_id, counted=True)
            state = SessionState(current["state"])
            if state is not final_state:
                check_transition(state, final_state)
                conn.execute(
                    "UPDATE sessions SET state = ?, channel = ?, rated_at = ?, chosen_level = ?, chosen_at = ?, "
                    "rating_seq = ?, updated_at = ? WHERE session_id = ?",
                    (
                        final_state.value,
                        pf,
                        assess_time,
                        satisfaction,
                        assess_time,
                        seq,
                        now,
                        session.session_id,
                    ),
                )
            else:
                conn.execute(
                    "UPDATE sessions SET rating_seq = ?, updated_at = ? WHERE session_id = ?",
                    (seq, now, session.session_id),
                )
            self._pending_link = (seq, record["hash"])
        return RecordedRating(seq, evaluation_id, record["hash"])

    def record(self, seq: int) -> dict[str, Any] | None:
        """The record at `seq`, rebuilt from what is stored, with its hash."""
        with self._db.read() as conn:
            row = conn.execute("SELECT * FROM ratings WHERE seq = ?", (seq,)).fetchone()
        return None if row is None else row_to_record(row, self._cipher)

    def last_link(self) -> tuple[int, str]:
        """The last seq and its hash (0 and 64 zeros for an empty ledger)."""
        with self._db.read() as conn:
            row = conn.execute("SELECT seq, hash FROM ratings ORDER BY seq DESC LIMIT 1").fetchone()
        return (0, GENESIS_HASH) if row is None else (row["seq"], row["hash"])
