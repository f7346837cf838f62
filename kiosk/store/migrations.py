"""The ledger's schema, one numbered step at a time (SQLite `user_version`).

Each step upgrades a database of the version before it, inside one transaction, and is tested from a saved
database of that version (tests/data/). A step is never edited once it has shipped: a change is a new step.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from kiosk.store.crypto import PersonalDataCipher
from kiosk.store.errors import LedgerError


@dataclass(frozen=True)
class MigrationContext:
    """What a step may need beyond SQL: the cipher, to re-derive data from encrypted columns."""

    cipher: PersonalDataCipher


Step = Callable[[sqlite3.Connection, MigrationContext], None]


def run_script(db: sqlite3.Connection, script: str) -> None:
    """Runs each statement of `script` inside the caller's transaction.

    `executescript` would COMMIT first, which would let a half-applied step survive a crash.
    """
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            db.execute(pending)
            pending = ""
    if pending.strip():
        raise LedgerError(f"incomplete SQL statement in a migration: {pending.strip()[:60]}")


def _v1_foundation(db: sqlite3.Connection, ctx: MigrationContext) -> None:
    run_script(
        db,
        """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

        -- A session is mutable: it moves through its states. Personal fields are sealed in `personal`.
        CREATE TABLE sessions (
            session_id   TEXT PRIMARY KEY,
            project_no   TEXT NOT NULL,
            task_code    TEXT NOT NULL,
            task_name    TEXT NOT NULL,
            accept_time  TEXT NOT NULL,
            finish_time  TEXT NOT NULL,
            staff_id     TEXT NOT NULL,
            staff_name   TEXT NOT NULL,
            user_prop    TEXT NOT NULL,
            cert_type    TEXT NOT NULL,
            personal     BLOB NOT NULL,
            state        TEXT NOT NULL,
            channel      TEXT,
            rated_at     TEXT,
            extra_presses INTEGER NOT NULL DEFAULT 0,
            created_at   TEXT NOT NULL,
            updated_at   TEXT NOT NULL
        );
        CREATE INDEX sessions_project_no ON sessions (project_no);
        CREATE INDEX sessions_state ON sessions (state);

        -- One row per evaluation record, exactly the fields that are hashed and sent (uplink-api.md);
        -- userName, certNo and mobile are sealed in `personal`.
        CREATE TABLE ratings (
            seq                INTEGER PRIMARY KEY,
            evaluation_id      TEXT NOT NULL UNIQUE,
            session_id         TEXT NOT NULL REFERENCES sessions (session_id),
            device_id          TEXT NOT NULL,
            prev_hash          TEXT NOT NULL,
            hash               TEXT NOT NULL,
            project_no         TEXT NOT NULL,
            task_code          TEXT NOT NULL,
            task_name          TEXT NOT NULL,
            dept_code          TEXT NOT NULL,
            dept_name          TEXT NOT NULL,
            area_code          TEXT NOT NULL,
            window_no          TEXT NOT NULL,
            staff_id           TEXT NOT NULL,
            staff_name         TEXT NOT NULL,
            pf                 TEXT NOT NULL,
            satisfaction       INTEGER NOT NULL,
            eval_detail        TEXT NOT NULL,
            writing_evaluation TEXT NOT NULL,
            accept_time        TEXT NOT NULL,
            assess_time        TEXT NOT NULL,
            assess_number      INTEGER NOT NULL,
            default_evaluation INTEGER NOT NULL,
            user_prop          TEXT NOT NULL,
            cert_type          TEXT NOT NULL,
            personal           BLOB NOT NULL,
            extra_presses      INTEGER NOT NULL
        );

        -- Sending state lives apart from the record, so the record itself never changes.
        CREATE TABLE sending (
            seq        INTEGER PRIMARY KEY REFERENCES ratings (seq),
            status     TEXT NOT NULL,
            attempts   INTEGER NOT NULL DEFAULT 0,
            error      TEXT NOT NULL DEFAULT '',
            updated_at TEXT NOT NULL
        );
        CREATE INDEX sending_status ON sending (status, seq);
        """,
    )


def _v2_ledger(db: sqlite3.Connection, ctx: MigrationContext) -> None:
    """The ledger a province can trust: the press log, append-only triggers, the chain enforced on insert,
    keyed look-up hashes of certificate numbers, and the level a session chose before its record."""
    run_script(
        db,
        """
        -- Every press the evaluator reports (rules.md R8), whatever becomes of it.
        CREATE TABLE press_log (
            id         INTEGER PRIMARY KEY,
            at         TEXT NOT NULL,
            button     INTEGER NOT NULL,
            level      INTEGER,            -- NULL: a button the map does not name
            armed      INTEGER NOT NULL,
            address    INTEGER NOT NULL,
            session_id TEXT,               -- the session awaiting a rating (or with its picker open), if any
            counted    INTEGER NOT NULL    -- 1: this press chose the session's level
        );
        CREATE INDEX press_log_session ON press_log (session_id) WHERE session_id IS NOT NULL;

        CREATE TRIGGER press_log_append_only_update BEFORE UPDATE ON press_log
        BEGIN SELECT RAISE(ABORT, 'press_log is append-only'); END;
        CREATE TRIGGER press_log_append_only_delete BEFORE DELETE ON press_log
        BEGIN SELECT RAISE(ABORT, 'press_log is append-only'); END;

        -- Every column of a rating is part of its record: none may change, no row may go.
        CREATE TRIGGER ratings_append_only_update BEFORE UPDATE ON ratings
        BEGIN SELECT RAISE(ABORT, 'ratings are append-only'); END;
        CREATE TRIGGER ratings_append_only_delete BEFORE DELETE ON ratings
        BEGIN SELECT RAISE(ABORT, 'ratings are append-only'); END;
        -- The chain is enforced where it is written: gapless seq, prevHash = the hash of seq - 1.
        CREATE TRIGGER ratings_chain BEFORE INSERT ON ratings
        WHEN NEW.seq != COALESCE((SELECT MAX(seq) FROM ratings), 0) + 1
          OR NEW.prev_hash != COALESCE(
               (SELECT hash FROM ratings WHERE seq = NEW.seq - 1),
               '0000000000000000000000000000000000000000000000000000000000000000')
        BEGIN SELECT RAISE(ABORT, 'ratings must extend the chain'); END;

        CREATE TRIGGER sending_keep BEFORE DELETE ON sending
        BEGIN SELECT RAISE(ABORT, 'sending state is kept for every record'); END;
        -- What the province answered is final: only a pending record changes state.
        CREATE TRIGGER sending_final BEFORE UPDATE OF status ON sending
        WHEN OLD.status != 'pending' AND NEW.status != OLD.status
        BEGIN SELECT RAISE(ABORT, 'a record''s final sending state never changes'); END;

        -- The idle screen's results (R11) read a period of days: an index on the instant, not the text,
        -- because offsets may differ between records.
        CREATE INDEX ratings_assessed ON ratings (unixepoch(assess_time), satisfaction);

        ALTER TABLE sessions ADD COLUMN cert_hmac TEXT NOT NULL DEFAULT '';
        ALTER TABLE sessions ADD COLUMN chosen_level INTEGER;
        ALTER TABLE sessions ADD COLUMN chosen_at TEXT;
        CREATE INDEX sessions_cert_hmac ON sessions (cert_hmac);
        """,
    )
    rows = db.execute("SELECT session_id, cert_type, personal FROM sessions").fetchall()
    for session_id, cert_type, personal in rows:
        cert_no = ctx.cipher.open(personal, f"session:{session_id}")["certNo"]
        db.execute(
            "UPDATE sessions SET cert_hmac = ? WHERE session_id = ?",
            (ctx.cipher.lookup_hash(cert_type, cert_no), session_id),
        )
    # A v1 session that was rated has its level in its record; one rated without a record cannot exist in
    # v1 (the record and the state were written together), so chosen_level stays NULL for old rows.


# The append-only and chain triggers of `ratings`, as version 2 made them: a rebuild of the table drops them
# with it, and they come back unchanged.
_RATINGS_TRIGGERS = """
    CREATE TRIGGER ratings_append_only_update BEFORE UPDATE ON ratings
    BEGIN SELECT RAISE(ABORT, 'ratings are append-only'); END;
    CREATE TRIGGER ratings_append_only_delete BEFORE DELETE ON ratings
    BEGIN SELECT RAISE(ABORT, 'ratings are append-only'); END;
    CREATE TRIGGER ratings_chain BEFORE INSERT ON ratings
    WHEN NEW.seq != COALESCE((SELECT MAX(seq) FROM ratings), 0) + 1
      OR NEW.prev_hash != COALESCE(
           (SELECT hash FROM ratings WHERE seq = NEW.seq - 1),
           '0000000000000000000000000000000000000000000000000000000000000000')
    BEGIN SELECT RAISE(ABORT, 'ratings must extend the chain'); END;
