"""The ledger: the pad's record of sessions, presses and chained ratings in `DIR/kiosk.sqlite3`, and the
one writer to it.

Ledger is a facade over the parts, each of which owns one concern: db (the connection, its lock and its
transactions), sessions, presses (R8), chain (the records), outbox (their sending state) and stats (R11).
"""

from __future__ import annotations

import base64
import logging
import secrets
import sqlite3
import uuid
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from kiosk.domain.clock import Clock
from kiosk.domain.hall import Placement
from kiosk.domain.sessions import SessionState
from kiosk.domain.validation import SessionRequest
from kiosk.store import stats
from kiosk.store.chain import Chain, RecordedRating
from kiosk.store.crypto import MASTER_KEY_FILE, PersonalDataCipher, load_or_create_master_key
from kiosk.store.db import LEDGER_FILE, LedgerDb, connect
from kiosk.store.errors import LedgerError, StorageUnavailable, is_storage_fault
from kiosk.store.migrations import LATEST, MigrationContext, migrate, schema_version
from kiosk.store.outbox import DeadLetter, Outbox, Outcome, PendingRecord, SendStatus
from kiosk.store.presses import PressEntry, PressLog
from kiosk.store.rows import StoredSession
from kiosk.store.sessions import Sessions

__all__ = [
    "LEDGER_FILE",
    "DeadLetter",
    "Ledger",
    "Outcome",
    "PendingRecord",
    "PressEntry",
    "RecordedRating",
    "SendStatus",
    "new_device_id",
]

log = logging.getLogger(__name__)

PROBE_BYTES = 8192  # more than a session and its rating take (personal data sealed, the chain's row)
SECRETS_DIR = "secrets"


def new_device_id() -> str:
    """`P-` and 16 random base32 characters (uplink-api.md "Device identity")."""
    return "P-" + base64.b32encode(secrets.token_bytes(10)).decode()


