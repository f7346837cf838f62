"""The QR code in the Fujian gateway profile (province-fujian.md "What changes": QR): the province's own page,
asked for when a session opens (`getSaveEvaluationUrl`), on the uplink thread.

The citizen is at the pad while the answer comes, so an ask goes before the sender's next call; one that
waited longer than MAX_AGE_S (the uplink was busy or cut off) is dropped, as is one that fails: offline,
there is no QR code for that session, and nobody would be there to scan a late one.
"""

from __future__ import annotations

import logging
import math
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, Signal

from kiosk.sync.fujian.case_xml import CaseFormat
from kiosk.sync.fujian.gateway import GatewayClient, GatewayUnreachable
from kiosk.sync.fujian.outcome import qr_url
from kiosk.sync.fujian.soap import SAVE_EVALUATION_URL
from kiosk.sync.link import ProvinceLink

log = logging.getLogger(__name__)

MAX_AGE_S = 60.0


class QrEvents(QObject):
    """What the QR duty tells the Pad; delivered queued on the Qt thread.

    Signals:
        url_ready(str, str): a session's id and the province's page for it, to show as its QR code.
    """

    url_ready = Signal(str, str)


@dataclass(frozen=True)
class QrAsk:
    """A session's request for its QR code.

    Attributes:
        session_id: the session.
        case: its case in record form (projectNo, taskCode, taskName, acceptTime, the applicant, the
            window and staff; a copy: it crosses threads).
        finish_time: the session's finishTime, or "".
        asked_at: when it was asked, on the uplink's monotonic clock.
    """

    session_id: str
    case: Mapping[str, Any] = field(repr=False)  # personal data: never in a log line
    finish_time: str
    asked_at: float


class QrAsks:
    """The uplink's QR duty, on the uplink thread (`ask` from any thread).

    Args:
        client: the gateway client.
        cases: how this pad writes its Cases.
        events: where the URLs go.
        link: the province as the uplink thread knows it.
        monotonic: the uplink's clock, for the age of an ask.
    """

    def __init__(
        self,
        client: GatewayClient,
        cases: CaseFormat,
        events: QrEvents,
        link: ProvinceLink,
        monotonic: Callable[[], float],
    ) -> None:
        self._client = client
        self._cases = cases
        self._events = events
        self._link = link
        self._monotonic = monotonic
        self._asks: list[QrAsk] = []
        self._lock = threading.Lock()

    def ask(self, session_id: str, case: Mapping[str, Any], finish_time: str) -> None:
        """Queues a session's ask (any thread; the caller wakes the worker)."""
        with self._lock:
            self._asks.append(QrAsk(session_id, dict(case), finish_time, self._monotonic()))

    def run(self, now: float) -> float:
        """Asks what is queued, newest last; due again only when another is queued."""
        with self._lock:
            asks, self._asks = self._asks, []
        for ask in asks:
            if now - ask.asked_at > MAX_AGE_S:
                log.info("uplink: a QR ask waited %.0f s: dropped", now - ask.asked_at)
                continue
            self._answer(ask)
            now = self._monotonic()
        return math.inf

    def _answer(self, ask: QrAsk) -> None:
        try:
            answer = self._client.call(SAVE_EVALUATION_URL, self._cases.url_case(ask.case, ask.finish_time))
        except GatewayUnreachable as exc:
            log.warning("uplink: no QR code for session %s: %s", ask.session_id, exc)
            return
        except ValueError as exc:  # a time the Case cannot carry: the session has no QR code
            log.warning("uplink: no QR code for session %s: %s", ask.session_id, exc)
            return
        self._link.answered()
        url = qr_url(answer)
        if url is None:
            log.info(
                "uplink: the gateway gave no QR code for session %s (code %s)", ask.session_id, answer.code
            )
            return
        self._events.url_ready.emit(ask.session_id, url)
