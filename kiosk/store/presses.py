"""The press log (rules.md R8): every press the evaluator reports, whatever becomes of it, append-only."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from kiosk.store.db import LedgerDb


@dataclass(frozen=True)
class PressEntry:
    """A press as the press log keeps it."""

    at: str
    button: int
    level: int | None
    armed: bool
    address: int = 0


def insert_press(conn: sqlite3.Connection, press: PressEntry, session_id: str | None, counted: bool) -> None:
    """Logs a press inside the caller's transaction (`counted`: it chose the session's level)."""
    conn.execute(
        "INSERT INTO press_log (at, button, level, armed, address, session_id, counted) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (press.at, press.button, press.level, int(press.armed), press.address, session_id, int(counted)),
    )


class PressLog:
    def __init__(self, db: LedgerDb) -> None:
        self._db = db

    def log(self, press: PressEntry, session_id: str | None = None, *, extra: bool = False) -> None:
        """Logs a press that chose nothing; `extra` counts it against the session's extraPresses."""
        with self._db.write() as conn:
            insert_press(conn, press, session_id, counted=False)
            if extra and session_id is not None:
                conn.execute(
                    "UPDATE sessions SET extra_presses = extra_presses + 1, updated_at = ? "
                    "WHERE session_id = ?",
                    (self._db.now(), session_id),
                )

    def presses(self, session_id: str | None = None) -> list[sqlite3.Row]:
        """The press log, oldest first (of one session, when given)."""
        with self._db.read() as conn:
            if session_id is None:
                return conn.execute("SELECT * FROM press_log ORDER BY id").fetchall()
            return conn.execute(
                "SELECT * FROM press_log WHERE session_id = ? ORDER BY id", (session_id,)
            ).fetchall()
