"""The sandbox's exceptions: refusals of the store, and the HTTP error answer of the uplink spec."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class SandboxError(Exception):
    """A refusal by the sandbox's store; the message says why, with no personal data."""


class UnknownWindowError(SandboxError):
    """The hall or the window is not in the sandbox."""


class EnrollCodeInvalidError(SandboxError):
    """The enrolment code is unknown, or was used by another device."""


class DeviceIdTakenError(SandboxError):
    """The deviceId is already enrolled at another window."""


class AlreadyRatedError(SandboxError):
    """The 办件 already has a first rating (R1: one service, one rating)."""


class ApiError(Exception):
    """An HTTP error answer: `{"error": {"code", "message", "field"?}}` plus any top-level extras.

    Args:
        status: the HTTP status code.
        code: the error code of the uplink spec (e.g. `bad_signature`).
        message: a human-readable explanation, without personal data.
        field: the field or header at fault, where there is one.
        extra: members beside `error` at the top level (`serverTime` on `clock_skew`).
        headers: response headers (e.g. `Retry-After`).
    """

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        field: str | None = None,
        extra: dict[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        self.extra = extra or {}
        self.headers = dict(headers or {})

    def body(self) -> dict[str, Any]:
        """The JSON body of the answer."""
        error: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.field is not None:
            error["field"] = self.field
        return {"error": error, **self.extra}
