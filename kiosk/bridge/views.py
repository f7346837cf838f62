"""The bridge's JSON (counter-bridge-api.md), made from what the Pad holds: its camelCase is the bridge's
own, and it never carries a session's level or anything of its applicant (rules.md R7, R3)."""

from __future__ import annotations

from typing import Any

from kiosk.pad import PadStatus
from kiosk.store.rows import StoredSession


def session_view(session: StoredSession) -> dict[str, Any]:
    """`GET /api/v1/sessions/{sessionId}`: id, 办件, state, and once rated its channel and time."""
    view: dict[str, Any] = {
        "sessionId": session.session_id,
        "projectNo": session.project_no,
        "state": session.state.value,
    }
    if session.channel:
        view["channel"] = session.channel
    if session.rated_at:
        view["ratedAt"] = session.rated_at
    return view


def status_view(status: PadStatus) -> dict[str, Any]:
    """`GET /api/v1/status`."""
    view: dict[str, Any] = {
        "deviceId": status.device_id,
        "enrolled": status.enrolled,
        "staffId": status.staff_id or None,
    }
    if status.session is not None:
        view["session"] = {"sessionId": status.session.session_id, "state": status.session.state.value}
    evaluator = status.evaluator
    view["evaluator"] = {"protocol": evaluator.protocol, "port": evaluator.port, "state": evaluator.state}
    view["uplink"] = {
        "state": status.uplink.state,
        "queueDepth": status.queue["pending"],
        "deadLetters": status.queue["dead"],
        "lastSyncAt": status.uplink.last_sync_at,
    }
    # The codes of the technician alerts raised now, never their details.
    view["alerts"] = list(status.alerts)
    return view
