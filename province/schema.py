"""The sandbox database's schema, as numbered migrations applied in order (PRAGMA user_version)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from province.seed import seed_demo_hall, seed_demo_notices

_V1 = (
    "CREATE TABLE departments (code TEXT PRIMARY KEY, name TEXT NOT NULL)",
    "CREATE TABLE halls (code TEXT PRIMARY KEY, name TEXT NOT NULL, area_code TEXT NOT NULL)",
    """CREATE TABLE windows (
        hall_code TEXT NOT NULL REFERENCES halls (code),
        window_no TEXT NOT NULL,
        dept_code TEXT NOT NULL REFERENCES departments (code),
        PRIMARY KEY (hall_code, window_no))""",
    "CREATE TABLE staff (staff_id TEXT PRIMARY KEY, name TEXT NOT NULL, title TEXT NOT NULL, photo_png BLOB)",
    """CREATE TABLE window_staff (
        hall_code TEXT NOT NULL,
        window_no TEXT NOT NULL,
        staff_id TEXT NOT NULL REFERENCES staff (staff_id),
        position INTEGER NOT NULL,
        PRIMARY KEY (hall_code, window_no, staff_id),
        FOREIGN KEY (hall_code, window_no) REFERENCES windows (hall_code, window_no))""",
    # Values are JSON; a hall without a row gets the defaults of province.device_config.
    """CREATE TABLE hall_settings (
        hall_code TEXT NOT NULL REFERENCES halls (code),
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (hall_code, key))""",
    """CREATE TABLE enroll_codes (
        code TEXT PRIMARY KEY,
        hall_code TEXT NOT NULL,
        window_no TEXT NOT NULL,
        issued_at REAL NOT NULL,
        used_by TEXT,
        used_at REAL,
        FOREIGN KEY (hall_code, window_no) REFERENCES windows (hall_code, window_no))""",
    """CREATE TABLE devices (
        device_id TEXT PRIMARY KEY,
        secret BLOB NOT NULL,
        hall_code TEXT NOT NULL,
        window_no TEXT NOT NULL,
        enroll_code TEXT,
        app_version TEXT NOT NULL DEFAULT '',
        hardware TEXT NOT NULL DEFAULT '{}',
        enrolled_at REAL NOT NULL,
        revoked INTEGER NOT NULL DEFAULT 0,
        last_heartbeat TEXT,
        last_heartbeat_at REAL,
        FOREIGN KEY (hall_code, window_no) REFERENCES windows (hall_code, window_no))""",
    """CREATE TABLE nonces (
        device_id TEXT NOT NULL,
        nonce TEXT NOT NULL,
        seen_at REAL NOT NULL,
        PRIMARY KEY (device_id, nonce))""",
    # Every record with a sound identity (uuid, seq, prevHash, intact hash, the signer's deviceId), whatever
    # its status. `placed` records hold their seq in the device's chain; a second record claiming a held seq
    # is kept for audit but holds nothing.
    """CREATE TABLE evaluations (
        id INTEGER PRIMARY KEY,
        evaluation_id TEXT NOT NULL,
        device_id TEXT NOT NULL REFERENCES devices (device_id),
        seq INTEGER NOT NULL,
        hash TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        project_no TEXT,
        status TEXT NOT NULL CHECK (status IN ('accepted', 'conflict', 'rejected')),
        error_code TEXT,
        error_field TEXT,
        error_message TEXT,
        placed INTEGER NOT NULL,
        chain_break INTEGER NOT NULL DEFAULT 0,
        record TEXT NOT NULL,
        received_at REAL NOT NULL)""",
    "CREATE INDEX evaluations_by_id ON evaluations (evaluation_id)",
    "CREATE UNIQUE INDEX chain_places ON evaluations (device_id, seq) WHERE placed = 1",
    # R1 at the bottom: one accepted first rating per 办件.
    "CREATE UNIQUE INDEX first_ratings ON evaluations (project_no) WHERE status = 'accepted'",
    # Records that could not be placed at all (malformed identity, broken hash, another device's id): kept for
    # the audit, as the device keeps its dead letters.
    """CREATE TABLE unplaced_records (
        id INTEGER PRIMARY KEY,
        device_id TEXT NOT NULL,
        evaluation_id TEXT,
        error_code TEXT NOT NULL,
        error_field TEXT,
        error_message TEXT NOT NULL,
        record TEXT NOT NULL,
        received_at REAL NOT NULL)""",
    """CREATE TABLE projects (
        project_no TEXT PRIMARY KEY,
        task_code TEXT NOT NULL,
        task_name TEXT NOT NULL,
        accept_time TEXT NOT NULL,
        applicant TEXT NOT NULL,
        reported_at REAL NOT NULL)""",
    """CREATE TABLE other_ratings (
        project_no TEXT PRIMARY KEY,
        satisfaction INTEGER NOT NULL,
        pf TEXT NOT NULL,
        eval_detail TEXT NOT NULL,
        assess_time TEXT NOT NULL,
        received_at REAL NOT NULL)""",
    "CREATE TABLE fault_counts (kind TEXT PRIMARY KEY, count INTEGER NOT NULL)",
)


def _to_v1(conn: sqlite3.Connection) -> None:
    for statement in _V1:
        conn.execute(statement)
    seed_demo_hall(conn)


_V2 = (
    # The phone page's free text (writingEvaluation) beside the rest of a rating made on another channel.
    "ALTER TABLE other_ratings ADD COLUMN writing_evaluation TEXT NOT NULL DEFAULT ''",
    # How often each device resent a record the province already held (answered `duplicate`): stored
    # nowhere else, and the overview page counts them.
    "CREATE TABLE duplicate_counts (device_id TEXT PRIMARY KEY, count INTEGER NOT NULL)",
)


# The Fujian gateway's double (province-fujian.md "The sandbox's double"): apps issued for windows, their
# tokens, and the ratings taken through the gateway. A rating's first-rating row is in other_ratings (the
# province's own rating of the 办件, pf as sent); gateway_ratings adds the province's id and the Case.
_V3 = (
    """CREATE TABLE gateway_apps (
        app_key TEXT PRIMARY KEY,
        app_code TEXT NOT NULL,
        hall_code TEXT NOT NULL,
        window_no TEXT NOT NULL,
        issued_at REAL NOT NULL,
        FOREIGN KEY (hall_code, window_no) REFERENCES windows (hall_code, window_no))""",
    """CREATE TABLE gateway_tokens (
        token TEXT PRIMARY KEY,
        app_key TEXT NOT NULL REFERENCES gateway_apps (app_key),
        issued_at REAL NOT NULL,
        expires_at REAL NOT NULL)""",
    """CREATE TABLE gateway_ratings (
        evaluate_unid TEXT PRIMARY KEY,
        project_no TEXT NOT NULL UNIQUE REFERENCES other_ratings (project_no),
        app_key TEXT NOT NULL REFERENCES gateway_apps (app_key),
        case_fields TEXT NOT NULL,
        received_at REAL NOT NULL)""",
)


_V4 = (
    # What the case system reports of a 办件 beside its applicant, for the terminals' look-up.
    *(
        f"ALTER TABLE projects ADD COLUMN {column} TEXT NOT NULL DEFAULT ''"
        for column in ("finish_time", "dept_code", "dept_name", "window_no", "staff_id", "staff_name")
    ),
    "CREATE INDEX projects_by_cert ON projects (json_extract(applicant, '$.certNo'))",
    # The hall's public notices (政务公开) that every pad's idle screen shows within their period.
    """CREATE TABLE notices (
        hall_code TEXT NOT NULL REFERENCES halls (code),
        notice_id TEXT NOT NULL,
        position INTEGER NOT NULL,
        title TEXT NOT NULL,
        body TEXT NOT NULL,
        image_png BLOB,
        from_date TEXT NOT NULL,
        until_date TEXT NOT NULL,
        PRIMARY KEY (hall_code, notice_id))""",
    # Look-ups that found nothing, per device, for the limit of 10 a minute.
    "CREATE TABLE lookup_misses (device_id TEXT NOT NULL, at REAL NOT NULL)",
    "CREATE INDEX lookup_misses_by_device ON lookup_misses (device_id, at)",
)


def _to_v2(conn: sqlite3.Connection) -> None:
    for statement in _V2:
        conn.execute(statement)


def _to_v3(conn: sqlite3.Connection) -> None:
    for statement in _V3:
        conn.execute(statement)


def _to_v4(conn: sqlite3.Connection) -> None:
    for statement in _V4:
        conn.execute(statement)
    seed_demo_notices(conn)


# Index i migrates from user_version i to i + 1. Append, never edit: databases in the field hold old steps.
MIGRATIONS: tuple[Callable[[sqlite3.Connection], None], ...] = (_to_v1, _to_v2, _to_v3, _to_v4)


def migrate(conn: sqlite3.Connection) -> None:
    """Brings a database (new or older) to the latest schema, one step per transaction.

    Args:
        conn: a connection in autocommit mode (isolation_level None).
    """
    for version, step in enumerate(MIGRATIONS):
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Read inside the write lock: two processes opening a new file at once must not both migrate it.
            if conn.execute("PRAGMA user_version").fetchone()[0] > version:
                conn.execute("ROLLBACK")
                continue
            step(conn)
            conn.execute(f"PRAGMA user_version = {version + 1}")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
