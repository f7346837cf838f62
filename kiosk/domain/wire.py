"""How records travel to the province (uplink-api.md "Sending ratings"): each record as compact JSON, not
ASCII-escaped, and a batch as `{"evaluations":[` record `,` record … `]}`.

A record is encoded once, where the batch's size is counted, and the batch is joined from the encodings.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

_RECORD_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
BATCH_OPEN, BATCH_CLOSE = b'{"evaluations":[', b"]}"
BATCH_OVERHEAD = len(BATCH_OPEN) + len(BATCH_CLOSE)
"""The bytes of a batch beyond its records and the commas between them."""


def encode_record(record: dict[str, Any]) -> bytes:
    """One record as it goes in a batch (UTF-8)."""
    return _RECORD_JSON.encode(record).encode("utf-8")


def batch_body(encoded: Sequence[bytes]) -> bytes:
    """The body of `POST /evaluations:batch` from records already encoded."""
    return BATCH_OPEN + b",".join(encoded) + BATCH_CLOSE
