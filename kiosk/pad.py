"""The Pad: the heart of the product.

It owns the current session, takes every event on the Qt thread (a bridge request, a press, a touch, a
timer, an answer from the province), writes the ledger, and tells the screens and the evaluator what to
do. QtCore only: the faces (kiosk/ui, kiosk/bridge) and the hands (kiosk/devices) are passed in or listen.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from kiosk.defaults import DefaultWatch
from kiosk.devices.base import Evaluator, EvaluatorView, Press
from kiosk.domain.clock import Clock
from kiosk.domain.hall import Placement, ProvinceSettings, StaffMember
from kiosk.domain.levels import Channel
from kiosk.domain.masking import mask_name
from kiosk.domain.picker import ReasonPicker
from kiosk.domain.prompts import Prompt
from kiosk.domain.qr import qr_token, qr_url
from kiosk.domain.reasons import ReasonCatalogue
from kiosk.domain.rules import WindowResults, completed_days, default_window_end
from kiosk.domain.screen import Screen, ScreenState
from kiosk.domain.sessions import SessionState, counts_as_rated
from kiosk.domain.timefmt import format_time, parse_time
from kiosk.domain.validation import DEFAULT_CERT_TYPES, FieldError, SessionRequest, assess_time
from kiosk.store.errors import StorageUnavailable
from kiosk.store.ledger import Ledger, PressEntry
from kiosk.store.rows import StoredSession
from kiosk.sync.province_config import ProvinceConfig
from kiosk.sync.status import UplinkStatus
from kiosk.threads import Shared, ThreadOwner

log = logging.getLogger(__name__)

RESULTS_DAYS = 30
# Alerts for technicians only (the console, kiosk doctor, the bridge's status), never on the citizen's
# screen: the pad keeps working normally while they last (rules.md R13).
TECHNICIAN_ONLY_ALERTS = frozenset({"clock"})
STORAGE_PROBE_MS = 5000
DEFAULT_CHECK_MS = 60_000


@dataclass(frozen=True)
class PadSettings:
    """The pad's own settings (from kiosk.toml); the province's override some while present."""

    role: str = "counter"
    rate_timeout_s: float = 60
    reason_timeout_s: float = 20
    reasons_after_press: bool = True
    default_after_days: int = 7
    qr_url_template: str = ""
    voice: str = "auto"
    has_screen: bool = True
    thanks_s: float = 3
    qr_linger_s: float = 30


class SessionRefused(Exception):
    """The bridge's 404/409 answers: `code` is the spec's error code."""

    def __init__(self, code: str, message: str, session: StoredSession | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.session = session


class Pad(QObject):
    """The rating pad's session logic.

    Args:
        ledger: the one writer of the ledger.
        evaluator: the evaluator driver (NoEvaluator for a touch-only pad).
        clock: where the time comes from.
        settings: the pad's own settings.
        reasons: the reason catalogue in force.
        timer_factory: makes the Pad's timers (timeouts, the storage probe, the default check) given their
            parent; QTimer by default, a fake one in tests that run out a timeout at once.

    Signals:
        screen_changed(ScreenState): what the screens should show now.
        session_changed(str): a session's state changed (its id), for the bridge's long-poll.
        rating_recorded(int): a record was stored (its seq): the sender should wake.
        voice_requested(int): the pad itself should speak this Prompt (pad.voice).
        alerts_changed(tuple): technician alerts, as short sentences without personal data.
    """

    screen_changed = Signal(object)
    session_changed = Signal(str)
    rating_recorded = Signal(int)
    voice_requested = Signal(int)
    alerts_changed = Signal(tuple)

    def __init__(
        self,
        ledger: Ledger,
        evaluator: Evaluator,
        clock: Clock,
        settings: PadSettings,
        reasons: ReasonCatalogue,
        timer_factory: Callable[[QObject], QTimer] | None = None,
    ) -> None:
        super().__init__()
        # Everything here runs on the thread that made the Pad (Qt's); each entry point checks it.
        self._owner = ThreadOwner("the Pad")
        self._timer_factory = timer_factory or QTimer
        self.ledger = ledger
        self.evaluator = evaluator
        self.evaluator_view: Shared[EvaluatorView] = Shared(evaluator.view())
        """The evaluator as the uplink's heartbeat reports it: a copy, for other threads."""
        self.clock = clock
        self.local_settings = settings
        self.province_settings = ProvinceSettings()
        self.reasons = reasons
        self.placement = Placement()
        self.cert_types: dict[str, str] = dict(DEFAULT_CERT_TYPES)
        self.staff_id = ledger.get_meta("signed_in_staff") or ""
        self.uplink = UplinkStatus()
        self._qr_key = ledger.device_secret()
        self._awaiting: StoredSession | None = None
        self._picker: ReasonPicker | None = None
        self._picker_session: StoredSession | None = None
        self._last_session_id = ""
        self._lingering_qr: tuple[StoredSession, str] | None = None
        self._thanks = False
        self._pause_pending = False
        self._alerts: dict[str, str] = {}
        # Reasons chosen in a picker whose record could not be written (the disk failed as it closed),
        # by session: the record is made with them as soon as the disk takes writes again.
        self._unrecorded_reasons: dict[str, tuple[str, ...]] = {}
        self._screen: ScreenState | None = None
        self._results: WindowResults | None = None
        self._results_day: str = ""
        self.defaults = DefaultWatch(
            ledger,
            clock,
            days=lambda: self.settings.default_after_days,
            placement=lambda: self.placement,
            online=lambda: self.uplink.state == "online",
            changed=self.session_changed.emit,
            recorded=self.rating_recorded.emit,
            storage_failed=self._storage_failed,
        )

        self._rate_timer = self._single_shot(self._on_rate_timeout)
        self._picker_timer = self._single_shot(self._on_picker_timeout)
        self._thanks_timer = self._single_shot(self._on_thanks_over)
        self._qr_timer = self._single_shot(self._on_qr_over)
        self._probe_timer = self._timer_factory(self)
        self._probe_timer.setInterval(STORAGE_PROBE_MS)
        self._probe_timer.timeout.connect(self._probe_storage)
        self._default_timer = self._timer_factory(self)
        self._default_timer.setInterval(DEFAULT_CHECK_MS)
        self._default_timer.timeout.connect(self.check_defaults)

        self._listen_to(evaluator)

    def _listen_to(self, evaluator: Evaluator) -> None:
        evaluator.press_received.connect(self.on_press)
        evaluator.state_changed.connect(self._on_evaluator_state)
        evaluator.status_received.connect(self._on_evaluator_status)

    def _single_shot(self, slot: Any) -> QTimer:
        timer = self._timer_factory(self)
        timer.setSingleShot(True)
        timer.timeout.connect(slot)
        return timer

    # -- settings ------------------------------------------------------------------------------------

    @property
    def settings(self) -> PadSettings:
        """The settings in force: the province's where it sent them, else the pad's own."""
        province = self.province_settings
        own = self.local_settings
        return replace(
            own,
            rate_timeout_s=province.rate_timeout_s or own.rate_timeout_s,
            default_after_days=province.default_after_days or own.default_after_days,
            qr_url_template=(
                province.qr_url_template if province.qr_url_template is not None else own.qr_url_template
            ),
        )

    @property
    def enrolled(self) -> bool:
        return self._qr_key is not None

    @property
    def rating_in_progress(self) -> bool:
        """Whether a session awaits a rating or its reason picker is open: the citizen is choosing, and
        nothing a staff member could open may show what they choose (R7)."""
        return self._awaiting is not None or self._picker is not None

    def start(self) -> None:
        """Resumes after a start or restart, then shows the first screen.

        A session that was awaiting when the pad stopped is timed out (it can still be rated by QR and
        defaults after the window); a level chosen with the picker open becomes its rating, with no reasons.
        """
        self._owner.check()
        try:
            for session in self.ledger.sessions_in_state(SessionState.AWAITING):
                log.info("session %s was awaiting at the last stop: timed out", session.session_id)
                self.ledger.set_session_state(session.session_id, SessionState.TIMED_OUT)
            self._record_chosen()
            self.check_defaults()
        except StorageUnavailable as exc:
            self._storage_failed(exc)
        self._default_timer.start()
        self._refresh_screen()

    def stop(self) -> None:
        self._owner.check()
        for timer in (self._rate_timer, self._picker_timer, self._thanks_timer, self._qr_timer):
            timer.stop()
        self._probe_timer.stop()
        self._default_timer.stop()

    @Slot(object)
    def on_province_config(self, config: ProvinceConfig) -> None:
        """A configuration from the province (queued from the uplink thread, or the cached one at start)."""
        self.apply_province(config.placement, config.settings, config.reasons, config.cert_types)

    def apply_province(
        self,
        placement: Placement,
        settings: ProvinceSettings,
        reasons: ReasonCatalogue | None,
        cert_types: dict[str, str] | None,
    ) -> None:
        """Takes the province's configuration, without a restart."""
        self._owner.check()
        self.placement = placement
        self.province_settings = settings
        if reasons is not None:
            self.reasons = reasons
        if cert_types:
            self.cert_types = dict(cert_types)
        self._refresh_screen()

    @Slot(bytes)
    def set_enrolled(self, secret: bytes) -> None:
        """The device is enrolled: QR codes can be made from now on."""
        self._owner.check()
        self._qr_key = secret
        self._refresh_screen()

    def set_uplink_state(self, state: str, last_sync_at: str | None = None) -> None:
        """The uplink's state as the app knows it before the worker reports (offline, enrolling, online)."""
        self.on_uplink_status(
            replace(self.uplink, state=state, last_sync_at=last_sync_at or self.uplink.last_sync_at)
        )

    @Slot(object)
    def on_uplink_status(self, status: UplinkStatus) -> None:
        """What the uplink thread published of itself (a copy: its own state stays on its thread)."""
        self._owner.check()
        self.uplink = status

    # -- the bridge's requests -------------------------------------------------------------------------

    def open_session(self, request: SessionRequest) -> tuple[StoredSession, str | None]:
        """Opens a session for the case system: the pad asks for a rating.

        Returns:
            The session and its QR URL (None before enrolment).

        Raises:
            FieldError: the staffId is not in the roster.
            SessionRefused: `already_rated` (R1) or `busy`.
            StorageUnavailable: the ledger cannot take a write (then the pad takes no new sessions
                until its storage probe succeeds).
        """
        self._owner.check()
        if not self.storage_ok:
            raise StorageUnavailable("the ledger cannot take a write; no new sessions until it can")
        with self._writing():
            return self._open_session(request)

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """A request that writes the ledger: a storage fault raises the alert and starts the probe, then
        goes on to the caller (the bridge answers 503 storage_unavailable)."""
        try:
            yield
        except StorageUnavailable as exc:
            self._storage_failed(exc)
            raise

    def _open_session(self, request: SessionRequest) -> tuple[StoredSession, str | None]:
        roster = self.placement.roster
        if request.staff_id and roster is not None and request.staff_id not in roster:
            raise FieldError("staffId", "is not in the staff roster")
        earlier = self.ledger.sessions_for_project(request.project_no)
        for session in earlier:
            if counts_as_rated(session.state):
                raise SessionRefused("already_rated", "this 办件 already has its rating on this pad", session)
        if self._awaiting is not None or self._picker is not None:
            if not request.replace:
                raise SessionRefused("busy", "another session is awaiting a rating")
            self._end_current_for_replace()
        for session in self.ledger.sessions_for_project(request.project_no):
            if session.state is SessionState.TIMED_OUT:
                # A new session for the same 办件 ends the old one: it will never default.
                self.ledger.set_session_state(session.session_id, SessionState.CANCELLED)
                self.session_changed.emit(session.session_id)
        staff_id = request.staff_id or ("" if self.settings.role == "terminal" else self.staff_id)
        member = self.placement.staff_member(staff_id) if staff_id else None
        session = self.ledger.add_session(request, staff_id, member.name if member else "")
        self._awaiting = session
        self._last_session_id = session.session_id
        self._lingering_qr = None
        self._qr_timer.stop()
        self._thanks = False
        self._thanks_timer.stop()
        self._rate_timer.start(int(self.settings.rate_timeout_s * 1000))
        self.evaluator.arm(int(min(self.settings.rate_timeout_s, 255)))
        self._speak(Prompt.PLEASE_RATE)
        self._refresh_screen()
        return session, self.qr_url_for(session)

    def _end_current_for_replace(self) -> None:
        if self._picker is not None:
            # An open picker closes; its rating is made with the reasons chosen so far.
            self._close_picker(self._picker.codes)
        if self._awaiting is not None:
            self._time_out(self._awaiting)

    def session_view(self, session_id: str) -> dict[str, Any] | None:
        """The bridge's view of a session: never the level, never applicant data (R7)."""
        self._owner.check()
        session = self.ledger.session(session_id)
        if session is None:
            return None
        view: dict[str, Any] = {
            "sessionId": session.session_id,
            "projectNo": session.project_no,
            "state": session.state.value,
        }
        if session.channel:
            view["channel"] = session.channel
        if session.rated_at:
            view["ratedAt"] = session.rated_at
        return view

    def cancel_session(self, session_id: str) -> dict[str, Any]:
        """Ends an awaiting session as cancelled.

        Raises:
            SessionRefused: `not_found`, or `not_awaiting` for a session in any other state.
        """
        self._owner.check()
        session = self.ledger.session(session_id)
        if session is None:
            raise SessionRefused("not_found", "no such session")
        if session.state is not SessionState.AWAITING:
            raise SessionRefused("not_awaiting", f"the session is {session.state}, not awaiting", session)
        with self._writing():
            self.ledger.set_session_state(session_id, SessionState.CANCELLED)
        self._rate_timer.stop()
        self._awaiting = None
        self.evaluator.disarm()
        self.session_changed.emit(session_id)
        self._session_ended()
        view = self.session_view(session_id)
        assert view is not None
        return view

    def sign_in(self, staff_id: str) -> None:
        """A staff member signs in at the window: the idle screen shows their card.

        Raises:
            FieldError: the staffId is not in the roster (when the pad has one).
        """
        self._owner.check()
        roster = self.placement.roster
        if roster is not None and staff_id not in roster:
            raise FieldError("staffId", "is not in the staff roster")
        with self._writing():
            self.ledger.set_meta("signed_in_staff", staff_id)
        self.staff_id = staff_id
        self._pause_pending = False
        self._refresh_screen()

    def sign_out(self) -> None:
        """The staff member leaves: 暂停服务 and prompt 4, once no session awaits a rating."""
        self._owner.check()
        with self._writing():
            self.ledger.set_meta("signed_in_staff", "")
        self.staff_id = ""
        if self._awaiting is not None or self._picker is not None:
            self._pause_pending = True
        else:
            self._pause()
        self._refresh_screen()

    def _pause(self) -> None:
        self._pause_pending = False
        if self.settings.role == "counter":
            self._speak(Prompt.PAUSED)
            self.evaluator.disarm()

    def status(self) -> dict[str, Any]:
        self._owner.check()
        counts = self.ledger.send_counts()
        current = self._awaiting or self._picker_session
        status: dict[str, Any] = {
            "deviceId": self.ledger.device_id,
            "enrolled": self.enrolled,
            "staffId": self.staff_id or None,
        }
        session_id = current.session_id if current else self._last_session_id
        view = self.session_view(session_id) if session_id else None
        if view is not None:
            status["session"] = {"sessionId": view["sessionId"], "state": view["state"]}
        status["evaluator"] = {
            "protocol": self.evaluator.protocol,
            "port": self.evaluator.port,
            "state": self.evaluator.state.value,
        }
        status["uplink"] = {
            "state": self.uplink.state,
            "queueDepth": counts["pending"],
            "deadLetters": counts["dead"],
            "lastSyncAt": self.uplink.last_sync_at,
        }
        # The codes of the technician alerts raised now, never their details (counter-bridge-api.md).
        status["alerts"] = sorted(set(self._alerts.values()))
        return status

    def qr_url_for(self, session: StoredSession) -> str | None:
        """The QR URL for a session, or None before enrolment or without a template."""
        template = self.settings.qr_url_template
        if self._qr_key is None or not template:
            return None
        token = qr_token(self._qr_key, session.project_no, parse_time(session.window_start))
        return qr_url(template, self.ledger.device_id, session.project_no, token)

    # -- the citizen -----------------------------------------------------------------------------------

    @Slot(object)
    def on_press(self, press: Press) -> None:
        """A press from the evaluator: it chooses the awaiting session's level only when the session
        awaits a rating, the host had the device armed, and the map names the button (R7, R8)."""
        self._owner.check()
        entry = PressEntry(format_time(press.at), press.button, press.level, press.armed, press.address)
        session = self._awaiting
        try:
            if session is not None and press.armed and press.level is not None:
                self._choose(session, press.level, Channel.TERMINAL, press.at, entry)
                return
            target = session or self._picker_session
            self.ledger.log_press(entry, target.session_id if target else None, extra=target is not None)
            log.info(
                "press of button %s not counted (%s)",
                press.button,
                "unmapped" if press.level is None else "disarmed" if not press.armed else "no session",
            )
        except StorageUnavailable as exc:
            self._storage_failed(exc)

    def touch_level(self, satisfaction: int) -> None:
        """A touch on one of the prompt's five buttons."""
        self._owner.check()
        session = self._awaiting
        if session is None:
            return
        try:
            self._choose(session, satisfaction, Channel.TABLET, self.clock.now(), None)
        except StorageUnavailable as exc:
            self._storage_failed(exc)

    def toggle_reason(self, code: str) -> None:
        self._owner.check()
        if self._picker is None or code not in {
            r.code for r in self.reasons.offered(self._picker.satisfaction)
        }:
            return
        self._picker = self._picker.toggled(code)
        self._refresh_screen()

    def submit_reasons(self) -> None:
        """The citizen submits the picker (levels 1-2 need at least one reason)."""
        self._owner.check()
        if self._picker is None or not self._picker.can_submit:
            return
        self._close_picker(self._picker.codes)

    def _choose(
        self, session: StoredSession, satisfaction: int, channel: str, at: datetime, press: PressEntry | None
    ) -> None:
        assessed, clock_fault = assess_time(at, session.accept_time)
        if clock_fault:
            log.warning(
                "clock fault: the press is earlier than the session's acceptTime; using acceptTime (R5)"
            )
        assess_text = format_time(assessed)
        wants_picker = self.settings.has_screen and (
            channel == Channel.TABLET or (satisfaction <= 2 and self.settings.reasons_after_press)
        )
        if wants_picker:
            # The session is rated from this moment (R4); its record follows when the picker closes, and
            # a restart in between makes it from what is stored here.
            self.ledger.choose_level(session.session_id, satisfaction, channel, assess_text, press)
        else:
            self._record(session, satisfaction, channel, assess_text, (), press)
        self._awaiting = None
        self._rate_timer.stop()
        self.evaluator.flash_all()
        self.evaluator.disarm()
        self.session_changed.emit(session.session_id)
        if wants_picker:
            deadline = self.clock.now() + timedelta(seconds=self.settings.reason_timeout_s)
            self._picker = ReasonPicker(session.session_id, satisfaction, channel, assessed, deadline)
            self._picker_session = session
            self._picker_timer.start(int(self.settings.reason_timeout_s * 1000))
            self._refresh_screen()
            return
        self._thank()

    def _on_picker_timeout(self) -> None:
        if self._picker is not None:
            # R4: a picker that times out makes the rating with no reasons.
            self._close_picker(())

    def _close_picker(self, codes: tuple[str, ...]) -> None:
        picker, session = self._picker, self._picker_session
        assert picker is not None and session is not None
        self._picker_timer.stop()
        self._picker = None
        self._picker_session = None
        try:
            self._record(session, picker.satisfaction, picker.channel, format_time(picker.chosen_at), codes)
        except StorageUnavailable as exc:
            # The level is stored (choose_level); the record follows, with these reasons, as soon as the
            # storage probe sees the disk take writes again.
            self._unrecorded_reasons[session.session_id] = codes
            self._storage_failed(exc)
        self._thank()

    def _thank(self) -> None:
        self._thanks = True
        self._thanks_timer.start(int(self.settings.thanks_s * 1000))
        self._speak(Prompt.THANKS)
        self._session_ended()

    def _record(
        self,
        session: StoredSession,
        satisfaction: int,
        channel: str,
        assess_text: str,
        codes: tuple[str, ...] = (),
        press: PressEntry | None = None,
    ) -> None:
        recorded = self.ledger.record_rating(
            session,
            satisfaction=satisfaction,
            pf=channel,
            assess_time=assess_text,
            placement=self.placement,
            eval_detail=codes,
            press=press,
        )
        log.info("session %s rated: record seq %d", session.session_id, recorded.seq)
        self.rating_recorded.emit(recorded.seq)

    def _on_thanks_over(self) -> None:
        self._thanks = False
        self._refresh_screen()

    # -- timeouts and the 7-day default -------------------------------------------------------------------

    def _on_rate_timeout(self) -> None:
        if self._awaiting is not None:
            self._time_out(self._awaiting)

    def _time_out(self, session: StoredSession) -> None:
        self._rate_timer.stop()
        self._awaiting = None
        try:
            self.ledger.set_session_state(session.session_id, SessionState.TIMED_OUT)
        except StorageUnavailable as exc:
            self._storage_failed(exc)
        self.evaluator.disarm()
        self.session_changed.emit(session.session_id)
        url = self.qr_url_for(session)
        if url is not None:
            self._lingering_qr = (session, url)
            self._qr_timer.start(int(self.settings.qr_linger_s * 1000))
        self._session_ended()

    def dismiss_transient_screens(self) -> None:
        """Ends the thanks and QR screens early (the screenshot tool; a technician back from the console)."""
        self._owner.check()
        self._thanks_timer.stop()
        self._qr_timer.stop()
        self._thanks = False
        self._lingering_qr = None
        self._refresh_screen()

    def _on_qr_over(self) -> None:
        self._lingering_qr = None
        self._refresh_screen()

    def _session_ended(self) -> None:
        if self._pause_pending:
            self._pause()
        self._refresh_screen()

    def timed_out_sessions(self) -> list[StoredSession]:
        """The sessions R6 watches: timed out, not yet rated elsewhere or defaulted."""
        return self.defaults.timed_out_sessions()

    @Slot(str, object)
    def learn_project_evaluation(self, project_no: str, answer: dict[str, Any]) -> None:
        """What the province said of a 办件 (`GET /projects/{projectNo}/evaluation`)."""
        self._owner.check()
        self.defaults.learn(project_no, answer)

    def check_defaults(self) -> None:
        """Records the R6 default for each timed-out session whose window has ended."""
        self._owner.check()
        self.defaults.check()

    @property
    def final_check(self) -> Callable[[str], None] | None:
        """Asks the province about a 办件 right before its default (the uplink's; None offline)."""
        return self.defaults.final_check

    @final_check.setter
    def final_check(self, ask: Callable[[str], None] | None) -> None:
        self.defaults.final_check = ask

    # -- storage faults -------------------------------------------------------------------------------

    def _storage_failed(self, exc: StorageUnavailable) -> None:
        log.error("storage unavailable: %s", exc)
        self._set_alert("storage", "storage_unavailable")
        if not self._probe_timer.isActive():
            self._probe_timer.start()

    @property
    def storage_ok(self) -> bool:
        return "storage" not in self._alerts

    def _probe_storage(self) -> None:
        try:
            self.ledger.probe_write()
        except StorageUnavailable:
            return
        log.info("storage takes writes again")
        self._probe_timer.stop()
        self._set_alert("storage", None)
        try:
            self._record_chosen()
        except StorageUnavailable as exc:
            self._storage_failed(exc)

    def _record_chosen(self) -> None:
        """Makes the record of every session whose level was chosen but whose record was never written (a
        restart with the picker open, or a disk that failed as the picker closed); the picker open now is
        left to close by itself."""
        open_now = self._picker_session.session_id if self._picker_session else None
        for session, satisfaction in self.ledger.chosen_without_record():
            if session.session_id == open_now:
                continue
            codes = self._unrecorded_reasons.pop(session.session_id, ())
            log.info("session %s had a level chosen and no record: recording", session.session_id)
            self._record(
                session, satisfaction, session.channel or Channel.TERMINAL, session.rated_at or "", codes
            )

    def _set_alert(self, key: str, code: str | None) -> None:
        """Raises (or, with None, ends) the alert of one source; the screens translate the code."""
        if code is None:
            if self._alerts.pop(key, None) is None:
                return
        elif self._alerts.get(key) == code:
            return
        else:
            self._alerts[key] = code
        self.alerts_changed.emit(tuple(self._alerts.values()))
        self._refresh_screen()

    @Slot(str, object)
    def set_alert(self, key: str, detail: str | None) -> None:
        """A technician alert from another layer (`uplink`, `chain`), or its end (None). The detail goes
        to the log; the screens show the alert by its key, in their own language."""
        self._owner.check()
        if detail is not None:
            log.warning("alert %s: %s", key, detail)
        self._set_alert(key, None if detail is None else key)

    @property
    def alerts(self) -> dict[str, str]:
        """The alerts in force, by source: the codes the screens translate."""
        return dict(self._alerts)

    # -- the evaluator and the voice ----------------------------------------------------------------------

    def use_evaluator(self, evaluator: Evaluator) -> None:
        """Takes presses and states from a new driver (the console changed the evaluator's settings); the
        old one's signals no longer reach the Pad. A session awaiting a rating arms the new one."""
        self._owner.check()
        self.evaluator.press_received.disconnect(self.on_press)
        self.evaluator.state_changed.disconnect(self._on_evaluator_state)
        self.evaluator.status_received.disconnect(self._on_evaluator_status)
        self.evaluator = evaluator
        self._listen_to(evaluator)
        self._on_evaluator_state(evaluator.state.value)
        if self._awaiting is not None:
            self.evaluator.arm(int(min(self.settings.rate_timeout_s, 255)))

    @Slot(str)
    def _on_evaluator_state(self, state: str) -> None:
        self.evaluator_view.publish(self.evaluator.view())
        if state in ("disconnected", "unresponsive"):
            self._set_alert("evaluator", f"evaluator_{state}")
        else:
            self._set_alert("evaluator", None)

    @Slot(object)
    def _on_evaluator_status(self, _status: object) -> None:
        self.evaluator_view.publish(self.evaluator.view())  # the firmware it reported

    def _speak(self, prompt: Prompt) -> None:
        """Plays a prompt where pad.voice says: on the device when it has a voice, else on the pad."""
        policy = self.settings.voice
        device_voice = self.evaluator.can_speak
        if policy in ("auto", "device") and device_voice:
            self.evaluator.play(prompt)
        if policy == "pad" or (policy == "auto" and not device_voice):
            self.voice_requested.emit(int(prompt))

    # -- screens -----------------------------------------------------------------------------------------

    def _refresh_screen(self) -> None:
        state = self.screen_state()
        if state != self._screen:
            self._screen = state
            self.screen_changed.emit(state)

    def screen_state(self) -> ScreenState:
        """What the screens should show now."""
        self._owner.check()
        placement = self.placement
        member: StaffMember | None = None
        if self.staff_id and self.settings.role == "counter":
            member = placement.staff_member(self.staff_id) or StaffMember(self.staff_id)
        base = ScreenState(
            screen=Screen.IDLE,
            role=self.settings.role,
            hall_name=placement.hall_name,
            window_no=placement.window_no,
            dept_name=placement.dept_name,
            staff=member,
            alerts=tuple(code for code in self._alerts.values() if code not in TECHNICIAN_ONLY_ALERTS),
        )
        if self._picker is not None and self._picker_session is not None:
            return replace(
                base,
                screen=Screen.REASONS,
                session_id=self._picker_session.session_id,
                task_name=self._picker_session.task_name,
                picker=self._picker,
                deadline=self._picker.deadline,
            )
        if self._awaiting is not None:
            session = self._awaiting
            return replace(
                base,
                screen=Screen.PROMPT,
                session_id=session.session_id,
                task_name=session.task_name,
                applicant_masked=mask_name(session.applicant.name),
                deadline=parse_time(session.created_at) + timedelta(seconds=self.settings.rate_timeout_s),
                qr_url=self.qr_url_for(session),
            )
        if self._thanks:
            return replace(base, screen=Screen.THANKS)
        if self._lingering_qr is not None:
            session, url = self._lingering_qr
            return replace(
                base,
                screen=Screen.QR,
                session_id=session.session_id,
                task_name=session.task_name,
                qr_url=url,
                deadline=default_window_end(session.window_start, self.settings.default_after_days),
            )
        if self.settings.role == "counter" and not self.staff_id:
            return replace(base, screen=Screen.PAUSED)
        return replace(base, results=self.window_results())

    def window_results(self) -> WindowResults:
        """The window's results over the last 30 completed days (R11), recomputed once a day."""
        now = self.clock.now()
        today = now.date().isoformat()
        if self._results is None or self._results_day != today:
            start, end = completed_days(now, RESULTS_DAYS)
            self._results = WindowResults(
                start.date(), (end - timedelta(days=1)).date(), self.ledger.level_counts(start, end)
            )
            self._results_day = today
        return self._results