"""


def _v3_one_rating_per_session(db: sqlite3.Connection, ctx: MigrationContext) -> None:
    """One rating per session, refused by the database itself, and a rating that writes fewer pages.

    - `ratings` is rebuilt (sqlite-utils' transform) without the unique index on evaluation_id, a random
      UUID that nothing looks up (the province keys on it; the chain does not), and gains a unique index
      on session_id. A second rating that version 2 let through keeps its place in the chain; its link
      moves to `duplicate_ratings` and its session_id becomes NULL, which only such old rows may have.
    - A record has a `sending` row only once it has been tried or answered: no row means pending, never
      tried. Pending rows that were never tried go; the rest stay as they are.
    - Each session names its record (`rating_seq`), in the row its rating updates anyway: with no sending
      row for a pending record, this is what still shows that the last record was there.
    - Sessions are indexed by state only while open (awaiting, timed out), the states the pad looks for;
      a rating then takes its session out of the index instead of moving it within it.
    """
    from sqlite_utils import Database

    # Not recursive_triggers (the ledger's connection keeps SQLite's default), no plugins on this
    # connection. transform() runs in a savepoint of the step's transaction: with foreign_keys on and a
    # transaction open it defers the foreign-key checks to the end of its work and runs
    # PRAGMA foreign_key_check before it returns, instead of switching foreign_keys off (which SQLite
    # ignores inside a transaction); nothing refers to `ratings` with an ON DELETE action, which it would
    # refuse.
    ratings = Database(db, recursive_triggers=False, execute_plugins=False).table("ratings")
    order = [column.name for column in ratings.columns]
    run_script(
        db,
        """
        CREATE TABLE duplicate_ratings (
            seq        INTEGER PRIMARY KEY REFERENCES ratings (seq),
            session_id TEXT NOT NULL REFERENCES sessions (session_id)
        );
        INSERT INTO duplicate_ratings (seq, session_id)
        SELECT seq, session_id FROM (
            SELECT seq, session_id, ROW_NUMBER() OVER (PARTITION BY session_id ORDER BY seq) AS nth
            FROM ratings
        ) WHERE nth > 1;
        CREATE TRIGGER duplicate_ratings_append_only_update BEFORE UPDATE ON duplicate_ratings
        BEGIN SELECT RAISE(ABORT, 'duplicate_ratings are append-only'); END;
        CREATE TRIGGER duplicate_ratings_append_only_delete BEFORE DELETE ON duplicate_ratings
        BEGIN SELECT RAISE(ABORT, 'duplicate_ratings are append-only'); END;

        DROP TRIGGER ratings_append_only_update;
        DROP TRIGGER ratings_append_only_delete;
        DROP TRIGGER ratings_chain;
        -- An expression index, which transform() will not carry over a dropped column: made again below.
        DROP INDEX ratings_assessed;
        -- transform() keeps every UNIQUE constraint and cannot drop one: the values move to a new column,
        -- and the old column, with its constraint, is dropped by the rebuild.
        ALTER TABLE ratings ADD COLUMN evaluation_id_v3 TEXT;
        UPDATE ratings SET evaluation_id_v3 = evaluation_id;
        """,
    )
    ratings.transform(
        drop={"evaluation_id"},
        rename={"evaluation_id_v3": "evaluation_id"},
        not_null={"evaluation_id_v3": True, "session_id": False},
        column_order=["evaluation_id_v3" if name == "evaluation_id" else name for name in order],
    )
    run_script(
        db,
        """
        UPDATE ratings SET session_id = NULL WHERE seq IN (SELECT seq FROM duplicate_ratings);
        CREATE UNIQUE INDEX ratings_session ON ratings (session_id);
        CREATE INDEX ratings_assessed ON ratings (unixepoch(assess_time), satisfaction);
        """
        + _RATINGS_TRIGGERS
        + """
        -- Only a second rating kept from before this step has no session of its own.
        CREATE TRIGGER ratings_bound BEFORE INSERT ON ratings WHEN NEW.session_id IS NULL
        BEGIN SELECT RAISE(ABORT, 'a rating belongs to its session'); END;

        DROP TRIGGER sending_keep;
        DELETE FROM sending WHERE status = 'pending' AND attempts = 0;
        CREATE TRIGGER sending_keep BEFORE DELETE ON sending
        BEGIN SELECT RAISE(ABORT, 'sending state, once written, is kept'); END;

        ALTER TABLE sessions ADD COLUMN rating_seq INTEGER REFERENCES ratings (seq);
        UPDATE sessions SET rating_seq = (SELECT seq FROM ratings r WHERE r.session_id = sessions.session_id);
        DROP INDEX sessions_state;
        -- OR, not IN: SQLite sees that `state = 'awaiting'` implies the one, not the other.
        CREATE INDEX sessions_open ON sessions (state) WHERE state = 'awaiting' OR state = 'timed_out';
        """,
    )


def _v4_province_id(db: sqlite3.Connection, ctx: MigrationContext) -> None:
    """The province's own id for a record it accepted (the Fujian gateway's evaluateUnid), kept with the
    record's answer; "" where the province gives none (the JSON uplink keys on evaluationId)."""
    run_script(db, "ALTER TABLE sending ADD COLUMN province_id TEXT NOT NULL DEFAULT '';")


