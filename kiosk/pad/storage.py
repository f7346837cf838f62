"""A ledger that cannot take a write (a full or read-only disk): the alert, no new sessions, and a probe
every few seconds until the disk takes writes again; then what waited is recorded at once."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from kiosk.pad.alerts import Alerts
from kiosk.pad.timers import Timer
from kiosk.store.errors import StorageUnavailable
from kiosk.store.ledger import Ledger

log = logging.getLogger(__name__)

STORAGE_PROBE_MS = 5000


class StorageWatch:
    """Watches the storage for the Pad (on its thread).

    Args:
        ledger: the ledger whose writes fail.
        alerts: where the `storage` alert is raised.
        probe_timer: a repeating timer that calls `probe` (STORAGE_PROBE_MS).
        recovered: called once the disk takes writes again (the Pad records what waited).
    """

    def __init__(
        self, ledger: Ledger, alerts: Alerts, probe_timer: Timer, recovered: Callable[[], None]
    ) -> None:
        self._ledger = ledger
        self._alerts = alerts
        self._timer = probe_timer
        self._recovered = recovered

    @property
    def ok(self) -> bool:
        return "storage" not in self._alerts

    def failed(self, exc: StorageUnavailable) -> None:
        log.error("storage unavailable: %s", exc)
        self._alerts.set("storage", "storage_unavailable")
        if not self._timer.isActive():
            self._timer.start()

    @contextmanager
    def writing(self) -> Iterator[None]:
        """A request that writes the ledger: a storage fault raises the alert and starts the probe, then
        goes on to the caller (the bridge answers 503 storage_unavailable)."""
        try:
            yield
        except StorageUnavailable as exc:
            self.failed(exc)
            raise

    @contextmanager
    def absorbing(self) -> Iterator[None]:
        """Work nobody waits for (a press, a timer): a storage fault raises the alert and ends it there."""
        try:
            yield
        except StorageUnavailable as exc:
            self.failed(exc)

    def probe(self) -> None:
        try:
            self._ledger.probe_write()
        except StorageUnavailable:
            return
        log.info("storage takes writes again")
        self._timer.stop()
        self._alerts.set("storage", None)
        with self.absorbing():
            self._recovered()

    def stop(self) -> None:
        self._timer.stop()
