"""What the uplink thread tells the rest of the pad about itself: one frozen snapshot at a time.

The worker's own state lives on its thread; the Qt thread (the Pad, the bridge's status, the console)
and the console's job thread read only these copies, which the worker publishes through a queued signal
whenever something in them changes.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class UplinkStatus:
    """The uplink as it stood when the worker last published.

    Attributes:
        state: `offline` (no url), `enrolling`, `online`, `retrying` or `blocked`.
        last_sync_at: the time of the province's last successful answer (ISO 8601), or None.
        accepted_seq: the acceptedSeq of the province's last heartbeat answer, or None before one.
        blocked_reason: why sending stopped (`bad_signature`, `device_revoked`, `enroll_refused`), or "".
        clock_offset_s: the province's time minus the pad's own clock (rules.md R13), or None.
    """

    state: str = "offline"
    last_sync_at: str | None = None
    accepted_seq: int | None = None
    blocked_reason: str = ""
    clock_offset_s: float | None = None


@dataclass(frozen=True)
class Alert:
    """A technician alert: a code the screens and the console translate, and a detail for the log.

    Attributes:
        code: e.g. `uplink_refused`, `enroll_refused`, `chain`, `clock`.
        detail: what a technician reads in the log (English, no personal data).
    """

    code: str
    detail: str

    def __str__(self) -> str:
        return f"{self.code}: {self.detail}"
