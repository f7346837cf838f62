"""The Pad: the heart of the product, as a thin facade over its collaborators.

It owns the current session and takes every event on the Qt thread (a bridge request, a press, a touch, a
timer, an answer from the province), and each entry point checks that thread. QtCore only: the faces
(kiosk/ui, kiosk/bridge) and the hands (kiosk/devices) are passed in or listen.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from kiosk.devices.base import Evaluator, EvaluatorView, Press
from kiosk.domain.cases import CaseQuery, LookupResult
from kiosk.domain.clock import Clock
from kiosk.domain.hall import Placement, ProvinceSettings
from kiosk.domain.idcard import IdCard
from kiosk.domain.notices import Notice, notices_in_force
from kiosk.domain.reasons import ReasonCatalogue
from kiosk.domain.rules import WindowResults
from kiosk.domain.screen import ScreenState
from kiosk.domain.terminal import case_views
from kiosk.domain.validation import DEFAULT_CERT_TYPES, SessionRequest
from kiosk.pad.alerts import Alerts
from kiosk.pad.default_watch import DefaultWatch
from kiosk.pad.evaluator_link import EvaluatorLink
from kiosk.pad.picker import PickerFlow
from kiosk.pad.presses import PressLog
from kiosk.pad.qr_codes import QrCodes, QrSource
from kiosk.pad.recording import Recorder
from kiosk.pad.screen_model import DailyResults, PadView, TerminalView, screen_state
from kiosk.pad.session_flow import SessionFlow, SessionTimers
from kiosk.pad.settings import PadSettings, in_force
from kiosk.pad.speaker import Speaker
from kiosk.pad.status import PadStatus
from kiosk.pad.storage import STORAGE_PROBE_MS, StorageWatch
from kiosk.pad.terminal_flow import TerminalFlow
from kiosk.pad.timers import Timer, TimerFactory, repeating, single_shot
from kiosk.store.errors import StorageUnavailable
from kiosk.store.ledger import Ledger
from kiosk.store.rows import StoredSession
from kiosk.sync.province_config import ProvinceConfig
from kiosk.sync.status import Alert, UplinkStatus
from kiosk.threads import Shared, ThreadOwner

log = logging.getLogger(__name__)

DEFAULT_CHECK_MS = 60_000


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
        qr: where QR URLs come from; made on the device from its key (QrCodes) by default.

    Signals:
        screen_changed(ScreenState): what the screens should show now.
        session_changed(str): a session's state changed (its id), for the bridge's long-poll.
        rating_recorded(int): a record was stored (its seq): the sender should wake.
        voice_requested(int): the pad itself should speak this Prompt (pad.voice).
        alerts_changed(tuple): the codes of the technician alerts raised now.
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
        timer_factory: TimerFactory | None = None,
        qr: QrSource | None = None,
    ) -> None:
        super().__init__()
        # Everything here runs on the thread that made the Pad (Qt's); each entry point checks it.
        self._owner = ThreadOwner("the Pad")
        timers = timer_factory or QTimer
        self._timers = timers
        self.ledger = ledger
        self.clock = clock
        self.local_settings = settings
        self.province_settings = ProvinceSettings()
        self.reasons = reasons
        self.placement = Placement()
        self.cert_types: dict[str, str] = dict(DEFAULT_CERT_TYPES)
        self.notices: tuple[Notice, ...] = ()
        self.uplink = UplinkStatus()
        self._screen: ScreenState | None = None
        self._results = DailyResults(ledger, clock)
        self._alerts = Alerts(self._on_alerts_changed)
        self._evaluator = EvaluatorLink(evaluator, self._alerts, self.on_press, self)
        self._qr: QrSource = qr or QrCodes(ledger.device_id, ledger.device_secret())
        self._recorder = Recorder(ledger, lambda: self.placement, self.rating_recorded.emit)
        self._storage = StorageWatch(
            ledger,
            self._alerts,
            repeating(timers, self, STORAGE_PROBE_MS, self._probe_storage),
            self._recover,
        )
        self._picker = PickerFlow(
            self._recorder,
            self._storage,
            single_shot(timers, self, self._on_picker_timeout),
            lambda: self.reasons,
            closed=self._after_picker,
            changed=self._refresh_screen,
        )
        self._flow = SessionFlow(
            ledger,
            clock,
            self._recorder,
            self._picker,
            self._storage,
            Speaker(lambda: self.settings.voice, lambda: self.evaluator, self.voice_requested.emit),
            self._qr,
            SessionTimers(
                rate=single_shot(timers, self, self._on_rate_timeout),
                thanks=single_shot(timers, self, self._on_thanks_over),
                qr=single_shot(timers, self, self._on_qr_over),
            ),
            settings=lambda: self.settings,
            placement=lambda: self.placement,
            evaluator=lambda: self.evaluator,
            session_changed=self._on_session_changed,
            changed=self._refresh_screen,
        )
        self._terminal = TerminalFlow(
            self._flow, single_shot(timers, self, self._on_terminal_inactive), None, self._refresh_screen
        )
        self._presses = PressLog(ledger, self._flow, self._picker)
        self.defaults = DefaultWatch(
            ledger,
            clock,
            days=lambda: self.settings.default_after_days,
            placement=lambda: self.placement,
            online=lambda: self.uplink.state == "online",
            enabled=lambda: self.settings.records_defaults,
            changed=self.session_changed.emit,
            recorded=self.rating_recorded.emit,
            storage_failed=self._storage.failed,
        )
        self._default_timer = repeating(timers, self, DEFAULT_CHECK_MS, self.check_defaults)

    # -- what the Pad is ---------------------------------------------------------------------------------

    @property
    def evaluator(self) -> Evaluator:
        """The evaluator driver in use."""
        return self._evaluator.evaluator

    @property
    def evaluator_view(self) -> Shared[EvaluatorView]:
        """The evaluator as the uplink's heartbeat reports it: a copy, for other threads."""
        return self._evaluator.view

    @property
    def settings(self) -> PadSettings:
        """The settings in force: the province's where it sent them, else the pad's own."""
        return in_force(self.local_settings, self.province_settings)

    @property
    def enrolled(self) -> bool:
        return self._qr.enrolled

    @property
    def staff_id(self) -> str:
        return self._flow.staff_id

    @property
    def rating_in_progress(self) -> bool:
        """Whether a session awaits a rating or its reason picker is open: the citizen is choosing, and
        nothing a staff member could open may show what they choose (R7)."""
        return self._flow.busy

    @property
    def storage_ok(self) -> bool:
        return self._storage.ok

    @property
    def alerts(self) -> dict[str, str]:
        """The alerts in force, by source: the codes the screens translate."""
        return self._alerts.by_source()

    # -- start and stop ----------------------------------------------------------------------------------

    def start(self) -> None:
        """Resumes after a start or restart, then shows the first screen.

        A session that was awaiting when the pad stopped is timed out (it can still be rated by QR and
        defaults after the window); a level chosen with the picker open becomes its rating, with no reasons.
        """
        self._owner.check()
        with self._storage.absorbing():
            self._flow.resume()
            self._recover()
            self.check_defaults()
        self._default_timer.start()
        self._refresh_screen()

    def stop(self) -> None:
        self._owner.check()
        self._flow.stop()
        self._picker.stop()
        self._storage.stop()
        self._default_timer.stop()

    # -- the province ------------------------------------------------------------------------------------

    @Slot(object)
    def on_province_config(self, config: ProvinceConfig) -> None:
        """A configuration from the province (queued from the uplink thread, or the cached one at start)."""
        self.notices = config.notices
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
        self._qr.take_key(secret)
        self._refresh_screen()

    @Slot(str, str)
    def learn_qr_url(self, session_id: str, url: str) -> None:
        """The province's page for a session, to show as its QR code (queued from the uplink thread)."""
        self._owner.check()
        self._qr.learn(session_id, url)
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

    @Slot(str, object)
    def set_alert(self, source: str, alert: Alert | None) -> None:
        """A technician alert from another layer (`uplink`, `chain`, `clock`), or its end (None). Its
        detail goes to the log; the screens show its code in their own language."""
        self._owner.check()
        self._alerts.report(source, alert)

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
        if not self._storage.ok:
            raise StorageUnavailable("the ledger cannot take a write; no new sessions until it can")
        with self._storage.writing():
            return self._flow.open(request)

    def session(self, session_id: str) -> StoredSession | None:
        """A session as the ledger holds it (the bridge shows its state, never its level, R7)."""
        self._owner.check()
        return self.ledger.session(session_id)

    def cancel_session(self, session_id: str) -> StoredSession:
        """Ends an awaiting session as cancelled; returns it as it now is.

        Raises:
            SessionRefused: `not_found`, or `not_awaiting` for a session in any other state.
            StorageUnavailable: the ledger cannot take the write.
        """
        self._owner.check()
        return self._flow.cancel(session_id)

    def sign_in(self, staff_id: str) -> None:
        """A staff member signs in at the window: the idle screen shows their card.

        Raises:
            FieldError: the staffId is not in the roster (when the pad has one).
        """
        self._owner.check()
        self._flow.sign_in(staff_id)

    def sign_out(self) -> None:
        """The staff member leaves: 暂停服务 and prompt 4, once no session awaits a rating."""
        self._owner.check()
        self._flow.sign_out()

    def status(self) -> PadStatus:
        """What the Pad says of itself now."""
        self._owner.check()
        current = self._flow.current_id()
        return PadStatus(
            device_id=self.ledger.device_id,
            enrolled=self.enrolled,
            staff_id=self.staff_id,
            session=self.ledger.session(current) if current else None,
            evaluator=self.evaluator.view(),
            uplink=self.uplink,
            queue=self.ledger.send_counts(),
            alerts=tuple(sorted(set(self._alerts.codes()))),
        )

    def qr_url_for(self, session: StoredSession) -> str | None:
        """The QR URL for a session, or None before enrolment or without a template."""
        return self._flow.qr_url_for(session)

    # -- the citizen -----------------------------------------------------------------------------------

    @Slot(object)
    def on_press(self, press: Press) -> None:
        """A press from the evaluator: it chooses the awaiting session's level only when the session
        awaits a rating, the host had the device armed, and the map names the button (R7, R8)."""
        self._owner.check()
        with self._storage.absorbing():
            self._presses.take(press)

    def touch_level(self, satisfaction: int) -> None:
        """A touch on one of the prompt's five buttons."""
        self._owner.check()
        with self._storage.absorbing():
            self._flow.touch(satisfaction)

    def toggle_reason(self, code: str) -> None:
        self._owner.check()
        self._picker.toggle(code)

    def submit_reasons(self) -> None:
        """The citizen submits the picker (levels 1-2 need at least one reason)."""
        self._owner.check()
        self._picker.submit()

    def dismiss_transient_screens(self) -> None:
        """Ends the thanks and QR screens early (a technician back from the console)."""
        self._owner.check()
        self._flow.dismiss_transient()

    # -- a self-service terminal -----------------------------------------------------------------------------

    def use_case_lookup(self, ask: Callable[[CaseQuery], int]) -> None:
        """The province can look a citizen's cases up (a terminal of the JSON uplink): `ask` starts a look-up,
        whose answer comes to on_lookup_answered or on_lookup_failed."""
        self._owner.check()
        self._terminal = TerminalFlow(self._flow, self._terminal_timer(), ask, self._refresh_screen)

    def _terminal_timer(self) -> Timer:
        return single_shot(self._timers, self, self._on_terminal_inactive)

    @Slot(object)
    def on_card_read(self, card: IdCard) -> None:
        """The ID card reader read a card (queued from its thread)."""
        self._owner.check()
        self._terminal.card_read(card)

    @Slot()
    def on_card_reading(self) -> None:
        """A card was laid and is being read (queued from the reader's thread)."""
        self._owner.check()
        self._terminal.card_reading()

    @Slot(str)
    def on_card_refused(self, refusal: str) -> None:
        self._owner.check()
        self._terminal.card_refused(refusal)

    @Slot(str)
    def on_case_scanned(self, project_no: str) -> None:
        """The scanner read a receipt's 办件编号 (queued from its thread, or from the keyboard wedge)."""
        self._owner.check()
        self._terminal.case_scanned(project_no)

    @Slot(str)
    def on_code_refused(self, _reason: str) -> None:
        self._owner.check()
        self._terminal.code_refused()

    @Slot(int, object)
    def on_lookup_answered(self, request: int, result: LookupResult) -> None:
        self._owner.check()
        self._terminal.lookup_answered(request, result)

    @Slot(int, str)
    def on_lookup_failed(self, request: int, reason: str) -> None:
        self._owner.check()
        self._terminal.lookup_failed(request, reason)

    @Slot(str)
    def on_reader_state(self, state: str) -> None:
        """The ID card reader's state: unplugged or failing, technicians are told (the citizen too)."""
        self._owner.check()
        self._alerts.set("idcard", None if state in ("connected", "none") else "idcard_disconnected")

    @Slot(str)
    def on_scanner_state(self, state: str) -> None:
        self._owner.check()
        self._alerts.set("scanner", None if state in ("connected", "none") else "scanner_disconnected")

    def open_keypad(self) -> None:
        """The citizen chose to type the 办件编号."""
        self._owner.check()
        self._terminal.open_keypad()

    def keypad_key(self, key: str) -> None:
        self._owner.check()
        self._terminal.key(key)

    def choose_case(self, project_no: str) -> None:
        """The citizen touched one of their cases."""
        self._owner.check()
        with self._storage.absorbing():
            self._terminal.choose(project_no)

    def leave_terminal(self) -> None:
        """The citizen leaves the terminal's list or number pad: everything is forgotten."""
        self._owner.check()
        self._terminal.back()

    def touched(self) -> None:
        """A touch anywhere on the screens."""
        self._owner.check()
        self._terminal.touched()

    def _on_terminal_inactive(self) -> None:
        self._terminal.on_inactive()

    def _on_session_changed(self, session_id: str) -> None:
        self.session_changed.emit(session_id)
        session = self.ledger.session(session_id)
        if session is not None:
            self._terminal.session_changed(session)

    # -- timers --------------------------------------------------------------------------------------------

    def _on_rate_timeout(self) -> None:
        self._flow.on_rate_timeout()

    def _on_picker_timeout(self) -> None:
        self._picker.on_timeout()

    def _on_thanks_over(self) -> None:
        self._flow.on_thanks_over()

    def _on_qr_over(self) -> None:
        self._flow.on_qr_over()

    def _after_picker(self) -> None:
        self._flow.thank()

    # -- the 7-day default -----------------------------------------------------------------------------------

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

    # -- storage ---------------------------------------------------------------------------------------------

    def _probe_storage(self) -> None:
        self._storage.probe()

    def _recover(self) -> None:
        """Records what a restart or a failed disk left without its record (the open picker aside)."""
        open_now = self._picker.session.session_id if self._picker.session else None
        self._recorder.record_chosen(open_now)

    def _on_alerts_changed(self, codes: tuple[str, ...]) -> None:
        self.alerts_changed.emit(codes)
        self._refresh_screen()

    # -- the evaluator -----------------------------------------------------------------------------------

    def use_evaluator(self, evaluator: Evaluator) -> None:
        """Takes presses and states from a new driver (the console changed the evaluator's settings); the
        old one's signals no longer reach the Pad. A session awaiting a rating arms the new one."""
        self._owner.check()
        self._evaluator.use(evaluator)
        if self._flow.awaiting is not None:
            self._flow.arm()

    # -- screens -----------------------------------------------------------------------------------------

    def _refresh_screen(self) -> None:
        state = self.screen_state()
        if state != self._screen:
            self._screen = state
            self.screen_changed.emit(state)

    def screen_state(self) -> ScreenState:
        """What the screens should show now."""
        self._owner.check()
        flow, picker, terminal = self._flow, self._picker, self._terminal
        awaiting = flow.awaiting
        return screen_state(
            PadView(
                settings=self.settings,
                placement=self.placement,
                staff_id=flow.staff_id,
                alerts=self._alerts.for_screen(),
                picker=(picker.picker, picker.session) if picker.picker and picker.session else None,
                awaiting=(awaiting, flow.qr_url_for(awaiting)) if awaiting else None,
                thanks=flow.thanks,
                lingering_qr=flow.lingering_qr,
                results=self._results.now(),
                notices=notices_in_force(self.notices, self.clock.now().date()),
                terminal=TerminalView(
                    terminal.stage,
                    terminal.message,
                    terminal.holder_masked,
                    case_views(terminal.cases),
                    terminal.keypad,
                    terminal.lookup_available,
                ),
            )
        )

    def window_results(self) -> WindowResults:
        """The window's results over the last 30 completed days (R11), recomputed once a day."""
        return self._results.now()
