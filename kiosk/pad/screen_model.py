"""What the screens show, as a pure function of the Pad's state, and the window's results (R11)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from kiosk.domain.clock import Clock
from kiosk.domain.hall import Placement, StaffMember
from kiosk.domain.masking import mask_name
from kiosk.domain.notices import Notice
from kiosk.domain.picker import ReasonPicker
from kiosk.domain.rules import WindowResults, completed_days, default_window_end
from kiosk.domain.screen import Screen, ScreenState
from kiosk.domain.terminal import CaseView, KeypadView, TerminalStage
from kiosk.domain.timefmt import parse_time
from kiosk.pad.settings import PadSettings
from kiosk.store.ledger import Ledger
from kiosk.store.rows import StoredSession

RESULTS_DAYS = 30


@dataclass(frozen=True)
class TerminalView:
    """A self-service terminal's part of the screens (kiosk/pad/terminal_flow.py): never a certificate or
    phone number, the holder's name masked."""

    stage: TerminalStage = TerminalStage.IDLE
    message: str = ""
    holder_masked: str = ""
    cases: tuple[CaseView, ...] = ()
    keypad: KeypadView | None = None
    lookup_available: bool = True


@dataclass(frozen=True)
class PadView:
    """The part of the Pad's state the screens follow.

    Attributes:
        settings: the settings in force.
        placement: the hall and window, with the roster.
        staff_id: the staff member signed in, or "".
        alerts: the alert codes the citizen's screen shows.
        picker: the open reason picker and its session, if any.
        awaiting: the session awaiting a rating and its QR URL, if any.
        thanks: whether the thanks screen is up.
        lingering_qr: a timed-out session whose QR code is still shown, and its URL.
        results: the window's results (R11).
        notices: the hall's notices in force today.
        terminal: a self-service terminal's stage, before a case is chosen.
    """

    settings: PadSettings
    placement: Placement
    staff_id: str
    alerts: tuple[str, ...]
    picker: tuple[ReasonPicker, StoredSession] | None
    awaiting: tuple[StoredSession, str | None] | None
    thanks: bool
    lingering_qr: tuple[StoredSession, str] | None
    results: WindowResults
    notices: tuple[Notice, ...] = ()
    terminal: TerminalView = TerminalView()


def screen_state(view: PadView) -> ScreenState:  # noqa: PLR0911 - one screen per state, in priority
    """What the screens should show: the picker, else the prompt, else the thanks, else the lingering QR
    code, else 暂停服务 (a counter with no one signed in), else the idle screen with the results."""
    settings, placement = view.settings, view.placement
    member: StaffMember | None = None
    if view.staff_id and settings.role == "counter":
        member = placement.staff_member(view.staff_id) or StaffMember(view.staff_id)
    base = ScreenState(
        screen=Screen.IDLE,
        role=settings.role,
        hall_name=placement.hall_name,
        window_no=placement.window_no,
        dept_name=placement.dept_name,
        staff=member,
        alerts=view.alerts,
        notices=view.notices,
        lookup_available=view.terminal.lookup_available,
        message=view.terminal.message,
    )
    if view.picker is not None:
        picker, picked = view.picker
        return replace(
            base,
            screen=Screen.REASONS,
            session_id=picked.session_id,
            task_name=picked.task_name,
            picker=picker,
            deadline=picker.deadline,
        )
    if view.awaiting is not None:
        session, qr_url = view.awaiting
        return replace(
            base,
            screen=Screen.PROMPT,
            session_id=session.session_id,
            task_name=session.task_name,
            applicant_masked=mask_name(session.applicant.name),
            deadline=parse_time(session.created_at) + timedelta(seconds=settings.rate_timeout_s),
            qr_url=qr_url,
        )
    if view.thanks:
        return replace(base, screen=Screen.THANKS)
    if view.lingering_qr is not None:
        session, url = view.lingering_qr
        return replace(
            base,
            screen=Screen.QR,
            session_id=session.session_id,
            task_name=session.task_name,
            qr_url=url,
            deadline=default_window_end(session.window_start, settings.default_after_days),
        )
    if settings.role == "terminal":
        return _terminal_screen(base, view.terminal, view.results)
    if not view.staff_id:
        return replace(base, screen=Screen.PAUSED)
    return replace(base, results=view.results)


_TERMINAL_SCREENS = {
    TerminalStage.IDLE: Screen.IDLE,
    TerminalStage.READING: Screen.READING,
    TerminalStage.CASES: Screen.CASES,
    TerminalStage.KEYPAD: Screen.KEYPAD,
}


def _terminal_screen(base: ScreenState, terminal: TerminalView, results: WindowResults) -> ScreenState:
    """A terminal before a case is chosen: idle (with its results and notices), reading, the citizen's
    cases, or the number pad."""
    screen = _TERMINAL_SCREENS[terminal.stage]
    return replace(
        base,
        screen=screen,
        holder_masked=terminal.holder_masked,
        cases=terminal.cases,
        keypad=terminal.keypad,
        results=results if screen is Screen.IDLE else None,
    )


class DailyResults:
    """The window's results over the last 30 completed days (R11), recomputed once a day.

    Args:
        ledger: where the ratings are counted.
        clock: the pad's clock (its day is China's, rules.md R13).
    """

    def __init__(self, ledger: Ledger, clock: Clock) -> None:
        self._ledger = ledger
        self._clock = clock
        self._results: WindowResults | None = None
        self._day = ""

    def now(self) -> WindowResults:
        now: datetime = self._clock.now()
        today = now.date().isoformat()
        if self._results is None or self._day != today:
            start, end = completed_days(now, RESULTS_DAYS)
            self._results = WindowResults(
                start.date(), (end - timedelta(days=1)).date(), self._ledger.level_counts(start, end)
            )
            self._day = today
        return self._results
