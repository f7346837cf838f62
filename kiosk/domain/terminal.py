"""A self-service terminal (Art. 8; idcard-reader.md): where the citizen finds their own case, in what the
screens show of it. Nothing here holds a certificate or phone number: names masked, cases by 办件编号."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

from kiosk.domain.cases import CaseState, FoundCase

PROJECT_NO_MAX = 50
CHECK_LENGTH = 4


class TerminalStage(enum.StrEnum):
    """Where the citizen is, before a case is chosen (then the counter's prompt and picker take over)."""

    IDLE = "idle"  # lay a card, scan a receipt, or type a number
    READING = "reading"  # the card is being read or the cases looked up
    CASES = "cases"  # the citizen's cases
    KEYPAD = "keypad"  # typing the 办件编号, then the check


class TerminalMessage(enum.StrEnum):
    """What the terminal tells the citizen went wrong, so that they can act on it (never a reason code of
    the province's, never personal data)."""

    CARD_EXPIRED = "card_expired"
    BAD_CHECK_DIGIT = "bad_check_digit"
    CARD_UNREADABLE = "card_unreadable"  # 请重新放置身份证
    NOT_AN_ID_CARD = "not_an_id_card"
    READER_FAULT = "reader_fault"
    READER_UNPLUGGED = "reader_unplugged"
    SCANNER_UNPLUGGED = "scanner_unplugged"
    PROVINCE_UNREACHABLE = "province_unreachable"  # 暂时无法查询，请稍后再试
    TOO_MANY_LOOKUPS = "too_many_lookups"
    NOT_A_CASE_NUMBER = "not_a_case_number"
    NO_CASES = "no_cases"
    LOOKUP_UNAVAILABLE = "lookup_unavailable"  # the province's interface has no look-up


class KeypadField(enum.StrEnum):
    PROJECT = "project"  # the 办件编号
    CHECK = "check"  # the last four characters of the applicant's ID number or mobile


@dataclass(frozen=True)
class KeypadView:
    """The number pad: which field is being typed and what is typed so far.

    Attributes:
        field: the field being typed.
        text: what is typed in it so far.
        project_no: the 办件编号 the check is for (typed or scanned), while typing the check.
    """

    field: KeypadField
    text: str = ""
    project_no: str = ""

    def typed(self, key: str) -> KeypadView:
        """The pad after one key: a digit (or X in the check, for an ID number ending in X), or erase."""
        if key == "\b":
            return KeypadView(self.field, self.text[:-1], self.project_no)
        limit = PROJECT_NO_MAX if self.field is KeypadField.PROJECT else CHECK_LENGTH
        allowed = key.isdigit() or (key == "X" and self.field is KeypadField.CHECK)
        if len(key) != 1 or not allowed or len(self.text) >= limit:
            return self
        return KeypadView(self.field, self.text + key, self.project_no)

    @property
    def complete(self) -> bool:
        if self.field is KeypadField.CHECK:
            return len(self.text) == CHECK_LENGTH
        return bool(self.text)


@dataclass(frozen=True)
class CaseView:
    """A case as the citizen's list shows it.

    Attributes:
        project_no: the 办件编号.
        task_name: the service.
        dept_name: the department.
        day: the day it was finished (else accepted), YYYY-MM-DD.
        state: rateable, or why it cannot be rated (rated, expired).
    """

    project_no: str
    task_name: str
    dept_name: str
    day: str
    state: CaseState

    @property
    def rateable(self) -> bool:
        return self.state is CaseState.RATEABLE


_ORDER = {CaseState.RATEABLE: 0, CaseState.RATED: 1, CaseState.EXPIRED: 2}


def case_views(cases: Iterable[FoundCase]) -> tuple[CaseView, ...]:
    """The list the citizen sees: rateable cases first, each group in the province's order (newest first)."""
    views = [
        CaseView(
            case.project_no,
            case.task_name,
            case.dept_name,
            (case.finish_time or case.accept_time)[:10],
            case.state,
        )
        for case in cases
    ]
    return tuple(sorted(views, key=lambda view: _ORDER[view.state]))
