"""The QR codes the pad shows (rules.md R10): a session's URL with a token made on the device, offline,
once it is enrolled (the token needs the device's key)."""

from __future__ import annotations

from typing import Protocol

from kiosk.domain.qr import qr_token, qr_url
from kiosk.domain.timefmt import parse_time
from kiosk.store.rows import StoredSession


class QrSource(Protocol):
    """Where a session's QR URL comes from: made on the device (QrCodes, the JSON uplink), or asked of
    the province (ProvinceQrCodes, the Fujian gateway)."""

    @property
    def enrolled(self) -> bool:
        """Whether the pad can have QR codes at all (its key, or its app)."""
        ...

    def take_key(self, key: bytes) -> None:
        """The device's key, once enrolled."""
        ...

    def url_for(self, session: StoredSession, template: str) -> str | None:
        """The session's QR URL now, or None (none yet, or none at all)."""
        ...

    def learn(self, session_id: str, url: str) -> None:
        """A URL the province gave for a session."""
        ...


class QrCodes:
    """Makes QR URLs for one device.

    Args:
        device_id: the device's id, in every URL.
        key: the device's key, or None before enrolment.
    """

    def __init__(self, device_id: str, key: bytes | None) -> None:
        self._device_id = device_id
        self._key = key

    @property
    def enrolled(self) -> bool:
        return self._key is not None

    def take_key(self, key: bytes) -> None:
        self._key = key

    def learn(self, session_id: str, url: str) -> None:
        """URLs are made here, never learned."""

    def url_for(self, session: StoredSession, template: str) -> str | None:
        """The QR URL for a session, or None before enrolment or without a template."""
        if self._key is None or not template:
            return None
        token = qr_token(self._key, session.project_no, parse_time(session.window_start))
        return qr_url(template, self._device_id, session.project_no, token)
