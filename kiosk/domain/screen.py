"""What the pad's screens show: the Pad decides, the widgets draw (kiosk/ui)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime

from kiosk.domain.hall import StaffMember
from kiosk.domain.notices import Notice
from kiosk.domain.picker import ReasonPicker
from kiosk.domain.rules import WindowResults
from kiosk.domain.terminal import CaseView, KeypadView


class Screen(enum.StrEnum):
    IDLE = "idle"
    PAUSED = "paused"  # 暂停服务: a counter pad with no one signed in
    PROMPT = "prompt"
    REASONS = "reasons"
    QR = "qr"  # 用手机扫码评价, for a session that just timed out
    THANKS = "thanks"
    # A self-service terminal's, before a case is chosen (kiosk/domain/terminal.py).
    READING = "reading"
    CASES = "cases"
    KEYPAD = "keypad"


@dataclass(frozen=True)
class ScreenState:
    """Everything a screen needs; personal data only ever masked (rules.md R3).

    Nothing here says which level a session got, except `picker` while it is open (R7).
    """

    screen: Screen
    role: str = "counter"
    hall_name: str = ""
    window_no: str = ""
    dept_name: str = ""
    staff: StaffMember | None = None
    session_id: str = ""
    task_name: str = ""
    applicant_masked: str = ""
    deadline: datetime | None = None
    qr_url: str | None = None
    picker: ReasonPicker | None = None
    results: WindowResults | None = None
    alerts: tuple[str, ...] = field(default_factory=tuple)
    notices: tuple[Notice, ...] = field(default_factory=tuple)
    # A self-service terminal: its message to the citizen, the holder of the card or case (masked), the
    # citizen's cases, the number pad, and whether the province can look cases up at all.
    message: str = ""
    holder_masked: str = ""
    cases: tuple[CaseView, ...] = field(default_factory=tuple)
    keypad: KeypadView | None = None
    lookup_available: bool = True
