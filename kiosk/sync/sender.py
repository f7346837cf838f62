"""The sender: drains the queue to the province, oldest first, exactly once (uplink-api.md "Sending
ratings"), through whichever Delivery the province's profile gives it.

A new record wakes it at once; after a failed attempt it waits out the backoff (at least a Retry-After);
a 413 halves the batch, and a single record that still gets one becomes a dead letter; a refusal of the
device stops it until the cap. What the province said of each record is stored, its words masked (R3).
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from kiosk.domain.masking import redact
from kiosk.store.ledger import Ledger, Outcome, PendingRecord, SendStatus
from kiosk.sync.client import UplinkError, UplinkUnreachable
from kiosk.sync.link import ProvinceLink

log = logging.getLogger(__name__)

MAX_BATCH_BYTES = 512 * 1024


@dataclass(frozen=True)
class Delivered:
    """What the province said of one record.

    Attributes:
        status: accepted, duplicate (as good as accepted), superseded (a first rating came from another
            channel) or dead (rejected: kept as a dead letter).
        error: for a dead letter, the province's `code`, `field` and `message`, as it sent them.
        province_id: the province's own id for an accepted record (the Fujian gateway's evaluateUnid), or "".
    """

    status: SendStatus
    error: dict[str, str] = field(default_factory=dict)
    province_id: str = ""


class Delivery(Protocol):
    """How records reach one kind of province (its profile): the JSON uplink's batches, or the Fujian
    gateway's one SOAP call per record."""

    batch_limit: int
    """The most records an attempt takes."""

    def deliver(self, batch: Sequence[PendingRecord]) -> list[Delivered | None]:
        """One attempt for these records, oldest first.

        Returns:
            One answer per record, in order, up to the first whose outcome is unknown (None, or a shorter
            list): that record and the rest stay queued and are sent again later.

        Raises:
            UplinkError: the province refused the attempt as a whole (413, 429, a refusal of the device).
            UplinkUnreachable: no answer at all.
        """
        ...


class Sender:
    """The uplink's sending duty, on the uplink thread.

    Args:
        ledger: the queue.
        link: the province as the thread knows it.
        delivery: the profile's way to deliver.
    """

    def __init__(self, ledger: Ledger, link: ProvinceLink, delivery: Delivery) -> None:
        self._ledger = ledger
        self._link = link
        self._delivery = delivery
        self._limit = delivery.batch_limit
        self._send_at = 0.0
        # After a 429 the province's Retry-After holds even when another answer succeeds meanwhile.
        self._send_not_before = 0.0
        link.on_answered(self._answered)

    def _answered(self, now: float) -> None:
        self._send_at = min(self._send_at, max(now, self._send_not_before))

    def run(self, now: float) -> float:
        """Sends the oldest batch if one is due; returns when the sender is next due (now: at once; never
        while the queue is empty, as a new record wakes the thread)."""
        # No count of the queue here: on a long backlog that is a scan per batch. A record is only ever
        # answered by this thread, so when the sender waits out a failure (_send_at ahead) records are
        # queued, and when it is due, pending_batch tells.
        if now < self._send_at:
            return self._send_at
        batch = self._ledger.pending_batch(self._limit, MAX_BATCH_BYTES)
        if not batch:
            # The backlog is drained: a batch size learned from 413s no longer matters.
            self._limit = self._delivery.batch_limit
            return math.inf
        return now if self._send(batch) else self._send_at

    def _send(self, batch: list[PendingRecord]) -> bool:
        """Sends one batch; True when the province answered it whole (go on at once)."""
        try:
            answers = self._link.signed(lambda: self._delivery.deliver(batch))
        except (UplinkError, UplinkUnreachable) as exc:
            return self._failed(batch, exc)
        outcomes: list[Outcome] = []
        for pending, answer in zip(batch, answers, strict=False):
            if answer is None:
                # What follows an unknown outcome stays queued too: the device's answered records stay a
                # prefix of its chain, and a resend of the stored ones is answered `duplicate`.
                break
            outcomes.append(self._outcome(pending.record["seq"], answer))
        if outcomes:
            self._ledger.record_outcomes(outcomes)
            self._link.events.sent.emit(len(outcomes))
        if len(outcomes) < len(batch):
            log.error(
                "uplink: no usable answer for seq %d; it stays queued", batch[len(outcomes)].record["seq"]
            )
            if outcomes:
                # The province answered part of the attempt (a profile that sends one record at a time):
                # it is there, and the record without an answer waits the first step of the backoff only.
                self._link.backoff.reset()
            self._retry_later(batch[len(outcomes) :], UplinkUnreachable("an unusable answer in the batch"))
            return False
        self._link.answered()
        return True

    @staticmethod
    def _outcome(seq: int, answer: Delivered) -> Outcome:
        error = ""
        if answer.status is SendStatus.DEAD:
            # The province's words may quote the applicant: masked before they are stored or logged (R3).
            masked = {
                k: redact(str(answer.error[k])) for k in ("code", "field", "message") if answer.error.get(k)
            }
            error = json.dumps(masked, ensure_ascii=False)
            log.warning("uplink: seq %d rejected (%s): kept as a dead letter", seq, masked.get("code", ""))
        elif answer.status is SendStatus.SUPERSEDED:
            log.info("uplink: seq %d superseded: the 办件 was rated first elsewhere", seq)
        return Outcome(seq, answer.status.value, error, answer.province_id)

    def _failed(self, batch: list[PendingRecord], exc: UplinkError | UplinkUnreachable) -> bool:
        """Handles a batch without an answer; True when the next batch should go at once."""
        if isinstance(exc, UplinkError) and exc.status == 413:
            if len(batch) == 1:
                log.error("uplink: seq %d is too large for the province: dead letter", batch[0].record["seq"])
                error = json.dumps({"code": "too_large", "message": "HTTP 413 for a single record"})
                self._ledger.record_outcomes([Outcome(batch[0].record["seq"], SendStatus.DEAD.value, error)])
                self._limit = self._delivery.batch_limit
                return True
            # Kept while the backlog lasts, so a long drain does not meet the same 413s batch after batch.
            self._limit = max(1, len(batch) // 2)
            log.warning("uplink: 413 for %d records; batches of %d now", len(batch), self._limit)
            return True
        if self._link.refuse(exc):
            return False
        self._retry_later(batch, exc)
        return False

    def _retry_later(self, batch: Sequence[PendingRecord], exc: Exception) -> None:
        now = self._link.monotonic()
        retry_after = exc.retry_after if isinstance(exc, UplinkError) else None
        self._send_at = now + self._link.backoff.failed(retry_after or 0)
        self._send_not_before = self._send_at if retry_after else 0.0
        log.warning(
            "uplink: batch of %d not delivered (%s); again in %.1f s", len(batch), exc, self._send_at - now
        )
        self._ledger.count_attempt([pending.record["seq"] for pending in batch])
        self._link.set_state("retrying")
