"""Rule R13 on the uplink thread: an offset to the province's time learned from its answers is kept in the
ledger (the next start uses it before the province is reached), and over 120 s it is a technician alert."""

from __future__ import annotations

import logging

from kiosk.domain.clock import ProvinceClock, clock_alert
from kiosk.store.errors import LedgerError
from kiosk.store.ledger import Ledger
from kiosk.sync.link import ProvinceLink
from kiosk.sync.status import Alert

log = logging.getLogger(__name__)


class ClockKeeper:
    """Keeps the offset the client's clock learned.

    Args:
        ledger: where the offset is kept.
        clock: the clock the client corrects.
        link: where the alert goes.
    """

    def __init__(self, ledger: Ledger, clock: ProvinceClock, link: ProvinceLink) -> None:
        self._ledger = ledger
        self._clock = clock
        self._link = link
        self._saved = clock.offset_s

    def keep(self) -> None:
        offset = self._clock.offset_s
        if offset is None or offset == self._saved:
            return
        self._saved = offset
        log.info("uplink: the province's time is %+.0f s from the pad's own clock", offset)
        try:
            self._ledger.keep_clock_offset(offset)
        except LedgerError as exc:
            log.error("uplink: the clock offset could not be kept: %s", exc)
        detail = clock_alert(offset)
        self._link.alert("clock", None if detail is None else Alert("clock", detail))
