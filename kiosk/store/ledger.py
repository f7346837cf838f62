"""The ledger: the pad's one writer to `DIR/kiosk.sqlite3`.

One connection writes; a lock serialises the threads that use it (the Qt thread records sessions and
ratings, the sender records outcomes). SQLite would serialise them anyway; the lock makes the order explicit
and keeps SQLITE_BUSY out of the pad's own writes.
"""

from __future__ import annotations

import base64
import enum
import json
import logging
import secrets
import sqlite3
import threading
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from kiosk.domain.clock import Clock
from kiosk.domain.hall import Placement
from kiosk.domain.record import GENESIS_HASH, seal
from kiosk.domain.sessions import SessionState, check_transition
from kiosk.domain.timefmt import format_time
from kiosk.domain.validation import SessionRequest
from kiosk.domain.wire import BATCH_OVERHEAD, encode_record
from kiosk.store.crypto import MASTER_KEY_FILE, PersonalDataCipher, load_or_create_master_key
from kiosk.store.errors import LedgerError, StorageUnavailable, is_storage_fault
from kiosk.store.migrations import LATEST, MigrationContext, migrate, schema_version
from kiosk.store.rows import (
    RATING_COLUMNS,
    StoredSession,
    rating_values,
    row_to_record,
    row_to_session,
    session_context,
)

log = logging.getLogger(__name__)

LEDGER_FILE = "kiosk.sqlite3"
PROBE_BYTES = 8192  # more than a session and its rating take (personal data sealed, the chain's row)
SECRETS_DIR = "secrets"


class SendStatus(enum.StrEnum):
    """A record's sending state (the `sending` table; a record without a row there is pending, never
    tried)."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    DUPLICATE = "duplicate"  # already stored with the same hash: as good as accepted
    SUPERSEDED = "superseded"  # the province had a first rating from another channel (conflict)
    DEAD = "dead"  # rejected: kept, visible to technicians, never sent again


@dataclass(frozen=True)
class RecordedRating:
    seq: int
    evaluation_id: str
    hash: str


@dataclass(frozen=True)
class PressEntry:
    """A press as the press log keeps it."""

    at: str
    button: int
    level: int | None
    armed: bool
    address: int = 0


@dataclass(frozen=True)
class PendingRecord:
    """A record still to send, and its JSON as it goes in a batch."""

    record: dict[str, Any]
    encoded: bytes


@dataclass(frozen=True)
class Outcome:
    """What the province said of one record."""

    seq: int
    status: str
    error: str = ""


@dataclass(frozen=True)
class DeadLetter:
    """A record the province rejected, as technicians see it: never a personal field.

    Attributes:
        seq: the record's seq.
        evaluation_id: its evaluationId.
        code: the province's error code (`invalid_field`, `time_order`, `too_large`, …), or "".
        field: the field the province named, or "".
        message: the province's message as it sent it (its own words: mask before showing).
        updated_at: when the answer was stored.
    """

    seq: int
    evaluation_id: str
    code: str
    field: str
    message: str
    updated_at: str


def connect(path: Path) -> sqlite3.Connection:
    """A connection with the ledger's settings: WAL, FULL sync, explicit transactions."""
    db = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=5.0)
    db.row_factory = sqlite3.Row
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = FULL")
    db.execute("PRAGMA foreign_keys = ON")
    return db


def new_device_id() -> str:
    """`P-` and 16 random base32 characters (uplink-api.md "Device identity")."""
    return "P-" + base64.b32encode(secrets.token_bytes(10)).decode()


