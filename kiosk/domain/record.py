"""The evaluation record and its hash chain (uplink-api.md "Evaluation record")."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

GENESIS_HASH = "0" * 64
"""The prevHash of seq 1."""

RECORD_FIELDS: tuple[str, ...] = (
    "evaluationId",
    "deviceId",
    "seq",
    "prevHash",
    "projectNo",
    "taskCode",
    "taskName",
    "deptCode",
    "deptName",
    "areaCode",
    "windowNo",
    "staffId",
    "staffName",
    "pf",
    "satisfaction",
    "evalDetail",
    "writingEvaluation",
    "acceptTime",
    "assessTime",
    "assessNumber",
    "defaultEvaluation",
    "userName",
    "userProp",
    "certType",
    "certNo",
    "mobile",
    "extraPresses",
)
"""Every field of a record but `hash`; every record carries all of them, so that two implementations
hash the same rating alike."""

_FIELD_SET = frozenset(RECORD_FIELDS)
# Exactly json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False), the encoder made once.
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)

PERSONAL_FIELDS: tuple[str, ...] = ("userName", "certNo", "mobile")
"""The fields encrypted at rest and masked everywhere else (rules.md R3)."""


def canonical_bytes(record: Mapping[str, Any]) -> bytes:
    """The canonical form: sorted keys, `,` and `:` separators, not ASCII-escaped, UTF-8, no `hash`.

    Raises:
        ValueError: when a field of RECORD_FIELDS is missing or an unknown one is present.
    """
    body = {k: v for k, v in record.items() if k != "hash"} if "hash" in record else record
    if body.keys() != _FIELD_SET:
        missing = _FIELD_SET - body.keys()
        extra = body.keys() - _FIELD_SET
        raise ValueError(f"record fields: missing {sorted(missing)}, unknown {sorted(extra)}")
    return _CANONICAL.encode(body).encode("utf-8")


def record_hash(record: Mapping[str, Any]) -> str:
    """SHA-256 (hex) of the record's canonical form."""
    return hashlib.sha256(canonical_bytes(record)).hexdigest()


def seal(record: Mapping[str, Any]) -> dict[str, Any]:
    """The record with its `hash` set."""
    sealed = dict(record)
    sealed["hash"] = record_hash(record)
    return sealed