class Ledger:
    """Sessions, chained ratings and their sending state, in one SQLite file.

    Args:
        db: a connection made by `connect`, already migrated.
        cipher: seals and opens personal fields.
        clock: the pad's clock, for `created_at` and `updated_at`.
        device_id: this device's id.
    """

    def __init__(
        self, db: sqlite3.Connection, cipher: PersonalDataCipher, clock: Clock, device_id: str
    ) -> None:
        self._db = db  # the raw connection (the tests reach it to play a full disk)
        self._cipher = cipher
        self._ledger_db = LedgerDb(db, clock)
        self._sessions = Sessions(self._ledger_db, cipher)
        self._presses = PressLog(self._ledger_db)
        self._chain = Chain(self._ledger_db, cipher, device_id)
        self._outbox = Outbox(self._ledger_db, cipher, self._chain)
        self.device_id = device_id

    @classmethod
    def open(cls, data_dir: Path, clock: Clock, preset_device_id: str = "") -> Ledger:
        """Opens (making at first start) the ledger, its key and the device id in `data_dir`.

        Args:
            preset_device_id: `device.id` from the configuration; it is recorded at first start, and a
                different preset later is refused (the chain belongs to the id it started with).

        Raises:
            StorageUnavailable: when the file cannot be opened or written.
            LedgerError: when the ledger is newer than this program, or the preset id disagrees.
        """
        data_dir.mkdir(parents=True, exist_ok=True)
        cipher = PersonalDataCipher(load_or_create_master_key(data_dir / SECRETS_DIR))
        try:
            db = connect(data_dir / LEDGER_FILE)
            migrate(db, MigrationContext(cipher))
            device_id = cls._device_id(db, preset_device_id)
        except sqlite3.Error as exc:
            if is_storage_fault(exc):
                raise StorageUnavailable(f"the ledger cannot be opened: {exc}") from exc
            raise LedgerError(f"the ledger cannot be opened: {exc}") from exc
        return cls(db, cipher, clock, device_id)

    @staticmethod
    def _device_id(db: sqlite3.Connection, preset: str) -> str:
        row = db.execute("SELECT value FROM meta WHERE key = 'device_id'").fetchone()
        if row is not None:
            if preset and preset != row["value"]:
                raise LedgerError(
                    f"device.id is {preset!r} but this ledger belongs to {row['value']!r}; "
                    "clear device.id or use the data directory of that device"
                )
            stored: str = row["value"]
            return stored
        device_id = preset or new_device_id()
        db.execute("INSERT INTO meta (key, value) VALUES ('device_id', ?)", (device_id,))
        return device_id

    @classmethod
    def open_read_only(cls, data_dir: Path, clock: Clock) -> Ledger:
        """Opens an existing ledger for reading only (`kiosk doctor`): nothing is made, migrated or written,
        so it is safe beside a running pad.

        Raises:
            LedgerError: when there is no ledger or key, the ledger cannot be read, or its schema is not this
                kiosk's.
        """
        path = data_dir / LEDGER_FILE
        key_path = data_dir / SECRETS_DIR / MASTER_KEY_FILE
        if not path.exists():
            raise LedgerError(f"there is no ledger at {path}")
        try:
            master = key_path.read_bytes()
        except OSError as exc:
            raise LedgerError(f"the ledger's key cannot be read: {exc.strerror}") from None
        if len(master) != 32:
            raise LedgerError(f"{key_path} is not a 32-byte key")
        try:
            db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False, timeout=5.0)
            db.row_factory = sqlite3.Row
            version = schema_version(db)
            row = db.execute("SELECT value FROM meta WHERE key = 'device_id'").fetchone()
        except sqlite3.Error as exc:
            raise LedgerError(f"the ledger cannot be read: {exc}") from exc
        if version != LATEST or row is None:
            db.close()
            raise LedgerError(f"the ledger is at schema version {version}; this kiosk reads {LATEST}")
        return cls(db, PersonalDataCipher(master), clock, str(row["value"]))

    def close(self) -> None:
        self._ledger_db.close()

    # -- meta --------------------------------------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        with self._ledger_db.read() as conn:
            row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row["value"])

    def set_meta(self, key: str, value: str) -> None:
        with self._ledger_db.write() as conn:
            conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def clock_offset(self) -> float | None:
        """The offset to the province's time last learned (rules.md R13), or None."""
        stored = self.get_meta("clock_offset")
        try:
            return None if stored is None else float(stored)
        except ValueError:
            log.warning(
                "the stored clock offset is unreadable; the pad's own clock is used until it is learned"
            )
            return None

    def keep_clock_offset(self, offset_s: float) -> None:
        self.set_meta("clock_offset", f"{offset_s:.3f}")

    def store_device_secret(self, secret: bytes) -> None:
        """Keeps the enrolment secret, encrypted with the device's key."""
        self.set_meta("device_secret", base64.b64encode(self._cipher.seal_secret(secret)).decode())

    def device_secret(self) -> bytes | None:
        stored = self.get_meta("device_secret")
        return None if stored is None else self._cipher.open_secret(base64.b64decode(stored))

    def probe_write(self) -> None:
        """A write as large as a session and its rating, to learn whether the storage takes them again.

        A tiny write can fit in pages the file already has while a session cannot, and the pad would then
        call the storage back and refuse the next session all the same. The probe adds a new value of
        PROBE_BYTES before it drops the last one, so that it needs that much room anew.

        Raises:
            StorageUnavailable: while it does not.
        """
        key = f"probe:{uuid.uuid4()}"
        with self._ledger_db.write() as conn:
            conn.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?)", (key, self._ledger_db.now().ljust(PROBE_BYTES))
            )
            conn.execute("DELETE FROM meta WHERE key LIKE 'probe:%' AND key != ?", (key,))

    # -- sessions ----------------------------------------------------------------------------------

    def add_session(self, request: SessionRequest, staff_id: str, staff_name: str) -> StoredSession:
        """Stores a new awaiting session."""
        return self._sessions.add(request, staff_id, staff_name)

    def session(self, session_id: str) -> StoredSession | None:
        return self._sessions.get(session_id)

    def sessions_for_project(self, project_no: str) -> list[StoredSession]:
        """Every session of one 办件, oldest first."""
        return self._sessions.for_project(project_no)

    def sessions_in_state(self, state: SessionState) -> list[StoredSession]:
        return self._sessions.in_state(state)

    def sessions_for_applicant(self, cert_type: str, cert_no: str) -> list[StoredSession]:
        """Every session of one applicant, found by the keyed hash, never by the number in clear."""
        return self._sessions.for_applicant(cert_type, cert_no)

    def set_session_state(
        self, session_id: str, state: SessionState, *, channel: str | None = None, rated_at: str | None = None
    ) -> None:
        """Moves a session to `state` (a transition its current state allows)."""
        self._sessions.set_state(session_id, state, channel=channel, rated_at=rated_at)

    def choose_level(
        self, session_id: str, satisfaction: int, channel: str, at: str, press: PressEntry | None = None
    ) -> None:
        """Marks the session rated at the moment its level was chosen, before its record exists."""
        self._sessions.choose_level(session_id, satisfaction, channel, at, press)

    def chosen_without_record(self) -> list[tuple[StoredSession, int]]:
        """Sessions whose level was chosen but whose record was never made, with that level."""
        return self._sessions.chosen_without_record()

    # -- press log ---------------------------------------------------------------------------------

    def log_press(self, press: PressEntry, session_id: str | None = None, *, extra: bool = False) -> None:
        """Logs a press that chose nothing (R8); `extra` counts it against the session's extraPresses."""
        self._presses.log(press, session_id, extra=extra)

    def presses(self, session_id: str | None = None) -> list[sqlite3.Row]:
        """The press log, oldest first (of one session, when given)."""
        return self._presses.presses(session_id)

    # -- ratings -----------------------------------------------------------------------------------

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
        """Chains and stores the session's record, logs the press that chose it and closes the session, in
        one commit (see Chain.record_rating)."""
        return self._chain.record_rating(
            session,
            satisfaction=satisfaction,
            pf=pf,
            assess_time=assess_time,
            placement=placement,
            eval_detail=eval_detail,
            writing_evaluation=writing_evaluation,
            default=default,
            final_state=final_state,
            press=press,
        )

    def record(self, seq: int) -> dict[str, Any] | None:
        """The record at `seq`, rebuilt from what is stored, with its hash."""
        return self._chain.record(seq)

    def last_link(self) -> tuple[int, str]:
        """The last seq and its hash (0 and 64 zeros for an empty ledger)."""
        return self._chain.last_link()

    def level_counts(self, start: datetime, end: datetime) -> dict[int, int]:
        """Ratings per level assessed in [start, end), superseded ones left out (R11)."""
        return stats.level_counts(self._ledger_db, start, end)

    # -- sending -----------------------------------------------------------------------------------

    def pending_batch(self, limit: int, max_bytes: int) -> list[PendingRecord]:
        """The oldest records still to send, each encoded once (see Outbox.pending_batch)."""
        return self._outbox.pending_batch(limit, max_bytes)

    def record_outcomes(self, outcomes: Sequence[Outcome]) -> None:
        """Stores what the province said of each record, in one transaction."""
        self._outbox.record_outcomes(outcomes)

    def count_attempt(self, seqs: Sequence[int]) -> None:
        """Counts a failed attempt at sending these records (they stay pending)."""
        self._outbox.count_attempt(seqs)

    def province_id(self, seq: int) -> str | None:
        """The province's own id for an answered record ("" when it gave none), or None while unanswered."""
        return self._outbox.province_id(seq)

    def send_counts(self) -> dict[str, int]:
        """How many records are in each sending state."""
        return self._outbox.send_counts()

    def answered_prefix(self) -> int:
        """The highest seq up to which the province has answered every record (whatever the answer)."""
        return self._outbox.answered_prefix()

    def queue_depth(self) -> int:
        """How many records are still to send."""
        return self._outbox.queue_depth()

    def dead_letters(self, limit: int = 200) -> list[DeadLetter]:
        """The records the province rejected, oldest first; no personal field is read."""
        return self._outbox.dead_letters(limit)
