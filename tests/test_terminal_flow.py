"""A self-service terminal's flow in the Pad, with the look-up and the timers in the test's hands: the
number pad, every problem a citizen can meet (each a message, nothing recorded), the minute without a
touch, and forgetting."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from kiosk.devices.base import NoEvaluator
from kiosk.devices.card_reader_simulator import made_up_card
from kiosk.domain.cases import CaseQuery, CaseState, FoundCase, LookupResult
from kiosk.domain.clock import ManualClock
from kiosk.domain.screen import Screen
from kiosk.domain.sessions import SessionState
from kiosk.domain.terminal import KeypadField, TerminalMessage
from kiosk.domain.timefmt import format_time, parse_time
from kiosk.domain.validation import Applicant
from kiosk.pad import Pad, PadSettings
from kiosk.pad.timers import ManualTimers
from kiosk.resources import shipped_reasons
from kiosk.store.ledger import Ledger
from tests.helpers.people import resident_id

CERT_NO = resident_id("350104", "19850607", "031")
HOLDER = Applicant("林小梅", "1", "111", CERT_NO, "13800138021")
NOW = parse_time("2026-11-27T09:31:00+08:00")


class Asks:
    """The look-up, as the test answers it."""

    def __init__(self) -> None:
        self.queries: list[CaseQuery] = []

    def __call__(self, query: CaseQuery) -> int:
        self.queries.append(query)
        return len(self.queries)


class Terminal:
    def __init__(self, tmp: Path, with_lookup: bool = True) -> None:
        self.clock = ManualClock(NOW)
        self.ledger = Ledger.open(tmp / "data", self.clock)
        self.timers = ManualTimers()
        settings = PadSettings(role="terminal", rate_timeout_s=60, reason_timeout_s=20)
        self.pad = Pad(self.ledger, NoEvaluator(), self.clock, settings, shipped_reasons(), self.timers)
        self.asks = Asks()
        if with_lookup:
            self.pad.use_case_lookup(self.asks)
        self.pad.start()

    def close(self) -> None:
        self.pad.stop()
        self.ledger.close()

    @property
    def screen(self) -> Screen:
        return self.pad.screen_state().screen

    @property
    def message(self) -> str:
        return self.pad.screen_state().message

    def inactivity(self) -> list[object]:
        return [t for t in self.timers.running() if t.isSingleShot() and t.interval() == 60_000]

    def answer(self, *cases: FoundCase) -> None:
        self.pad.on_lookup_answered(len(self.asks.queries), LookupResult(list(cases)))


def nothing_stored(terminal: Terminal) -> bool:
    """No session and no rating on the ledger."""
    return terminal.ledger.last_link()[0] == 0 and not any(
        terminal.ledger.sessions_in_state(state) for state in SessionState
    )


def case(project_no: str, state: CaseState = CaseState.RATEABLE, staff_id: str = "S3012") -> FoundCase:
    return FoundCase(
        project_no=project_no,
        state=state,
        task_code="TASK-1",
        task_name="个体工商户设立登记",
        accept_time=format_time(NOW - timedelta(hours=5)),
        finish_time=format_time(NOW - timedelta(hours=1)),
        window_no="C01",
        staff_id=staff_id,
        staff_name="吴敏",
        applicant=HOLDER if state is CaseState.RATEABLE else None,
        applicant_name="林*梅",
    )


@pytest.fixture
def terminal(qapp: object, tmp_path: Path) -> Iterator[Terminal]:
    made = Terminal(tmp_path)
    yield made
    made.close()


def test_the_number_pad_asks_for_the_case_number_then_the_check(terminal: Terminal) -> None:
    pad = terminal.pad
    pad.open_keypad()
    assert terminal.screen is Screen.KEYPAD
    for key in "35010X2\b\b2":  # X only in the check; erase takes the last digit
        pad.keypad_key(key)
    assert pad.screen_state().keypad is not None
    assert (pad.screen_state().keypad.field, pad.screen_state().keypad.text) == (KeypadField.PROJECT, "35012")
    pad.keypad_key("\n")
    keypad = pad.screen_state().keypad
    assert keypad is not None and (keypad.field, keypad.project_no) == (KeypadField.CHECK, "35012")
    for key in "123":
        pad.keypad_key(key)
    pad.keypad_key("\n")  # three of four: not yet
    assert terminal.asks.queries == []
    pad.keypad_key("X")
    pad.keypad_key("9")  # a fifth is not taken
    pad.keypad_key("\n")
    assert terminal.asks.queries == [CaseQuery.by_project("35012", "123X")]
    assert terminal.screen is Screen.READING
    assert pad.screen_state().keypad is None  # the check is not kept on any screen


def test_a_scanned_receipt_goes_straight_to_the_check(terminal: Terminal) -> None:
    terminal.pad.on_case_scanned("35010220261127000123")
    keypad = terminal.pad.screen_state().keypad
    assert keypad is not None and (keypad.field, keypad.project_no) == (
        KeypadField.CHECK,
        "35010220261127000123",
    )


@pytest.mark.parametrize(
    ("refusal", "message"),
    [
        ("expired", TerminalMessage.CARD_EXPIRED),
        ("bad_check_digit", TerminalMessage.BAD_CHECK_DIGIT),
        ("unreadable", TerminalMessage.CARD_UNREADABLE),
        ("unknown_card_type", TerminalMessage.NOT_AN_ID_CARD),
    ],
)
def test_a_refused_card_says_what_to_do_and_asks_nothing(
    terminal: Terminal, refusal: str, message: TerminalMessage
) -> None:
    terminal.pad.on_card_reading()
    assert terminal.screen is Screen.READING
    terminal.pad.on_card_refused(refusal)
    assert (terminal.screen, terminal.message) == (Screen.IDLE, message.value)
    assert terminal.asks.queries == []
    assert nothing_stored(terminal)


def test_the_same_card_again_leaves_the_reading_screen(terminal: Terminal) -> None:
    terminal.pad.on_card_reading()
    terminal.pad.on_card_refused("repeat")
    assert (terminal.screen, terminal.message) == (Screen.IDLE, "")


def test_a_code_that_is_not_a_case_number_is_said_so(terminal: Terminal) -> None:
    terminal.pad.on_code_refused("not a case number")
    assert terminal.message == TerminalMessage.NOT_A_CASE_NUMBER.value
    assert terminal.asks.queries == []


@pytest.mark.parametrize("reason", [TerminalMessage.PROVINCE_UNREACHABLE, TerminalMessage.TOO_MANY_LOOKUPS])
def test_a_failed_look_up_is_said_and_forgotten(terminal: Terminal, reason: TerminalMessage) -> None:
    terminal.pad.on_card_read(made_up_card(CERT_NO, "林小梅", "2"))
    assert terminal.pad.screen_state().holder_masked == "林*梅"
    terminal.pad.on_lookup_failed(1, reason.value)
    state = terminal.pad.screen_state()
    assert (state.screen, state.message, state.holder_masked) == (Screen.IDLE, reason.value, "")


def test_an_answer_to_a_look_up_the_citizen_left_is_dropped(terminal: Terminal) -> None:
    terminal.pad.on_card_read(made_up_card(CERT_NO, "林小梅", "2"))
    terminal.pad.leave_terminal()
    terminal.answer(case("P-1"))
    assert terminal.screen is Screen.IDLE and terminal.pad.screen_state().cases == ()


def test_no_cases_found_is_said(terminal: Terminal) -> None:
    terminal.pad.on_card_read(made_up_card(CERT_NO, "林小梅", "2"))
    terminal.answer()
    assert (terminal.screen, terminal.message) == (Screen.IDLE, TerminalMessage.NO_CASES.value)


def test_rateable_cases_first_and_the_others_say_why(terminal: Terminal) -> None:
    terminal.pad.on_card_read(made_up_card(CERT_NO, "林小梅", "2"))
    terminal.answer(case("P-OLD", CaseState.EXPIRED), case("P-1"), case("P-DONE", CaseState.RATED))
    shown = [(c.project_no, c.state) for c in terminal.pad.screen_state().cases]
    assert shown == [("P-1", CaseState.RATEABLE), ("P-DONE", CaseState.RATED), ("P-OLD", CaseState.EXPIRED)]
    terminal.pad.choose_case("P-OLD")  # cannot be rated: nothing opens
    terminal.pad.choose_case("P-DONE")
    assert terminal.screen is Screen.CASES and nothing_stored(terminal)


def test_a_minute_without_a_touch_goes_back_to_idle_and_forgets(terminal: Terminal) -> None:
    pad = terminal.pad
    pad.on_card_read(made_up_card(CERT_NO, "林小梅", "2"))
    terminal.answer(case("P-1"), case("P-2"))
    (inactivity,) = terminal.inactivity()
    pad.touched()  # a touch starts the minute again
    assert inactivity.isActive()
    inactivity.fire()
    state = pad.screen_state()
    assert (state.screen, state.cases, state.holder_masked, state.message) == (Screen.IDLE, (), "", "")
    assert terminal.inactivity() == []


def test_a_chosen_case_is_rated_with_pf_5_and_the_list_comes_back(terminal: Terminal) -> None:
    pad = terminal.pad
    pad.on_card_read(made_up_card(CERT_NO, "林小梅", "2"))
    terminal.answer(case("P-1"), case("P-2"))
    pad.choose_case("P-1")  # S3012 served it at another window: not in this terminal's roster
    state = pad.screen_state()
    assert (state.screen, state.applicant_masked, state.staff) == (Screen.PROMPT, "林*梅", None)
    pad.touch_level(4)
    pad.submit_reasons()
    record = terminal.ledger.record(1)
    assert record is not None
    assert (record["projectNo"], record["pf"], record["staffId"], record["staffName"]) == (
        "P-1",
        "5",
        "S3012",
        "吴敏",
    )
    pad.dismiss_transient_screens()
    cases = {c.project_no: c.state for c in pad.screen_state().cases}
    assert (terminal.screen, cases) == (Screen.CASES, {"P-1": CaseState.RATED, "P-2": CaseState.RATEABLE})


def test_a_chosen_case_left_unrated_is_cancelled_never_defaulted(terminal: Terminal) -> None:
    pad = terminal.pad
    pad.on_card_read(made_up_card(CERT_NO, "林小梅", "2"))
    terminal.answer(case("P-1"))
    pad.choose_case("P-1")
    assert terminal.screen is Screen.PROMPT
    # The prompt's minute and the terminal's run out together; the session is not the terminal's to end.
    for timer in terminal.timers.running():
        if timer.isSingleShot():
            timer.fire()
    (session,) = terminal.ledger.sessions_for_project("P-1")
    assert session.state is SessionState.CANCELLED
    assert terminal.ledger.last_link()[0] == 0
    assert terminal.screen is Screen.IDLE and pad.screen_state().qr_url is None


def test_a_terminal_without_look_up_says_so(qapp: object, tmp_path: Path) -> None:
    made = Terminal(tmp_path, with_lookup=False)
    try:
        assert made.pad.screen_state().lookup_available is False
        made.pad.on_card_read(made_up_card(CERT_NO, "林小梅", "2"))
        assert made.message == TerminalMessage.LOOKUP_UNAVAILABLE.value
        assert made.pad.screen_state().holder_masked == ""
    finally:
        made.close()


def test_an_unplugged_reader_or_scanner_is_on_the_screen(terminal: Terminal) -> None:
    terminal.pad.on_reader_state("disconnected")
    terminal.pad.on_scanner_state("unresponsive")
    assert set(terminal.pad.screen_state().alerts) >= {"idcard_disconnected", "scanner_disconnected"}
    terminal.pad.on_reader_state("connected")
    assert "idcard_disconnected" not in terminal.pad.screen_state().alerts
