"""Sessions as the ledger holds them: mutable, moving through their states (kiosk/domain/sessions.py),
with the applicant's personal fields sealed, found by a keyed hash of the certificate number, never by it."""

from __future__ import annotations

import sqlite3
import uuid

from kiosk.domain.sessions import SessionState, check_transition
from kiosk.domain.validation import SessionRequest
from kiosk.store.crypto import PersonalDataCipher
from kiosk.store.db import LedgerDb
from kiosk.store.errors import LedgerError
from kiosk.store.presses import PressEntry, insert_press
from kiosk.store.rows import StoredSession, row_to_session, session_context


def transition(
    conn: sqlite3.Connection,
    session_id: str,
    state: SessionState,
    channel: str | None,
    rated_at: str | None,
    now: str,
) -> None:
    """Moves a session to `state` inside the caller's transaction (a transition its state allows).

    Raises:
        LedgerError: no such session, or a transition its state does not allow.
    """
    row = conn.execute("SELECT state FROM sessions WHERE session_id = ?", (session_id,)).fetchone()
    if row is None:
        raise LedgerError(f"no session {session_id}")
    check_transition(SessionState(row["state"]), state)
    conn.execute(
        "UPDATE sessions SET state = ?, channel = COALESCE(?, channel), "
        "rated_at = COALESCE(?, rated_at), updated_at = ? WHERE session_id = ?",
        (state.value, channel, rated_at, now, session_id),
    )


class Sessions:
    def __init__(self, db: LedgerDb, cipher: PersonalDataCipher) -> None:
        self._db = db
        self._cipher = cipher

    def add(self, request: SessionRequest, staff_id: str, staff_name: str) -> StoredSession:
        """Stores a new awaiting session."""
        session_id = str(uuid.uuid4())
        applicant = request.applicant
        personal = self._cipher.seal(
            {"name": applicant.name, "certNo": applicant.cert_no, "mobile": applicant.mobile},
            session_context(session_id),
        )
        now = self._db.now()
        with self._db.write() as conn:
            conn.execute(
                "INSERT INTO sessions (session_id, project_no, task_code, task_name, accept_time, "
                "finish_time, staff_id, staff_name, user_prop, cert_type, personal, cert_hmac, state, "
                "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    session_id,
                    request.project_no,
                    request.task_code,
                    request.task_name,
                    request.accept_time,
                    request.finish_time,
                    staff_id,
                    staff_name,
                    applicant.user_prop,
                    applicant.cert_type,
                    personal,
                    self._cipher.lookup_hash(applicant.cert_type, applicant.cert_no),
                    SessionState.AWAITING.value,
                    now,
                    now,
                ),
            )
        session = self.get(session_id)
        assert session is not None
        return session

    def get(self, session_id: str) -> StoredSession | None:
        with self._db.read() as conn:
            row = conn.execute("SELECT * FROM sessions WHERE session_id = ?", (session_id,)).fetchone()
        return None if row is None else row_to_session(row, self._cipher)

    def _many(self, sql: str, params: tuple[object, ...] = ()) -> list[StoredSession]:
        with self._db.read() as conn:
            rows = conn.execute(sql, params).fetchall()
        return [row_to_session(r, self._cipher) for r in rows]

    def for_project(self, project_no: str) -> list[StoredSession]:
        """Every session of one 办件, oldest first."""
        return self._many(
            "SELECT * FROM sessions WHERE project_no = ? ORDER BY created_at, rowid", (project_no,)
        )

    def in_state(self, state: SessionState) -> list[StoredSession]:
        # The state is written into the statement (an enum's value, never input) so that SQLite can use the
        # index of open sessions, which holds only some states.
        return self._many(f"SELECT * FROM sessions WHERE state = '{state.value}' ORDER BY created_at, rowid")

    def for_applicant(self, cert_type: str, cert_no: str) -> list[StoredSession]:
        """Every session of one applicant, found by the keyed hash, never by the number in clear."""
        return self._many(
            "SELECT * FROM sessions WHERE cert_hmac = ? ORDER BY created_at, rowid",
            (self._cipher.lookup_hash(cert_type, cert_no),),
        )

    def set_state(
        self, session_id: str, state: SessionState, *, channel: str | None = None, rated_at: str | None = None
    ) -> None:
        """Moves a session to `state` (a transition its current state allows)."""
        with self._db.write() as conn:
            transition(conn, session_id, state, channel, rated_at, self._db.now())

    def choose_level(
        self, session_id: str, satisfaction: int, channel: str, at: str, press: PressEntry | None = None
    ) -> None:
        """Marks the session rated at the moment its level was chosen, before its record exists (the
        reason picker is open), together with the press that chose it, so a restart can make the record."""
        with self._db.write() as conn:
            if press is not None:
                insert_press(conn, press, session_id, counted=True)
            transition(conn, session_id, SessionState.RATED, channel, at, self._db.now())
            conn.execute(
                "UPDATE sessions SET chosen_level = ?, chosen_at = ? WHERE session_id = ?",
                (satisfaction, at, session_id),
            )

    def chosen_without_record(self) -> list[tuple[StoredSession, int]]:
        """Sessions whose level was chosen but whose record was never made (a restart with the reason
        picker open, a disk that failed as it closed), with that level."""
        with self._db.read() as conn:
            rows = conn.execute(
                "SELECT * FROM sessions s WHERE chosen_level IS NOT NULL AND state = 'rated' "
                "AND NOT EXISTS (SELECT 1 FROM ratings r WHERE r.session_id = s.session_id) "
                "ORDER BY created_at, rowid"
            ).fetchall()
        return [(row_to_session(r, self._cipher), int(r["chosen_level"])) for r in rows]
