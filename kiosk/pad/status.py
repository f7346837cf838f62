"""What the Pad says of itself: the bridge's status is made from it (kiosk/bridge/views.py)."""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.devices.base import EvaluatorView
from kiosk.store.rows import StoredSession
from kiosk.sync.status import UplinkStatus


@dataclass(frozen=True)
class PadStatus:
    """What the Pad says of itself (the bridge's status is made from it).

    Attributes:
        device_id: the device's id.
        enrolled: whether the device has its key.
        staff_id: the staff member signed in, or "".
        session: the session awaiting a rating or with its picker open, else the last opened this run.
        evaluator: the evaluator's protocol, port and state.
        uplink: the uplink's last published status.
        queue: records per sending state (pending, dead, …).
        alerts: the codes of the technician alerts raised now.
    """

    device_id: str
    enrolled: bool
    staff_id: str
    session: StoredSession | None
    evaluator: EvaluatorView
    uplink: UplinkStatus
    queue: dict[str, int]
    alerts: tuple[str, ...]
