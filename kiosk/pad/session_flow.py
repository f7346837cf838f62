"""The counter's sessions: a case system opens one, the citizen rates it (or the prompt times out, or the
case system cancels it), the thanks or the QR code follow, and staff sign in and out around them.

Rules: R1 (one rating per 办件 on this pad), R4 (a touch, or a press of 1-2, opens the reason picker), R5
(assessTime never before acceptTime), R7 (the evaluator is armed only while a session awaits a rating).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from kiosk.devices.base import Evaluator
from kiosk.domain.clock import Clock
from kiosk.domain.hall import Placement
from kiosk.domain.levels import Channel
from kiosk.domain.prompts import Prompt
from kiosk.domain.sessions import SessionState, counts_as_rated
from kiosk.domain.timefmt import format_time
from kiosk.domain.validation import FieldError, SessionRequest, assess_time
from kiosk.pad.picker import PickerFlow
from kiosk.pad.qr_codes import QrSource
from kiosk.pad.recording import Recorder
from kiosk.pad.settings import PadSettings
from kiosk.pad.speaker import Speaker
from kiosk.pad.storage import StorageWatch
from kiosk.pad.timers import Timer
from kiosk.store.errors import StorageUnavailable
from kiosk.store.ledger import Ledger, PressEntry
from kiosk.store.rows import StoredSession

log = logging.getLogger(__name__)


class SessionRefused(Exception):
    """The bridge's 404/409 answers: `code` is the spec's error code."""

    def __init__(self, code: str, message: str, session: StoredSession | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.session = session


class SessionTimers:
    """The session flow's single-shot timers: the prompt's timeout, the thanks screen, the QR code's linger."""

    def __init__(self, rate: Timer, thanks: Timer, qr: Timer) -> None:
        self.rate, self.thanks, self.qr = rate, thanks, qr

    def stop(self) -> None:
        for timer in (self.rate, self.thanks, self.qr):
            timer.stop()