_INSERT_RATING = (
    f"INSERT INTO ratings ({', '.join(RATING_COLUMNS)}) VALUES ({', '.join('?' * len(RATING_COLUMNS))})"
)


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
        self._db = db
        self._cipher = cipher
        self._clock = clock
        self._lock = threading.RLock()
        self._link: tuple[int, str] | None = None
        self._pending_link: tuple[int, str] | None = None
        self._floor: int | None = None
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
        with self._lock:
            self._db.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One transaction; storage faults become StorageUnavailable, and nothing half-done is kept."""
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise self._translate(exc) from exc
            try:
                yield self._db
                self._db.execute("COMMIT")
                if self._pending_link is not None:
                    self._link, self._pending_link = self._pending_link, None
            except BaseException as exc:
                self._pending_link = None
                self._link = None  # read again from the file: what is there is the truth
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                if isinstance(exc, sqlite3.Error):
                    raise self._translate(exc) from exc
                raise

    @staticmethod
    def _translate(exc: sqlite3.Error) -> LedgerError:
        if is_storage_fault(exc):
            return StorageUnavailable(f"the ledger cannot take a write: {exc}")
        return LedgerError(f"ledger write failed: {exc}")

    def _now(self) -> str:
        return format_time(self._clock.now())

    # -- meta --------------------------------------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        with self._lock:
            row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row["value"])

    def set_meta(self, key: str, value: str) -> None:
        with self._write() as db:
            db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

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
        with self._write() as db:
            db.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (key, self._now().ljust(PROBE_BYTES)))
            db.execute("DELETE FROM meta WHERE key LIKE 'probe:%' AND key != ?", (key,))

    # -- sessions ----------------------------------------------------------------------------------

    def add_session(self, request: SessionRequest, staff_id: str, staff_name: str) -> StoredSession:
        """Stores a new awaiting session."""
        session_id = str(uuid.uuid4())
        applicant = request.applicant
        personal = self._cipher.seal(
            {"name": applicant.name, "certNo": applicant.cert_no, "mobile": applicant.mobile},
            session_context(session_id),
        )
        now = self._now()
        with self._write() as db:
            db.execute(
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
        session = self.session(session_id)
        assert session is not None
        return session

    def session(self, session_id: str) -> StoredSession | None:
        with self._lock:
            row = self._db.execute("SELECT * FROM sessions WHERE session_id = ?", (session_id,)).fetchone()
        return None if row is None else row_to_session(row, self._cipher)

    def sessions_for_project(self, project_no: str) -> list[StoredSession]:
        """Every session of one 办件, oldest first."""
        with self._lock:
            rows = self._db.execute(
                "SELECT * FROM sessions WHERE project_no = ? ORDER BY created_at, rowid", (project_no,)
            ).fetchall()
        return [row_to_session(r, self._cipher) for r in rows]

    def sessions_in_state(self, state: SessionState) -> list[StoredSession]:
        # The state is written into the statement (an enum's value, never input) so that SQLite can use the
        # index of open sessions, which holds only some states.
        with self._lock:
            rows = self._db.execute(
                f"SELECT * FROM sessions WHERE state = '{state.value}' ORDER BY created_at, rowid"
            ).fetchall()
        return [row_to_session(r, self._cipher) for r in rows]

    def set_session_state(
        self,
        session_id: str,
        state: SessionState,
        *,
        channel: str | None = None,
        rated_at: str | None = None,
    ) -> None:
        """Moves a session to `state` (a transition its current state allows)."""
        with self._write() as db:
            self._transition(db, session_id, state, channel, rated_at)

    def _transition(
        self,
        db: sqlite3.Connection,
        session_id: str,
        state: SessionState,
        channel: str | None,
        rated_at: str | None,
    ) -> None:
        row = db.execute("SELECT state FROM sessions WHERE session_id = ?", (session_id,)).fetchone()
        if row is None:
            raise LedgerError(f"no session {session_id}")
        check_transition(SessionState(row["state"]), state)
        db.execute(
            "UPDATE sessions SET state = ?, channel = COALESCE(?, channel), "
            "rated_at = COALESCE(?, rated_at), updated_at = ? WHERE session_id = ?",
            (state.value, channel, rated_at, self._now(), session_id),
        )

    def sessions_for_applicant(self, cert_type: str, cert_no: str) -> list[StoredSession]:
        """Every session of one applicant, found by the keyed hash, never by the number in clear."""
        with self._lock:
            rows = self._db.execute(
                "SELECT * FROM sessions WHERE cert_hmac = ? ORDER BY created_at, rowid",
                (self._cipher.lookup_hash(cert_type, cert_no),),
            ).fetchall()
        return [row_to_session(r, self._cipher) for r in rows]

    def choose_level(
        self, session_id: str, satisfaction: int, channel: str, at: str, press: PressEntry | None = None
    ) -> None:
        """Marks the session rated at the moment its level was chosen, before its record exists (the
        reason picker is open), together with the press that chose it, so a restart can make the record."""
        with self._write() as db:
            if press is not None:
                self._insert_press(db, press, session_id, counted=True)
            self._transition(db, session_id, SessionState.RATED, channel, at)
            db.execute(
                "UPDATE sessions SET chosen_level = ?, chosen_at = ? WHERE session_id = ?",
                (satisfaction, at, session_id),
            )

    def chosen_without_record(self) -> list[tuple[StoredSession, int]]:
        """Sessions whose level was chosen but whose record was never made (a restart with the reason
        picker open), with that level."""
        with self._lock:
            rows = self._db.execute(
                "SELECT * FROM sessions s WHERE chosen_level IS NOT NULL AND state = 'rated' "
                "AND NOT EXISTS (SELECT 1 FROM ratings r WHERE r.session_id = s.session_id) "
                "ORDER BY created_at, rowid"
            ).fetchall()
        return [(row_to_session(r, self._cipher), int(r["chosen_level"])) for r in rows]

    # -- press log ---------------------------------------------------------------------------------

    def log_press(self, press: PressEntry, session_id: str | None = None, *, extra: bool = False) -> None:
        """Logs a press that chose nothing (R8); `extra` counts it against the session's extraPresses."""
        with self._write() as db:
            self._insert_press(db, press, session_id, counted=False)
            if extra and session_id is not None:
                db.execute(
                    "UPDATE sessions SET extra_presses = extra_presses + 1, updated_at = ? "
                    "WHERE session_id = ?",
                    (self._now(), session_id),
                )

    @staticmethod
    def _insert_press(
        db: sqlite3.Connection, press: PressEntry, session_id: str | None, counted: bool
    ) -> None:
        db.execute(
            "INSERT INTO press_log (at, button, level, armed, address, session_id, counted) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (press.at, press.button, press.level, int(press.armed), press.address, session_id, int(counted)),
        )

    def presses(self, session_id: str | None = None) -> list[sqlite3.Row]:
        """The press log, oldest first (of one session, when given)."""
        with self._lock:
            if session_id is None:
                return self._db.execute("SELECT * FROM press_log ORDER BY id").fetchall()
            return self._db.execute(
                "SELECT * FROM press_log WHERE session_id = ? ORDER BY id", (session_id,)
            ).fetchall()

    # -- results (R11) -----------------------------------------------------------------------------

    def level_counts(self, start: datetime, end: datetime) -> dict[int, int]:
        """Ratings per level assessed in [start, end), superseded ones left out (they do not count)."""
        with self._lock:
            rows = self._db.execute(
                "SELECT satisfaction, COUNT(*) AS n FROM ratings "
                "WHERE unixepoch(assess_time) >= ? AND unixepoch(assess_time) < ? "
                "AND seq NOT IN (SELECT seq FROM sending WHERE status = 'superseded') "
                "GROUP BY satisfaction",
                (int(start.timestamp()), int(end.timestamp())),
            ).fetchall()
        return {int(r["satisfaction"]): int(r["n"]) for r in rows}

    # -- ratings -----------------------------------------------------------------------------------

    def record_rating(
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
        applicant = session.applicant
        with self._write() as db:
            current = db.execute(
                "SELECT state, extra_presses, rating_seq FROM sessions WHERE session_id = ?",
                (session.session_id,),
            ).fetchone()
            if current is None:
                raise LedgerError(f"no session {session.session_id}")
            if current["rating_seq"] is not None:
                raise LedgerError(
                    f"session {session.session_id} already has its record (seq {current['rating_seq']})"
                )
            last_seq, prev_hash = self._last_link(db)
            seq = last_seq + 1
            # In the canonical (sorted) order of its keys: the hash's encoder then sorts a list already in
            # order, a third of the encoding's time.
            record = seal(
                {
                    "acceptTime": session.accept_time,
                    "areaCode": placement.area_code,
                    "assessNumber": 1,
                    "assessTime": assess_time,
                    "certNo": applicant.cert_no,
                    "certType": applicant.cert_type,
                    "defaultEvaluation": default,
                    "deptCode": placement.dept_code,
                    "deptName": placement.dept_name,
                    "deviceId": self.device_id,
                    "evalDetail": list(eval_detail),
                    "evaluationId": evaluation_id,
                    "extraPresses": current["extra_presses"],
                    "mobile": applicant.mobile,
                    "pf": pf,
                    "prevHash": prev_hash,
                    "projectNo": session.project_no,
                    "satisfaction": satisfaction,
                    "seq": seq,
                    "staffId": session.staff_id,
                    "staffName": session.staff_name,
                    "taskCode": session.task_code,
                    "taskName": session.task_name,
                    "userName": applicant.name,
                    "userProp": applicant.user_prop,
                    "windowNo": placement.window_no,
                    "writingEvaluation": writing_evaluation,
                }
            )
            now = self._now()
            db.execute(_INSERT_RATING, rating_values(record, session.session_id, self._cipher))
            if press is not None:
                self._insert_press(db, press, session.session_id, counted=True)
            state = SessionState(current["state"])
            if state is not final_state:
                check_transition(state, final_state)
                db.execute(
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
                db.execute(
                    "UPDATE sessions SET rating_seq = ?, updated_at = ? WHERE session_id = ?",
                    (seq, now, session.session_id),
                )
            self._pending_link = (seq, record["hash"])
        return RecordedRating(seq, evaluation_id, record["hash"])

    def _last_link(self, db: sqlite3.Connection) -> tuple[int, str]:
        """The chain's last link, kept in memory between writes (this connection is the one writer)."""
        if self._link is None:
            row = db.execute("SELECT seq, hash FROM ratings ORDER BY seq DESC LIMIT 1").fetchone()
            self._link = (0, GENESIS_HASH) if row is None else (row["seq"], row["hash"])
        return self._link

    def record(self, seq: int) -> dict[str, Any] | None:
        """The record at `seq`, rebuilt from what is stored, with its hash."""
        with self._lock:
            row = self._db.execute("SELECT * FROM ratings WHERE seq = ?", (seq,)).fetchone()
        return None if row is None else row_to_record(row, self._cipher)

    def last_link(self) -> tuple[int, str]:
        """The last seq and its hash (0 and 64 zeros for an empty ledger)."""
        with self._lock:
            row = self._db.execute("SELECT seq, hash FROM ratings ORDER BY seq DESC LIMIT 1").fetchone()
        return (0, GENESIS_HASH) if row is None else (row["seq"], row["hash"])

    # -- sending -----------------------------------------------------------------------------------
    #
    # A record has a row in `sending` only once it has been tried (a failed attempt: `pending`, with its
    # attempts) or answered (a final status, which never changes). No row: pending, never tried. So
    # recording a rating writes nothing here, and what is still to send is found from the ratings, starting
    # above a floor: a seq up to which every record is known to be answered.

    _UNANSWERED = (
        "SELECT {columns} FROM ratings r WHERE r.seq > ? AND NOT EXISTS "
        "(SELECT 1 FROM sending s WHERE s.seq = r.seq AND s.status != 'pending') ORDER BY r.seq LIMIT ?"
    )

    def _answered_floor(self) -> int:
        """A seq up to which every record has its answer (0 at worst). Answers never change once written
        (the sending_final trigger), so a floor once true stays true; it is kept between calls."""
        if self._floor is None:
            db = self._db
            rows = db.execute("SELECT COUNT(*) FROM sending").fetchone()[0]
            top = db.execute("SELECT MAX(seq) FROM sending").fetchone()[0] or 0
            tried = db.execute("SELECT MIN(seq) FROM sending WHERE status = 'pending'").fetchone()[0]
            # Records are sent oldest first, so the rows cover 1..top; then all before the first one still
            # pending are answered. Otherwise the search starts at the beginning (and sets the floor).
            self._floor = (top if tried is None else tried - 1) if rows == top else 0
        return self._floor

    def _first_unanswered(self) -> int | None:
        row = self._db.execute(
            self._UNANSWERED.format(columns="r.seq"), (self._answered_floor(), 1)
        ).fetchone()
        first = None if row is None else int(row[0])
        self._floor = (first - 1) if first is not None else self.last_link()[0]
        return first

    def pending_batch(self, limit: int, max_bytes: int) -> list[PendingRecord]:
        """The oldest records still to send, each with its JSON as it goes on the wire (encoded once, here,
        where the batch's size is counted): in seq order, at most `limit` and `max_bytes` of JSON.

        The first record is always included, however large, so that an oversized one still reaches the
        province and gets its answer (413, then a dead letter).
        """
        with self._lock:
            rows = self._db.execute(
                self._UNANSWERED.format(columns="r.*"), (self._answered_floor(), limit)
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
            batch.append(PendingRecord(record, encoded))
        return batch

    def record_outcomes(self, outcomes: Sequence[Outcome]) -> None:
        """Stores what the province said of each record, in one transaction."""
        now = self._now()
        with self._write() as db:
            db.executemany(
                "INSERT INTO sending (seq, status, error, attempts, updated_at) VALUES (?, ?, ?, 1, ?) "
                "ON CONFLICT (seq) DO UPDATE SET status = excluded.status, error = excluded.error, "
                "attempts = attempts + 1, updated_at = excluded.updated_at",
                [(outcome.seq, outcome.status, outcome.error, now) for outcome in outcomes],
            )

    def count_attempt(self, seqs: Sequence[int]) -> None:
        """Counts a failed attempt at sending these records (they stay pending)."""
        now = self._now()
        with self._write() as db:
            db.executemany(
                "INSERT INTO sending (seq, status, attempts, updated_at) VALUES (?, 'pending', 1, ?) "
                "ON CONFLICT (seq) DO UPDATE SET attempts = attempts + 1, updated_at = excluded.updated_at",
                [(seq, now) for seq in seqs],
            )

    def send_counts(self) -> dict[str, int]:
        """How many records are in each sending state."""
        with self._lock:
            rows = self._db.execute(
                "SELECT status, COUNT(*) AS n FROM sending WHERE status != 'pending' GROUP BY status"
            ).fetchall()
            last = self.last_link()[0]
        counts = {status.value: 0 for status in SendStatus}
        counts.update({row["status"]: row["n"] for row in rows})
        counts[SendStatus.PENDING.value] = last - sum(row["n"] for row in rows)
        return counts

    def answered_prefix(self) -> int:
        """The highest seq up to which the province has answered every record (whatever the answer)."""
        with self._lock:
            first = self._first_unanswered()
            return self.last_link()[0] if first is None else first - 1

    def queue_depth(self) -> int:
        """How many records are still to send."""
        with self._lock:
            floor = self._answered_floor()
            answered_above = self._db.execute(
                "SELECT COUNT(*) FROM sending WHERE seq > ? AND status != 'pending'", (floor,)
            ).fetchone()[0]
            return int(self.last_link()[0] - floor - answered_above)

    def dead_letters(self, limit: int = 200) -> list[DeadLetter]:
        """The records the province rejected, oldest first, with the province's error; no personal field is
        read."""
        with self._lock:
            rows = self._db.execute(
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
