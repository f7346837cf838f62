"""A self-service terminal's look-up of a citizen's cases (uplink-api.md "Finding cases"), off the Qt thread.

The citizen waits at the screen for it, so it does not queue behind the sender: it has a thread and an
HTTP session of its own, signing with the same key and the same clock as the uplink (ProvinceClock is safe
from any thread). Its answers reach the Pad through queued signals.
"""

from __future__ import annotations

import concurrent.futures
import itertools
import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from kiosk.domain.cases import CaseQuery, LookupResult
from kiosk.domain.terminal import TerminalMessage
from kiosk.sync.client import UplinkClient, UplinkError, UplinkUnreachable

log = logging.getLogger(__name__)


class CaseLookup(QObject):
    """Asks the province for a citizen's cases.

    Args:
        client: makes the look-up's own client (called once, on the look-up's thread).

    Signals:
        answered(int, LookupResult): the cases found for a request.
        failed(int, str): a request found nothing it could show: a TerminalMessage value.
    """

    answered = Signal(int, object)
    failed = Signal(int, str)

    def __init__(self, client: Callable[[], UplinkClient]) -> None:
        super().__init__()
        self._make_client = client
        self._client: UplinkClient | None = None
        self._pool = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="lookup")
        self._ids = itertools.count(1)

    def ask(self, query: CaseQuery) -> int:
        """Starts a look-up (any thread); returns the request's id, which its answer carries."""
        request = next(self._ids)
        self._pool.submit(self._look_up, request, query)
        return request

    def _look_up(self, request: int, query: CaseQuery) -> None:
        if self._client is None:
            self._client = self._make_client()
        client = self._client
        try:
            result = self._signed(client, query)
        except UplinkError as exc:
            if exc.status == 429:
                log.warning("look-up: too many look-ups that found nothing; the province says wait")
                self.failed.emit(request, TerminalMessage.TOO_MANY_LOOKUPS.value)
            else:
                log.warning("look-up refused: %s", exc)
                self.failed.emit(request, TerminalMessage.PROVINCE_UNREACHABLE.value)
            return
        except UplinkUnreachable as exc:
            log.warning("look-up: the province did not answer: %s", exc)
            self.failed.emit(request, TerminalMessage.PROVINCE_UNREACHABLE.value)
            return
        log.info("look-up: %d case(s) found", len(result.cases))
        self.answered.emit(request, result)

    @staticmethod
    def _signed(client: UplinkClient, query: CaseQuery) -> LookupResult:
        """The look-up, made once more at once after `clock_skew` (with the province's time) or `replay`."""
        try:
            return client.lookup(query)
        except UplinkError as exc:
            if exc.code not in ("clock_skew", "replay"):
                raise
            server_time = exc.body.get("serverTime")
            if exc.code == "clock_skew" and isinstance(server_time, int | float):
                client.learn_server_time(server_time)
            return client.lookup(query)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
        if self._client is not None:
            self._client.close()