class SessionFlow:
    """The sessions of one pad, for the Pad (on its thread).

    Args:
        ledger: the ledger.
        clock: the pad's clock.
        recorder: makes ratings.
        picker: the reason picker.
        storage: the storage watch (a failed write raises its alert).
        speaker: plays the prompts.
        qr: makes the QR codes.
        timers: the rate, thanks and QR timers, whose timeouts call on_rate_timeout, on_thanks_over and
            on_qr_over.
        settings: the settings in force.
        placement: the window the pad serves, with its roster.
        evaluator: the evaluator in use.
        session_changed: tells of a session whose state changed (its id).
        changed: tells that what the screens show may have changed.
    """

    def __init__(  # noqa: PLR0913 - the Pad's collaborators, passed in (keyword-only where many)
        self,
        ledger: Ledger,
        clock: Clock,
        recorder: Recorder,
        picker: PickerFlow,
        storage: StorageWatch,
        speaker: Speaker,
        qr: QrSource,
        timers: SessionTimers,
        *,
        settings: Callable[[], PadSettings],
        placement: Callable[[], Placement],
        evaluator: Callable[[], Evaluator],
        session_changed: Callable[[str], None],
        changed: Callable[[], None],
    ) -> None:
        self._ledger = ledger
        self._clock = clock
        self._recorder = recorder
        self._picker = picker
        self._storage = storage
        self._speaker = speaker
        self._qr = qr
        self._timers = timers
        self._settings = settings
        self._placement = placement
        self._evaluator = evaluator
        self._session_changed = session_changed
        self._changed = changed
        self.staff_id = ledger.get_meta("signed_in_staff") or ""
        self.awaiting: StoredSession | None = None
        self.last_session_id = ""
        self.lingering_qr: tuple[StoredSession, str] | None = None
        self.thanks = False
        self._pause_pending = False
        self._ends_cancelled: set[str] = set()

    @property
    def busy(self) -> bool:
        """Whether a session awaits a rating or its picker is open."""
        return self.awaiting is not None or self._picker.is_open

    def current_id(self) -> str:
        """The session awaiting a rating or with its picker open, else the last one opened this run (""
        before any): what the bridge's status names."""
        current = self.awaiting or self._picker.session
        return current.session_id if current is not None else self.last_session_id

    def qr_url_for(self, session: StoredSession) -> str | None:
        return self._qr.url_for(session, self._settings().qr_url_template)

    def resume(self) -> None:
        """After a start or restart: a session that was awaiting when the pad stopped is timed out (it can
        still be rated by QR and defaults after the window)."""
        for session in self._ledger.sessions_in_state(SessionState.AWAITING):
            log.info("session %s was awaiting at the last stop: timed out", session.session_id)
            self._ledger.set_session_state(session.session_id, SessionState.TIMED_OUT)

    # -- the case system -------------------------------------------------------------------------------

    def open(
        self, request: SessionRequest, *, staff_name: str | None = None, ends_cancelled: bool = False
    ) -> tuple[StoredSession, str | None]:
        """Opens a session: the pad asks for a rating. See Pad.open_session.

        Args:
            request: the session, validated.
            staff_name: the staff member's name where the roster does not know it (a terminal's case).
            ends_cancelled: a session that runs out unrated is cancelled rather than timed out (a case a
                citizen found at a terminal and left: it must not default from here, R6).
        """
        roster = self._placement().roster
        # A terminal's case names whoever served it, at any window: only a window's own are in its roster.
        if request.staff_id and staff_name is None and roster is not None and request.staff_id not in roster:
            raise FieldError("staffId", "is not in the staff roster")
        for session in self._ledger.sessions_for_project(request.project_no):
            if counts_as_rated(session.state):
                raise SessionRefused("already_rated", "this 办件 already has its rating on this pad", session)
        if self.busy:
            if not request.replace:
                raise SessionRefused("busy", "another session is awaiting a rating")
            self._end_current_for_replace()
        for session in self._ledger.sessions_for_project(request.project_no):
            if session.state is SessionState.TIMED_OUT:
                # A new session for the same 办件 ends the old one: it will never default.
                self._ledger.set_session_state(session.session_id, SessionState.CANCELLED)
                self._session_changed(session.session_id)
        settings = self._settings()
        staff_id = request.staff_id or ("" if settings.role == "terminal" else self.staff_id)
        member = self._placement().staff_member(staff_id) if staff_id else None
        session = self._ledger.add_session(request, staff_id, member.name if member else staff_name or "")
        if ends_cancelled:
            self._ends_cancelled.add(session.session_id)
        self.awaiting = session
        self.last_session_id = session.session_id
        self.lingering_qr = None
        self._timers.qr.stop()
        self.thanks = False
        self._timers.thanks.stop()
        self._timers.rate.start(int(settings.rate_timeout_s * 1000))
        self.arm()
        self._speaker.speak(Prompt.PLEASE_RATE)
        self._changed()
        return session, self.qr_url_for(session)

    def _end_current_for_replace(self) -> None:
        picker = self._picker.picker
        if picker is not None:
            # An open picker closes; its rating is made with the reasons chosen so far.
            self._picker.close(picker.codes)
        if self.awaiting is not None:
            self._time_out(self.awaiting)

    def cancel(self, session_id: str) -> StoredSession:
        """Ends an awaiting session as cancelled; returns it as it now is. See Pad.cancel_session."""
        session = self._ledger.session(session_id)
        if session is None:
            raise SessionRefused("not_found", "no such session")
        if session.state is not SessionState.AWAITING:
            raise SessionRefused("not_awaiting", f"the session is {session.state}, not awaiting", session)
        with self._storage.writing():
            self._ledger.set_session_state(session_id, SessionState.CANCELLED)
        self._timers.rate.stop()
        self.awaiting = None
        self._evaluator().disarm()
        self._session_changed(session_id)
        self._session_ended()
        cancelled = self._ledger.session(session_id)
        assert cancelled is not None
        return cancelled

    def sign_in(self, staff_id: str) -> None:
        roster = self._placement().roster
        if roster is not None and staff_id not in roster:
            raise FieldError("staffId", "is not in the staff roster")
        with self._storage.writing():
            self._ledger.set_meta("signed_in_staff", staff_id)
        self.staff_id = staff_id
        self._pause_pending = False
        self._changed()

    def sign_out(self) -> None:
        with self._storage.writing():
            self._ledger.set_meta("signed_in_staff", "")
        self.staff_id = ""
        if self.busy:
            self._pause_pending = True  # the citizen in front of the pad can still rate first
        else:
            self._pause()
        self._changed()

    def _pause(self) -> None:
        self._pause_pending = False
        if self._settings().role == "counter":
            self._speaker.speak(Prompt.PAUSED)
            self._evaluator().disarm()

    def arm(self) -> None:
        """Arms the evaluator for the awaiting session's time (the prompt's timeout, at most 255 s)."""
        self._evaluator().arm(int(min(self._settings().rate_timeout_s, 255)))

    # -- the citizen ------------------------------------------------------------------------------------

    def touch(self, satisfaction: int) -> None:
        """A touch on one of the prompt's five levels: pf 4 on a counter's pad, pf 5 on a self-service
        terminal (rules.md, channels)."""
        session = self.awaiting
        if session is not None:
            channel = Channel.TERMINAL if self._settings().role == "terminal" else Channel.TABLET
            self.choose(session, satisfaction, channel, self._clock.now(), None, touched=True)

    def choose(
        self,
        session: StoredSession,
        satisfaction: int,
        channel: str,
        at: datetime,
        press: PressEntry | None,
        *,
        touched: bool = False,
    ) -> None:
        """A press or touch chose the awaiting session's level: the rating now, or the picker first (R4).

        Raises:
            StorageUnavailable: nothing could be stored; the session still awaits its rating.
        """
        assessed, clock_fault = assess_time(at, session.accept_time)
        if clock_fault:
            log.warning(
                "clock fault: the press is earlier than the session's acceptTime; using acceptTime (R5)"
            )
        assess_text = format_time(assessed)
        settings = self._settings()
        wants_picker = settings.has_screen and (
            touched or (satisfaction <= 2 and settings.reasons_after_press)
        )
        if wants_picker:
            # The session is rated from this moment (R4); its record follows when the picker closes, and
            # a restart in between makes it from what is stored here.
            self._ledger.choose_level(session.session_id, satisfaction, channel, assess_text, press)
        else:
            self._recorder.record(session, satisfaction, channel, assess_text, (), press)
        self.awaiting = None
        self._timers.rate.stop()
        evaluator = self._evaluator()
        evaluator.flash_all()
        evaluator.disarm()
        self._session_changed(session.session_id)
        if wants_picker:
            deadline = self._clock.now() + timedelta(seconds=settings.reason_timeout_s)
            self._picker.open(session, satisfaction, channel, assessed, deadline, settings.reason_timeout_s)
            return
        self.thank()

    def thank(self) -> None:
        """The rating is made: the thanks screen, and prompt 3."""
        self.thanks = True
        self._timers.thanks.start(int(self._settings().thanks_s * 1000))
        self._speaker.speak(Prompt.THANKS)
        self._session_ended()

    # -- timeouts ---------------------------------------------------------------------------------------

    def on_rate_timeout(self) -> None:
        if self.awaiting is not None:
            self._time_out(self.awaiting)

    def _time_out(self, session: StoredSession) -> None:
        self._timers.rate.stop()
        self.awaiting = None
        cancelled = session.session_id in self._ends_cancelled
        self._ends_cancelled.discard(session.session_id)
        try:
            self._ledger.set_session_state(
                session.session_id, SessionState.CANCELLED if cancelled else SessionState.TIMED_OUT
            )
        except StorageUnavailable as exc:
            self._storage.failed(exc)
        self._evaluator().disarm()
        self._session_changed(session.session_id)
        url = None if cancelled else self.qr_url_for(session)
        if url is not None:
            self.lingering_qr = (session, url)
            self._timers.qr.start(int(self._settings().qr_linger_s * 1000))
        self._session_ended()

    def on_thanks_over(self) -> None:
        self.thanks = False
        self._changed()

    def on_qr_over(self) -> None:
        self.lingering_qr = None
        self._changed()

    def dismiss_transient(self) -> None:
        """Ends the thanks and QR screens early."""
        self._timers.thanks.stop()
        self._timers.qr.stop()
        self.thanks = False
        self.lingering_qr = None
        self._changed()

    def _session_ended(self) -> None:
        if self._pause_pending:
            self._pause()
        self._changed()

    def stop(self) -> None:
        self._timers.stop()
