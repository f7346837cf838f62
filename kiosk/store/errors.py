"""What the ledger raises."""

from __future__ import annotations

import sqlite3


class LedgerError(Exception):
    """The ledger cannot do what was asked (a broken invariant, an unknown session)."""


class StorageUnavailable(LedgerError):
    """SQLite cannot write: the disk is full, read-only, or failing. Nothing already committed is lost."""


# SQLite primary result codes that mean the storage, not the request, is at fault.
_STORAGE_CODES = {
    13,  # SQLITE_FULL
    8,  # SQLITE_READONLY
    10,  # SQLITE_IOERR
    14,  # SQLITE_CANTOPEN
    5,  # SQLITE_BUSY: another process holds the file (a second pad, a technician's sqlite3 shell)
}


def is_storage_fault(exc: BaseException) -> bool:
    """Whether a sqlite3 error says the storage cannot take a write now."""
    if not isinstance(exc, sqlite3.Error):
        return False
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None and (code & 0xFF) in _STORAGE_CODES:
        return True
    text = str(exc).lower()
    return "disk is full" in text or "readonly" in text or "disk i/o" in text
