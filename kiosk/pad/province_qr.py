"""QR codes the province makes (the Fujian gateway profile): the province's own page for a session, asked
for when the session first needs one, and shown once the answer comes (province-fujian.md "QR")."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from kiosk.domain.hall import Placement
from kiosk.store.rows import StoredSession

log = logging.getLogger(__name__)

MAX_KEPT = 64  # sessions whose URL is kept: the current one and those still lingering on the QR screen

Ask = Callable[[str, dict[str, Any], str], None]
"""Asks the province for a session's QR URL: (session id, its case in record form, its finishTime)."""


def session_case(session: StoredSession, placement: Placement) -> dict[str, Any]:
    """A session's case in the form of an evaluation record, as far as it is known before a rating: what
    the Case XML of the QR call carries."""
    applicant = session.applicant
    return {
        "projectNo": session.project_no,
        "taskCode": session.task_code,
        "taskName": session.task_name,
        "deptCode": placement.dept_code,
        "deptName": placement.dept_name,
        "areaCode": placement.area_code,
        "windowNo": placement.window_no,
        "staffId": session.staff_id,
        "staffName": session.staff_name,
        "acceptTime": session.accept_time,
        "userName": applicant.name,
        "userProp": applicant.user_prop,
        "certType": applicant.cert_type,
        "certNo": applicant.cert_no,
        "mobile": applicant.mobile,
    }


class ProvinceQrCodes:
    """The QR URLs the province gave, by session (a QrSource).

    Args:
        ask: asks the province for a session's URL (the uplink's; it answers through `learn`).
        placement: the window in force, whose codes the Case carries.
        has_app: whether the pad can ask at all (the app's key and code are set).
    """

    def __init__(self, ask: Ask, placement: Callable[[], Placement], *, has_app: bool = True) -> None:
        self._ask = ask
        self._placement = placement
        self._has_app = has_app
        self._urls: dict[str, str | None] = {}

    @property
    def enrolled(self) -> bool:
        return self._has_app

    def take_key(self, key: bytes) -> None:
        """No device key in this profile."""

    def url_for(self, session: StoredSession, template: str) -> str | None:
        """The URL the province gave for the session; the first look asks for it (None until it comes)."""
        if not self._has_app:
            return None
        if session.session_id not in self._urls:
            self._urls[session.session_id] = None
            while len(self._urls) > MAX_KEPT:
                del self._urls[next(iter(self._urls))]
            self._ask(session.session_id, session_case(session, self._placement()), session.finish_time)
        return self._urls[session.session_id]

    def learn(self, session_id: str, url: str) -> None:
        if session_id in self._urls:
            self._urls[session_id] = url
        else:
            log.info("a QR URL came for session %s, no longer shown", session_id)
