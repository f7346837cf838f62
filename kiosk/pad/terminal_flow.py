"""A self-service terminal (Art. 8; idcard-reader.md): the citizen lays their ID card, scans the barcode of
their 受理回执 or types its 办件编号 with a check, the terminal asks the province which of their cases can
still be rated, and they rate one; then the list again while others remain, else the idle screen,
everything forgotten.

What a card or a look-up brings (the citizen's name, their cases and applicants) lives here, in memory,
only until the terminal goes back to idle (rules.md R3). A case the citizen picks becomes a session exactly
as a counter's would (R1 to R5), rated with pf "5".
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace

from kiosk.domain.cases import CaseQuery, CaseState, FoundCase, LookupResult
from kiosk.domain.idcard import CardRefusal, IdCard
from kiosk.domain.masking import mask_name
from kiosk.domain.sessions import SessionState
from kiosk.domain.terminal import KeypadField, KeypadView, TerminalMessage, TerminalStage
from kiosk.domain.validation import SessionRequest, is_valid_project_no
from kiosk.pad.session_flow import SessionFlow, SessionRefused
from kiosk.pad.timers import Timer
from kiosk.store.rows import StoredSession

log = logging.getLogger(__name__)

INACTIVITY_S = 60  # without a touch, the terminal goes back to idle and forgets

_REFUSALS = {
    CardRefusal.EXPIRED: TerminalMessage.CARD_EXPIRED,
    CardRefusal.BAD_CHECK_DIGIT: TerminalMessage.BAD_CHECK_DIGIT,
    CardRefusal.UNKNOWN_CARD_TYPE: TerminalMessage.NOT_AN_ID_CARD,
    CardRefusal.UNREADABLE: TerminalMessage.CARD_UNREADABLE,
    CardRefusal.NOT_AUTHENTIC: TerminalMessage.CARD_UNREADABLE,
    CardRefusal.READER_ERROR: TerminalMessage.READER_FAULT,
}


class TerminalFlow:
    """The terminal's stages before a case is chosen, for the Pad (on its thread).

    Args:
        flow: the sessions: a chosen case opens one.
        inactivity: a single-shot timer whose timeout calls `on_inactive`.
        ask: starts a look-up and returns its request id, or None where the province has no look-up.
        changed: tells that what the screens show may have changed.
    """

    def __init__(
        self,
        flow: SessionFlow,
        inactivity: Timer,
        ask: Callable[[CaseQuery], int] | None,
        changed: Callable[[], None],
    ) -> None:
        self._flow = flow
        self._inactivity = inactivity
        self._ask = ask
        self._changed = changed
        self.stage = TerminalStage.IDLE
        self.message = ""
        self.holder_masked = ""
        self.cases: tuple[FoundCase, ...] = ()
        self.keypad: KeypadView | None = None
        self._pending: int | None = None
        self._session_id = ""

    @property
    def lookup_available(self) -> bool:
        return self._ask is not None

    # -- the citizen ---------------------------------------------------------------------------------------

    def card_reading(self) -> None:
        """A card was laid and is being read: from the idle screen (or its message), the reading screen
        shows at once; over a list or the number pad, what the citizen sees stays until the card is read."""
        if self._flow.busy or self.stage is not TerminalStage.IDLE:
            return
        self._show(TerminalStage.READING)

    def card_read(self, card: IdCard) -> None:
        """A card was read (the reader has already refused an expired or broken one)."""
        if self._flow.busy:
            log.info("terminal: a card was laid while a session awaits its rating; ignored")
            return
        self.forget()
        self.holder_masked = mask_name(card.name)
        self._look_up(CaseQuery.by_card(card))

    def card_refused(self, refusal: str) -> None:
        if self._flow.busy:
            return
        if refusal == CardRefusal.REPEAT:
            # The card just read, laid again: its cases, if on screen, stay; a reading screen goes.
            if self.stage is TerminalStage.READING and self._pending is None:
                self.forget()
                self._changed()
            return
        self.forget()
        self._tell(_REFUSALS.get(CardRefusal(refusal), TerminalMessage.CARD_UNREADABLE))

    def case_scanned(self, project_no: str) -> None:
        """A receipt's barcode (or a QR code) named a 办件: its check is asked for next."""
        if self._flow.busy:
            return
        self.forget()
        self.keypad = KeypadView(KeypadField.CHECK, project_no=project_no)
        self._show(TerminalStage.KEYPAD)

    def code_refused(self) -> None:
        if not self._flow.busy:
            self._tell(TerminalMessage.NOT_A_CASE_NUMBER)

    def open_keypad(self) -> None:
        """The citizen chose to type the 办件编号."""
        self.forget()
        self.keypad = KeypadView(KeypadField.PROJECT)
        self._show(TerminalStage.KEYPAD)

    def key(self, key: str) -> None:
        """A key of the number pad: a digit, X, erase (\\b) or confirm (\\n)."""
        keypad = self.keypad
        if keypad is None:
            return
        self._touched()
        if key != "\n":
            self.keypad = keypad.typed(key)
            self.message = ""
            self._changed()
            return
        if not keypad.complete:
            return
        if keypad.field is KeypadField.PROJECT:
            if not is_valid_project_no(keypad.text):
                self.keypad = KeypadView(KeypadField.PROJECT)
                self._tell(TerminalMessage.NOT_A_CASE_NUMBER, TerminalStage.KEYPAD)
                return
            self.keypad = KeypadView(KeypadField.CHECK, project_no=keypad.text)
            self._changed()
            return
        self._look_up(CaseQuery.by_project(keypad.project_no, keypad.text))

    def back(self) -> None:
        """The citizen leaves: everything is forgotten."""
        self.forget()
        self._changed()

    def choose(self, project_no: str) -> None:
        """The citizen touched a case: a rateable one becomes a session to rate."""
        self._touched()
        case = next((c for c in self.cases if c.project_no == project_no), None)
        if case is None or case.state is not CaseState.RATEABLE or case.applicant is None or self._flow.busy:
            return
        request = SessionRequest(
            project_no=case.project_no,
            task_code=case.task_code,
            task_name=case.task_name,
            accept_time=case.accept_time,
            finish_time=case.finish_time,
            staff_id=case.staff_id,
            applicant=case.applicant,
            replace=False,
        )
        try:
            session, _qr = self._flow.open(request, staff_name=case.staff_name, ends_cancelled=True)
        except SessionRefused as refused:
            # Rated here already (the province had not heard of it yet): the list says so.
            log.info("terminal: the case chosen cannot be rated here: %s", refused.code)
            self._mark_rated(project_no)
            self._changed()
            return
        self._session_id = session.session_id

    # -- answers ---------------------------------------------------------------------------------------

    def lookup_answered(self, request: int, result: LookupResult) -> None:
        if request != self._pending:
            return  # the citizen left (or laid another card) meanwhile
        self._pending = None
        if not result.cases:
            self._tell(TerminalMessage.NO_CASES)
            return
        self.cases = tuple(result.cases)
        if not self.holder_masked:
            first = result.cases[0]
            self.holder_masked = mask_name(first.applicant.name) if first.applicant else first.applicant_name
        self._show(TerminalStage.CASES)

    def lookup_failed(self, request: int, reason: str) -> None:
        if request != self._pending:
            return
        self._pending = None
        self.holder_masked = ""
        self._tell(TerminalMessage(reason))

    def session_changed(self, session: StoredSession) -> None:
        """A session's state changed: the terminal's own, once rated or given up, updates the list."""
        if session.session_id != self._session_id or session.state is SessionState.AWAITING:
            return
        self._session_id = ""
        if session.state is SessionState.RATED:
            self._mark_rated(session.project_no)
        if any(case.state is CaseState.RATEABLE for case in self.cases):
            self._show(TerminalStage.CASES)
        else:
            self.forget()
            self._changed()

    def on_inactive(self) -> None:
        """No touch for a minute: back to idle, everything forgotten (a session awaiting its rating has
        its own timeout)."""
        if self._flow.busy or self.stage is TerminalStage.IDLE:
            return
        log.info("terminal: no touch for %d s: back to idle", INACTIVITY_S)
        self.forget()
        self._changed()

    def touched(self) -> None:
        """A touch anywhere on the screen: the minute starts again."""
        if self.stage is not TerminalStage.IDLE:
            self._touched()

    def forget(self) -> None:
        """Back to idle, dropping everything the card or the look-up brought."""
        self._inactivity.stop()
        self.stage = TerminalStage.IDLE
        self.message = ""
        self.holder_masked = ""
        self.cases = ()
        self.keypad = None
        self._pending = None

    # -- inside --------------------------------------------------------------------------------------------

    def _mark_rated(self, project_no: str) -> None:
        """The case is rated now: the list says so, and its applicant is dropped (nothing left to rate)."""
        self.cases = tuple(
            replace(case, state=CaseState.RATED, applicant=None) if case.project_no == project_no else case
            for case in self.cases
        )

    def _look_up(self, query: CaseQuery) -> None:
        if self._ask is None:
            self.holder_masked = ""
            self._tell(TerminalMessage.LOOKUP_UNAVAILABLE)
            return
        self.keypad = None
        self._pending = self._ask(query)
        log.info("terminal: looking up the citizen's cases (request %d)", self._pending)
        self._show(TerminalStage.READING)

    def _tell(self, message: TerminalMessage, stage: TerminalStage = TerminalStage.IDLE) -> None:
        log.info("terminal: %s", message.value)
        self.message = message.value
        self._show(stage, keep_message=True)

    def _show(self, stage: TerminalStage, *, keep_message: bool = False) -> None:
        self.stage = stage
        if not keep_message:
            self.message = ""
        if stage is TerminalStage.IDLE:
            self._inactivity.stop()
        else:
            self._touched()
        self._changed()

    def _touched(self) -> None:
        self._inactivity.start(INACTIVITY_S * 1000)
