"""The ledger's one connection to `DIR/kiosk.sqlite3`, its lock and its transactions.

One connection writes; a lock serialises the threads that use it (the Qt thread records sessions and
ratings, the sender records outcomes). SQLite would serialise them anyway; the lock makes the order explicit
and keeps SQLITE_BUSY out of the pad's own writes.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol

from kiosk.domain.clock import Clock
from kiosk.domain.timefmt import format_time
from kiosk.store.errors import LedgerError, StorageUnavailable, is_storage_fault

LEDGER_FILE = "kiosk.sqlite3"


def connect(path: Path) -> sqlite3.Connection:
    """A connection with the ledger's settings: WAL, FULL sync, explicit transactions."""
    db = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=5.0)
    db.row_factory = sqlite3.Row
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = FULL")
    db.execute("PRAGMA foreign_keys = ON")
    return db


def translate(exc: sqlite3.Error) -> LedgerError:
    """A write's SQLite error as the ledger raises it: StorageUnavailable when the storage is at fault."""
    if is_storage_fault(exc):
        return StorageUnavailable(f"the ledger cannot take a write: {exc}")
    return LedgerError(f"ledger write failed: {exc}")


class TransactionWatcher(Protocol):
    """What keeps a copy of stored data in memory (the chain's last link) and must learn how a
    transaction ended."""

    def committed(self) -> None: ...

    def rolled_back(self) -> None: ...


class LedgerDb:
    """The connection, shared by the ledger's parts.

    Args:
        conn: a connection made by `connect`, already migrated.
        clock: the pad's clock, for `created_at` and `updated_at`.
    """

    def __init__(self, conn: sqlite3.Connection, clock: Clock) -> None:
        self.conn = conn
        self.lock = threading.RLock()
        self._clock = clock
        self._watchers: list[TransactionWatcher] = []

    def watch(self, watcher: TransactionWatcher) -> None:
        self._watchers.append(watcher)

    def now(self) -> str:
        return format_time(self._clock.now())

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """The connection, held by this thread until the block ends."""
        with self.lock:
            yield self.conn

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One transaction; storage faults become StorageUnavailable, and nothing half-done is kept."""
        with self.lock:
            try:
                self.conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise translate(exc) from exc
            try:
                yield self.conn
                self.conn.execute("COMMIT")
            except BaseException as exc:
                for watcher in self._watchers:
                    watcher.rolled_back()
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                if isinstance(exc, sqlite3.Error):
                    raise translate(exc) from exc
                raise
            for watcher in self._watchers:
                watcher.committed()

    def close(self) -> None:
        with self.lock:
            self.conn.close()
