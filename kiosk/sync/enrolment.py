"""Enrolment (uplink-api.md "Device identity and enrolment"): the device's own id and a single-use code
for its window, tried until the province answers; a refused code waits for a technician's new one."""

from __future__ import annotations

import logging

from kiosk import __version__
from kiosk.store.ledger import Ledger
from kiosk.sync.backoff import MAX_DELAY_S
from kiosk.sync.client import UplinkClient, UplinkError, UplinkUnreachable
from kiosk.sync.link import ProvinceLink

log = logging.getLogger(__name__)

REFUSED_CODES = frozenset({"enroll_code_invalid", "device_id_taken"})


class Enrolment:
    """The uplink's enrolment duty, on the uplink thread, while the device has no secret.

    Args:
        ledger: where the secret is kept.
        client: the uplink client.
        link: the province as the thread knows it.
        code: `uplink.enroll_code`.
    """

    def __init__(self, ledger: Ledger, client: UplinkClient, link: ProvinceLink, code: str) -> None:
        self._ledger = ledger
        self._client = client
        self._link = link
        self.code = code
        self._refused_code = ""
        self._at = 0.0

    def take_code(self, code: str) -> None:
        """A technician entered a new code: tried at once (a refused one stays refused)."""
        self.code = code
        self._at = 0.0

    def run(self, now: float) -> float:
        """Tries to enrol when due; returns how long to wait (0: enrolled, go on)."""
        link = self._link
        code = self.code
        if not code or code == self._refused_code:
            # Nothing to try until a technician enters a (new) code; set_enroll_code wakes the thread.
            link.set_state("blocked" if code else "enrolling")
            return MAX_DELAY_S
        if now < self._at:
            return self._at - now
        link.set_state("enrolling")
        try:
            secret = self._client.enroll(code, __version__, {"kind": "pad"})
        except UplinkError as exc:
            if exc.code in REFUSED_CODES:
                self._refused_code = code
                link.enrolment_refused(exc.code)
                return MAX_DELAY_S
            log.warning("uplink: enrolment failed: %s", exc)
            return self._later(now, exc.retry_after or 0)
        except UplinkUnreachable as exc:
            # The province may have enrolled us and the answer been lost: the same code and deviceId
            # again get the same secret.
            log.warning("uplink: enrolment failed: %s", exc)
            return self._later(now, 0)
        self._ledger.store_device_secret(secret)
        log.info("uplink: enrolled as %s", self._client.device_id)
        link.events.enrolled.emit(secret)
        link.answered()
        return 0.0

    def _later(self, now: float, at_least: float) -> float:
        self._at = now + self._link.backoff.failed(at_least)
        self._link.set_state("retrying")
        return self._at - now
