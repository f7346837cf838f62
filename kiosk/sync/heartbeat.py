"""The heartbeat (uplink-api.md "Configuration, heartbeat, status"): the device's state to the province
every heartbeatS; its answer tells the province's time and how far it holds the device's chain, which is
checked against what the device knows was answered (the `chain` alert)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from kiosk import __version__
from kiosk.domain.clock import Clock
from kiosk.domain.timefmt import format_time
from kiosk.store.ledger import Ledger, SendStatus
from kiosk.sync.asks import ProjectAsks
from kiosk.sync.client import UplinkClient, UplinkError, UplinkUnreachable
from kiosk.sync.link import ProvinceLink
from kiosk.sync.status import Alert

log = logging.getLogger(__name__)


class Heartbeat:
    """The uplink's heartbeat duty, on the uplink thread.

    Args:
        ledger: the queue and the chain it reports.
        client: the uplink client.
        link: the province as the thread knows it.
        asks: asked about the timed-out sessions after each heartbeat (R6).
        evaluator_status: the evaluator's protocol, port, state and firmware (a copy, thread-safe).
        clock: the pad's clock, for the time it reports.
        interval_s: the pad's own interval; the province's heartbeatS wins while it sends one.
    """

    def __init__(
        self,
        ledger: Ledger,
        client: UplinkClient,
        link: ProvinceLink,
        asks: ProjectAsks,
        evaluator_status: Callable[[], dict[str, Any]],
        clock: Clock,
        interval_s: float,
    ) -> None:
        self._ledger = ledger
        self._client = client
        self._link = link
        self._asks = asks
        self._evaluator_status = evaluator_status
        self._clock = clock
        self._own_interval_s = interval_s
        self.interval_s = interval_s
        self._started_at = link.monotonic()
        self._at = 0.0

    def use_interval(self, province_s: float | None) -> None:
        """The province's heartbeatS, or None to go back to the pad's own."""
        self.interval_s = province_s or self._own_interval_s

    def run(self, now: float) -> float:
        """Sends the heartbeat when due; returns when it is next due."""
        if now < self._at:
            return self._at
        self._at = now + self.interval_s
        counts = self._ledger.send_counts()
        last_seq, last_hash = self._ledger.last_link()
        body = {
            "at": format_time(self._clock.now()),
            "appVersion": __version__,
            "uptimeS": int(now - self._started_at),
            "queueDepth": counts[SendStatus.PENDING.value],
            "deadLetters": counts[SendStatus.DEAD.value],
            "lastSeq": last_seq,
            "lastHash": last_hash,
            "evaluator": self._evaluator_status(),
        }
        try:
            answer = self._link.signed(lambda: self._client.heartbeat(body))
        except (UplinkError, UplinkUnreachable) as exc:
            if not self._link.refuse(exc):
                log.warning("uplink: heartbeat failed: %s", exc)
                self._link.set_state("retrying")
            return self._at
        self._link.answered()
        accepted = answer.get("acceptedSeq")
        if isinstance(accepted, int) and not isinstance(accepted, bool):
            self._check_chain(accepted)
        self._asks.timed_out()
        return self._at

    def _check_chain(self, accepted: int) -> None:
        self._link.accepted_seq = accepted
        self._link.publish()  # the status says what the alert below is about, and arrives first
        known = self._ledger.answered_prefix()
        if accepted < known:
            log.error("uplink: the province holds the chain to seq %d, the device knows %d", accepted, known)
            self._link.alert(
                "chain",
                Alert(
                    "chain",
                    f"the province holds the chain to seq {accepted}, the device has answers to seq {known}: "
                    "call the province's support",
                ),
            )
        else:
            self._link.alert("chain", None)
