"""Delivery to a province that speaks our uplink contract (uplink-api.md): batches of up to 500 records,
each answered accepted, duplicate, conflict or rejected."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from kiosk.store.ledger import PendingRecord, SendStatus
from kiosk.sync.client import UplinkClient
from kiosk.sync.sender import Delivered

log = logging.getLogger(__name__)

MAX_BATCH = 500

_STATUS = {
    "accepted": SendStatus.ACCEPTED,
    "duplicate": SendStatus.DUPLICATE,
    "conflict": SendStatus.SUPERSEDED,
    "rejected": SendStatus.DEAD,
}


class JsonDelivery:
    """`POST /evaluations:batch`, each record encoded once (when the ledger counted the batch's size).

    Args:
        client: the uplink client (on the uplink thread).
    """

    batch_limit = MAX_BATCH

    def __init__(self, client: UplinkClient) -> None:
        self._client = client

    def deliver(self, batch: Sequence[PendingRecord]) -> list[Delivered | None]:
        results = self._client.send_encoded([pending.encoded for pending in batch])
        answers: list[Delivered | None] = []
        for pending, result in zip(batch, results, strict=True):
            answer = _answer(pending.record, result)
            answers.append(answer)
            if answer is None:
                break
        return answers


def _answer(record: dict[str, Any], result: Any) -> Delivered | None:
    """One record's result, or None when it is unusable (it then stays queued)."""
    status = _STATUS.get(str(result.get("status"))) if isinstance(result, dict) else None
    if status is None or result.get("evaluationId", record["evaluationId"]) != record["evaluationId"]:
        return None
    error = result.get("error") if isinstance(result.get("error"), dict) else {}
    return Delivered(status, {k: str(v) for k, v in error.items() if k in ("code", "field", "message") and v})