MIGRATIONS: tuple[Step, ...] = (
    _v1_foundation,
    _v2_ledger,
    _v3_one_rating_per_session,
    _v4_province_id,
)
"""MIGRATIONS[n - 1] brings a database from version n - 1 to n."""

LATEST = len(MIGRATIONS)


def schema_version(db: sqlite3.Connection) -> int:
    version: int = db.execute("PRAGMA user_version").fetchone()[0]
    return version


def migrate(db: sqlite3.Connection, ctx: MigrationContext, target: int = LATEST) -> int:
    """Brings the database up to `target`, one step per transaction. Returns the version it started at.

    Raises:
        LedgerError: when the database is newer than this program knows (a downgrade).
    """
    start = schema_version(db)
    if start > LATEST:
        raise LedgerError(
            f"the ledger is at schema version {start}, newer than this kiosk ({LATEST}); "
            "install a newer kiosk"
        )
    for version in range(start + 1, target + 1):
        db.execute("BEGIN IMMEDIATE")
        try:
            MIGRATIONS[version - 1](db, ctx)
            db.execute(f"PRAGMA user_version = {version}")
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
    if start < target:
        # A step that rebuilds a table leaves the whole table in the WAL, and SQLite reuses a WAL file
        # without shrinking it: written back to the database now, the WAL is emptied (a reader that keeps
        # it from that only delays it to the next checkpoint).
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return start
