"""The SQLite ledger: migrations, chained ratings, the press log, encrypted personal data, sending state."""

from kiosk.store.errors import LedgerError, StorageUnavailable

__all__ = ["LedgerError", "StorageUnavailable"]
