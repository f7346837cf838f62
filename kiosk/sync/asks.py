"""Rule R6's questions to the province (uplink-api.md `GET /projects/{projectNo}/evaluation`): for each
timed-out session at every heartbeat, and for one 办件 just before its default (a QR rating made in the
last minutes wins)."""

from __future__ import annotations

import logging
import math
import threading
from functools import partial

from kiosk.domain.sessions import SessionState
from kiosk.store.ledger import Ledger
from kiosk.sync.client import UplinkClient, UplinkError, UplinkUnreachable
from kiosk.sync.link import ProvinceLink

log = logging.getLogger(__name__)


class ProjectAsks:
    """The uplink's R6 duty, on the uplink thread (`ask` may be called from any).

    Args:
        ledger: where the timed-out sessions are.
        client: the uplink client.
        link: the province as the thread knows it.
    """

    def __init__(self, ledger: Ledger, client: UplinkClient, link: ProvinceLink) -> None:
        self._ledger = ledger
        self._client = client
        self._link = link
        self._asks: list[str] = []
        self._lock = threading.Lock()

    def ask(self, project_no: str) -> None:
        """Queues a question about one 办件 (any thread; the worker is woken by its caller)."""
        with self._lock:
            if project_no not in self._asks:
                self._asks.append(project_no)

    def run(self, now: float) -> float:
        """Asks the questions queued; due again only when another is queued."""
        with self._lock:
            asks, self._asks = self._asks, []
        if asks:
            self.answer(asks)
        return math.inf

    def timed_out(self) -> None:
        """Asks about each timed-out session (a QR rating makes it rated)."""
        self.answer(
            [session.project_no for session in self._ledger.sessions_in_state(SessionState.TIMED_OUT)]
        )

    def answer(self, project_nos: list[str]) -> None:
        for project_no in project_nos:
            try:
                answer = self._link.signed(partial(self._client.project_evaluation, project_no))
            except (UplinkError, UplinkUnreachable) as exc:
                # The rest are asked at the next heartbeat; the Pad does not wait for ever on one.
                if not self._link.refuse(exc):
                    log.warning("uplink: could not ask about a 办件: %s", exc)
                return
            self._link.events.project_answered.emit(project_no, answer)
