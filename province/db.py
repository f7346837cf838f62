"""One SQLite connection shared by the sandbox's threads, behind a lock.

uvicorn answers requests on its event loop and in a thread pool, and tests and the pad's demo read the same
store from their own threads. One connection with one lock keeps every transaction whole without per-thread
connections to track and close; WAL lets another process (`kiosk sandbox issue-code`, a test reading the
file) read and write the file while the service runs.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from province.schema import migrate

BUSY_TIMEOUT_MS = 10_000


class Database:
    """The sandbox's SQLite file, migrated to the latest schema on open.

    Args:
        path: the database file; created (with the demo hall) when it does not exist.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._lock = threading.RLock()
        # isolation_level None: transactions are opened explicitly (BEGIN IMMEDIATE), never implicitly.
        self._conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._conn.row_factory = sqlite3.Row
        self._conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        self._conn.execute("PRAGMA journal_mode = WAL")
        self._conn.execute("PRAGMA synchronous = NORMAL")
        self._conn.execute("PRAGMA foreign_keys = ON")
        migrate(self._conn)

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction, committed when the block ends and rolled back when it raises."""
        with self._lock:
            # IMMEDIATE takes the write lock now, so a read-then-write cannot be overtaken by another process.
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    @contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """The connection for reads, in one snapshot of the file, held by this thread for the block."""
        with self._lock:
            self._conn.execute("BEGIN")
            try:
                yield self._conn
            finally:
                self._conn.execute("ROLLBACK")

    def close(self) -> None:
        """Closes the connection; the object is unusable afterwards."""
        with self._lock:
            self._conn.close()
