"""The heartbeat body (uplink "Configuration, heartbeat, status"), checked field by field."""

from __future__ import annotations

from typing import Any

from province.identifiers import is_hash, parse_time

_COUNTS = ("uptimeS", "queueDepth", "deadLetters", "lastSeq")


def heartbeat_problem(body: dict[str, Any]) -> tuple[str, str] | None:
    """The first malformed field of a heartbeat and why, or None when it is well formed.

    Args:
        body: `{at, appVersion, uptimeS, queueDepth, deadLetters, lastSeq, lastHash, evaluator}`.

    Returns:
        (field, message), or None.
    """
    at = body.get("at")
    if not isinstance(at, str) or parse_time(at) is None:
        return "at", "at must be a time YYYY-MM-DDThh:mm:ss±hh:mm"
    if not isinstance(body.get("appVersion"), str):
        return "appVersion", "appVersion must be a string"
    for field in _COUNTS:
        value = body.get(field)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            return field, f"{field} must be an integer ≥ 0"
    last_hash = body.get("lastHash")
    # The spec does not say what a device with no record yet sends: 64 zeros (seq 1's prevHash) or "".
    if not isinstance(last_hash, str) or not (last_hash == "" or is_hash(last_hash)):
        return "lastHash", "lastHash must be 64 lowercase hex characters"
    evaluator = body.get("evaluator")
    if not isinstance(evaluator, dict):
        return "evaluator", "evaluator must be an object {protocol, port, state, firmware}"
    return None
