"""Delivery to Fujian's gateway (province-fujian.md "Sending one rating", "Exactly once"): the sender's
Delivery for this profile, one SOAP call per record.

An attempt takes up to BATCH_LIMIT records and sends them one after another in seq order, stopping at the
first whose outcome is unknown: a record waits until the one before it has an outcome. The gateway has no
idempotency key, so before a record whose last call had an unknown outcome is sent again, the gateway is
asked whether it holds a rating for the case (`getEvaluationDetail`); after each start the head of the queue
is asked the same way, until the first record the gateway does not hold (the pad may have stopped between a
call and the writing of its answer).

Rendering and encrypting a Case is pure work on a copy of the record: while one call waits for its answer,
a helper thread makes the next record's xmlStr, so that a backlog drains at the gateway's pace, not at the
pace of the pad's own work.
"""

from __future__ import annotations

import concurrent.futures
import logging
from collections.abc import Mapping, Sequence
from typing import Any

from kiosk.store.ledger import PendingRecord, SendStatus
from kiosk.sync.client import UplinkUnreachable
from kiosk.sync.fujian.case_xml import CaseFormat, detail_case, gateway_time
from kiosk.sync.fujian.gateway import GatewayClient, GatewayUnreachable, TokenUnavailable
from kiosk.sync.fujian.outcome import SendStatus as GatewayStatus
from kiosk.sync.fujian.outcome import send_outcome
from kiosk.sync.fujian.soap import EVALUATION_DETAIL, SAVE_EVALUATION, CaseAnswer
from kiosk.sync.sender import Delivered

log = logging.getLogger(__name__)

BATCH_LIMIT = 20
"""Records per attempt: short enough that a QR ask waits behind at most this many calls."""


class GatewayDelivery:
    """`getSaveEvaluation` for each record, with `getEvaluationDetail` where the outcome may be unknown.

    Used on the uplink thread only (its helper thread only renders and encrypts).

    Args:
        client: the gateway client.
        cases: how this pad writes its Cases.
        detail_check: `uplink.fujian.detail_check`: ask before sending again after an unknown outcome.
    """

    batch_limit = BATCH_LIMIT

    def __init__(self, client: GatewayClient, cases: CaseFormat, *, detail_check: bool = True) -> None:
        self._client = client
        self._cases = cases
        self._detail_check = detail_check
        self._unknown: set[int] = set()
        """Seqs whose last call had an unknown outcome: asked about before they are sent again."""
        self._check_head = detail_check
        """Until the gateway says it holds no rating for the head of the queue (after a start)."""
        self._pool = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="gateway-case")

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    def deliver(self, batch: Sequence[PendingRecord]) -> list[Delivered | None]:
        answers: list[Delivered | None] = []
        upcoming = self._pool.submit(self._xml_str, batch[0]) if batch else None
        for index, pending in enumerate(batch):
            assert upcoming is not None
            xml_str = upcoming.result()
            if index + 1 < len(batch):
                upcoming = self._pool.submit(self._xml_str, batch[index + 1])
            try:
                answer = self._one(pending, xml_str)
            except TokenUnavailable as exc:
                # Nothing was sent for this record: no outcome to wonder about, no detail check to make.
                if not answers:
                    raise UplinkUnreachable(str(exc)) from None
                log.warning("uplink: %s; the rest of the attempt waits", exc)
                break
            answers.append(answer)
            if answer is None:
                break
        return answers

    def _xml_str(self, pending: PendingRecord) -> str:
        return self._client.encrypt(self._cases.rating(pending.record, pending.finish_time))

    def _one(self, pending: PendingRecord, xml_str: str) -> Delivered | None:
        record = pending.record
        seq = record["seq"]
        if self._detail_check and (self._check_head or seq in self._unknown):
            held = self._held(record)
            if held is not _SEND:
                return held if isinstance(held, Delivered) else None
            self._check_head = False
        try:
            answer = self._client.call_encrypted(SAVE_EVALUATION, xml_str)
        except TokenUnavailable:
            raise
        except GatewayUnreachable as exc:
            log.warning(
                "uplink: seq %d: outcome unknown (%s); the gateway is asked before it is sent again", seq, exc
            )
            self._unknown.add(seq)
            return None
        self._unknown.discard(seq)
        return _delivered(seq, answer, record)

    def _held(self, record: Mapping[str, Any]) -> Delivered | object | None:
        """What the gateway holds for the record's case: a Delivered when it holds a rating, _SEND when it
        holds none, None when that is unknown."""
        seq = record["seq"]
        try:
            answer = self._client.call(EVALUATION_DETAIL, detail_case(record["projectNo"]))
        except TokenUnavailable:
            raise
        except GatewayUnreachable as exc:
            log.warning("uplink: seq %d: the detail query had no answer (%s)", seq, exc)
            return None
        if answer.code == "500":
            return _SEND
        if answer.code != "200":
            log.warning(
                "uplink: seq %d: the detail query answered code %s; asked again later", seq, answer.code
            )
            return None
        self._unknown.discard(seq)
        if _is_ours(answer, record):
            log.info("uplink: seq %d: the gateway holds it already (duplicate)", seq)
            return Delivered(SendStatus.DUPLICATE, province_id=answer.data.get("evaluateUnid", ""))
        log.info("uplink: seq %d superseded: the gateway holds another rating of the 办件", seq)
        return Delivered(SendStatus.SUPERSEDED)


_SEND = object()


def _is_ours(answer: CaseAnswer, record: Mapping[str, Any]) -> bool:
    """Whether the rating the gateway holds is this record (as far as its answer tells): the same channel,
    level and time. An answer that tells none of them counts as ours, as the spec says."""
    ours = {
        "pf": str(record["pf"]),
        "alternate": str(record["satisfaction"]),
        "assessTime": gateway_time(record["assessTime"]),
    }
    return all(answer.data.get(name, value) == value for name, value in ours.items())


def _delivered(seq: int, answer: CaseAnswer, record: Mapping[str, Any]) -> Delivered:
    outcome = send_outcome(answer, record)
    if outcome.status is GatewayStatus.ACCEPTED:
        return Delivered(SendStatus.ACCEPTED, province_id=outcome.province_id or "")
    if outcome.status is GatewayStatus.SUPERSEDED:
        return Delivered(SendStatus.SUPERSEDED)
    # The message is masked by send_outcome (the record's own personal data, and anything shaped like it),
    # and again by the sender before it is stored.
    log.warning("uplink: seq %d: the gateway answered code %s", seq, outcome.code)
    return Delivered(SendStatus.DEAD, {"code": outcome.code, "message": outcome.message})
