"""The uplink thread's view of its province: whether it answers, whether it lets the device in, how long to
wait after a failure, and the status the thread publishes of itself.

Every duty of the uplink (enrolment, config, heartbeat, asks, the sender) goes through one ProvinceLink, on
the uplink thread alone; the Pad gets UplinkStatus copies through a queued signal.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from kiosk.domain.clock import Clock
from kiosk.domain.timefmt import format_time
from kiosk.sync.backoff import Backoff
from kiosk.sync.client import UplinkError
from kiosk.sync.events import UplinkEvents
from kiosk.sync.status import Alert, UplinkStatus

log = logging.getLogger(__name__)

T = TypeVar("T")

MAX_IMMEDIATE_RETRIES = 3
# The province refuses the device itself: stop sending, keep the queue, tell technicians, retry at the cap.
REFUSALS = frozenset({"bad_signature", "device_revoked"})
# Only the request was stale (its timestamp, its nonce): made again at once, corrected.
RESEND_AT_ONCE = frozenset({"clock_skew", "replay"})


class ProvinceLink:
    """The province as the uplink thread knows it.

    Args:
        events: the queued signals to the Pad.
        clock: the pad's clock corrected to the province's time (for lastSyncAt).
        offset: the current offset to the province's time (R13), for the status.
        learn_server_time: takes a serverTime from a clock_skew refusal.
        monotonic: the time source for scheduling.
        backoff: the retry schedule.
    """

    def __init__(
        self,
        events: UplinkEvents,
        clock: Clock,
        offset: Callable[[], float | None],
        learn_server_time: Callable[[float], None],
        monotonic: Callable[[], float],
        backoff: Backoff,
    ) -> None:
        self.events = events
        self.monotonic = monotonic
        self.backoff = backoff
        self._clock = clock
        self._offset = offset
        self._learn_server_time = learn_server_time
        self._state = ""
        self._last_sync_at: str | None = None
        self.accepted_seq: int | None = None
        self.blocked_reason = ""
        self.blocked_until = 0.0
        self._published: UplinkStatus | None = None
        self._answered_listeners: list[Callable[[float], None]] = []

    def on_answered(self, listener: Callable[[float], None]) -> None:
        """Calls `listener(now)` after every successful answer (the sender lets a waiting record go)."""
        self._answered_listeners.append(listener)

    # -- state --------------------------------------------------------------------------------------------

    @property
    def last_sync_at(self) -> str | None:
        """When the province last answered (ISO 8601), or None."""
        return self._last_sync_at

    def blocked(self, now: float) -> bool:
        """Whether the province refused the device and the cap has not passed."""
        return now < self.blocked_until

    def set_state(self, state: str) -> None:
        if state != self._state:
            self._state = state
            log.info("uplink: %s", state)
        self.publish(always=True)  # each look says where the uplink stands, changed or not

    def publish(self, *, always: bool = False) -> None:
        """Tells the Pad what changed (`always`: even when nothing did), as a copy: the worker's own fields
        stay on this thread."""
        if not self._state:
            return  # nothing tried yet: the state the app gave the Pad at start holds
        status = UplinkStatus(
            self._state, self._last_sync_at, self.accepted_seq, self.blocked_reason, self._offset()
        )
        if always or status != self._published:
            self._published = status
            self.events.status_changed.emit(status)

    def alert(self, source: str, alert: Alert | None) -> None:
        self.events.alert.emit(source, alert)

    # -- answers ------------------------------------------------------------------------------------------

    def answered(self) -> None:
        """Any successful answer: the wait is reset (a record waiting out a failure goes now, unless a
        Retry-After holds it), a refusal is over, and the uplink is online."""
        now = self.monotonic()
        self.backoff.reset()
        for listener in self._answered_listeners:
            listener(now)
        self._last_sync_at = format_time(self._clock.now())
        if self.blocked_reason:
            self.blocked_reason = ""
            self.blocked_until = 0.0
            self.alert("uplink", None)
        self.set_state("online")

    def refuse(self, exc: Exception) -> bool:
        """`bad_signature` or `device_revoked`: every signed request stops until the cap, the queue is
        kept, technicians are told. False for any other failure."""
        if not isinstance(exc, UplinkError) or exc.code not in REFUSALS:
            return False
        self.blocked_reason = exc.code
        self.blocked_until = self.monotonic() + self.backoff.capped()
        log.error(
            "uplink: %s: sending stops, the queue is kept; again in %.1f s", exc.code, self.backoff.cap_s
        )
        self.alert(
            "uplink",
            Alert(
                "uplink_refused",
                f"the province refuses this device ({exc.code}): sending paused, ratings kept on the device",
            ),
        )
        self.set_state("blocked")
        return True

    def enrolment_refused(self, code: str) -> None:
        """The enrolment code was refused: nothing is tried until a technician enters a new one."""
        self.blocked_reason = "enroll_refused"
        log.error("uplink: enrolment refused (%s)", code)
        self.alert(
            "uplink", Alert("enroll_refused", f"the enrolment code was refused ({code}): enter a new code")
        )
        self.set_state("blocked")

    def signed(self, call: Callable[[], T]) -> T:
        """Makes a signed call; after `clock_skew` (with the province's time) or `replay` (with a new nonce)
        it is made again at once, as it was only the request that was stale.

        Raises:
            UplinkError: any other refusal, or the same one again after MAX_IMMEDIATE_RETRIES attempts.
            UplinkUnreachable: no usable answer.
        """
        for attempt in range(1, MAX_IMMEDIATE_RETRIES + 1):
            try:
                return call()
            except UplinkError as exc:
                if exc.code not in RESEND_AT_ONCE or attempt == MAX_IMMEDIATE_RETRIES:
                    raise
                server_time = exc.body.get("serverTime")
                if exc.code == "clock_skew" and isinstance(server_time, int | float):
                    self._learn_server_time(server_time)
                log.warning("uplink: %s; sent again at once", exc.code)
        raise AssertionError("unreachable: the last attempt returns or raises")
