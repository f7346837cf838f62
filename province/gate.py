"""Admission of a signed request: the four checks of uplink-api.md "Signing", in the spec's order.

1. the device is known and the signature matches (else 401 `bad_signature`, an unknown device included);
2. the device is not revoked (else 403 `device_revoked`);
3. the clock: |server time − timestamp| ≤ 300 s (else 401 `clock_skew`, with `serverTime` beside `error`);
4. the nonce is new from this device within 600 s (else 401 `replay`).

Only a request that passed checks 1-3 has its nonce remembered: a forged or stale request must not be able to
burn a nonce the real device is about to use.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from province.enrolment import Device
from province.errors import ApiError
from province.signing import canonical_request, signature_matches
from province.store import SandboxStore

MAX_SKEW_S = 300
DEVICE_HEADER = "X-HCP-Device"
TIMESTAMP_HEADER = "X-HCP-Timestamp"
NONCE_HEADER = "X-HCP-Nonce"
SIGNATURE_HEADER = "X-HCP-Signature"

_TIMESTAMP = re.compile(r"[0-9]{1,12}\Z")
_NONCE = re.compile(r"[0-9a-fA-F]{16,64}\Z")
_SIGNATURE = re.compile(r"[0-9a-fA-F]{64}\Z")


def _bad_signature(message: str, header: str | None = None) -> ApiError:
    return ApiError(401, "bad_signature", message, field=header)


class RequestGate:
    """Checks the signature headers of a request against the store's devices and nonces.

    Args:
        store: the sandbox's store (devices, their secrets, nonces, and the server clock).
    """

    def __init__(self, store: SandboxStore) -> None:
        self._store = store

    def admit(self, method: str, target: bytes, headers: Mapping[str, str], body: bytes) -> Device:
        """The device that signed the request, once every check has passed.

        Args:
            method: the HTTP method.
            target: the request-target exactly as sent (path and query string).
            headers: the request headers (case-insensitive mapping, values as latin-1 text).
            body: the raw body.

        Raises:
            ApiError: `bad_signature`, `device_revoked`, `clock_skew` or `replay`, checked in that order.
        """
        device_id = headers.get(DEVICE_HEADER, "")
        timestamp = headers.get(TIMESTAMP_HEADER, "")
        nonce = headers.get(NONCE_HEADER, "")
        signature = headers.get(SIGNATURE_HEADER, "")
        for name, value, pattern in (
            (TIMESTAMP_HEADER, timestamp, _TIMESTAMP),
            (NONCE_HEADER, nonce, _NONCE),
            (SIGNATURE_HEADER, signature, _SIGNATURE),
        ):
            if pattern.match(value) is None:
                raise _bad_signature(f"{name} is missing or malformed", name)
        device = self._store.device(device_id) if device_id else None
        canonical = canonical_request(
            method.encode("ascii"), target, timestamp.encode("ascii"), nonce.encode("ascii"), body
        )
        # An unknown device gets the same answer as a wrong signature: the service does not say which ids
        # exist.
        if device is None or not signature_matches(device.secret, canonical, signature):
            raise _bad_signature("the signature does not match the request")
        if device.revoked:
            raise ApiError(403, "device_revoked", "this device has been revoked by the province")
        now = self._store.clock()
        if abs(now - int(timestamp)) > MAX_SKEW_S:
            raise ApiError(
                401,
                "clock_skew",
                f"{TIMESTAMP_HEADER} is more than {MAX_SKEW_S} s from the server's time",
                field=TIMESTAMP_HEADER,
                extra={"serverTime": int(now)},
            )
        if not self._store.remember_nonce(device.device_id, nonce):
            raise ApiError(401, "replay", "this nonce was used in the last 600 s", field=NONCE_HEADER)
        return device
