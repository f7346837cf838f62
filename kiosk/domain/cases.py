"""A self-service terminal's look-up of a citizen's cases (uplink-api.md "Finding cases"), in domain terms.

The query carries an ID number or a check, the answer applicants: both repr masked (rules.md R3).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

from kiosk.domain.idcard import IdCard
from kiosk.domain.masking import mask_cert_no
from kiosk.domain.validation import CERT_RESIDENT_ID, Applicant


class CaseState(enum.StrEnum):
    """What the province says of a case found."""

    RATEABLE = "rateable"  # finished (or accepted) within the 7-day window and not yet rated anywhere
    RATED = "rated"
    EXPIRED = "expired"


@dataclass(frozen=True, repr=False)
class CaseQuery:
    """What a terminal asks the province: by certificate (an ID card) or by projectNo and check.

    Attributes:
        by: "cert" or "project".
        cert_type: the certificate type (111 for an ID card), by cert.
        cert_no: the certificate number, by cert.
        project_no: the 办件编号, by project.
        check: the last 4 characters of the applicant's certNo or the last 4 digits of their mobile, by project.
    """

    by: str
    cert_type: str = ""
    cert_no: str = ""
    project_no: str = ""
    check: str = ""

    @classmethod
    def by_card(cls, card: IdCard) -> CaseQuery:
        """The cases of the citizen whose ID card was read."""
        return cls("cert", cert_type=CERT_RESIDENT_ID, cert_no=card.cert_no)

    @classmethod
    def by_project(cls, project_no: str, check: str) -> CaseQuery:
        """The case with this 办件编号, if the check is its applicant's."""
        return cls("project", project_no=project_no, check=check)

    def to_json(self) -> dict[str, str]:
        """The look-up's request body."""
        if self.by == "cert":
            return {"by": "cert", "certType": self.cert_type, "certNo": self.cert_no}
        return {"by": "project", "projectNo": self.project_no, "check": self.check}

    def __repr__(self) -> str:
        if self.by == "cert":
            return (
                f"CaseQuery(by='cert', cert_type={self.cert_type!r}, cert_no={mask_cert_no(self.cert_no)!r})"
            )
        return f"CaseQuery(by='project', project_no={self.project_no!r}, check='****')"

    __str__ = __repr__


@dataclass(frozen=True)
class FoundCase:
    """A case the province found. Only a rateable case carries its applicant, from which the terminal makes
    the session exactly as a counter session (R1 to R5); the others carry the name masked.

    Attributes:
        applicant: the real-name applicant (its repr is masked), rateable cases only.
        applicant_name: the name as the province masked it, the other cases.
    """

    project_no: str
    state: CaseState
    task_code: str = ""
    task_name: str = ""
    dept_code: str = ""
    dept_name: str = ""
    accept_time: str = ""
    finish_time: str = ""
    window_no: str = ""
    staff_id: str = ""
    staff_name: str = ""
    applicant: Applicant | None = None
    applicant_name: str = ""


def _text(data: dict[str, Any], key: str) -> str:
    value = data.get(key, "")
    return value if isinstance(value, str) else ""


def _applicant(data: Any) -> Applicant | None:
    if not isinstance(data, dict):
        return None
    fields = [_text(data, key) for key in ("name", "userProp", "certType", "certNo", "mobile")]
    if not all(fields[:4]):
        return None
    return Applicant(*fields)


@dataclass(frozen=True)
class LookupResult:
    """A look-up's answer: the cases to show, in the province's order, and how many were left out.

    Attributes:
        cases: the cases found.
        left_out: cases without a projectNo or a known state, or rateable ones without a whole applicant
            (they could not be rated).
    """

    cases: list[FoundCase] = field(default_factory=list)
    left_out: int = 0


def _case(item: Any) -> FoundCase | None:
    if not isinstance(item, dict) or not _text(item, "projectNo"):
        return None
    try:
        state = CaseState(_text(item, "state"))
    except ValueError:
        return None
    applicant = _applicant(item.get("applicant")) if state == CaseState.RATEABLE else None
    if state == CaseState.RATEABLE and applicant is None:
        return None
    return FoundCase(
        project_no=item["projectNo"],
        state=state,
        task_code=_text(item, "taskCode"),
        task_name=_text(item, "taskName"),
        dept_code=_text(item, "deptCode"),
        dept_name=_text(item, "deptName"),
        accept_time=_text(item, "acceptTime"),
        finish_time=_text(item, "finishTime"),
        window_no=_text(item, "windowNo"),
        staff_id=_text(item, "staffId"),
        staff_name=_text(item, "staffName"),
        applicant=applicant,
        applicant_name=_text(item, "applicantName"),
    )


def parse_cases(answer: dict[str, Any]) -> LookupResult:
    """The cases of a look-up's answer, in its order; what cannot be used is left out and counted.

    Raises:
        ValueError: when the answer has no `cases` array.
    """
    raw = answer.get("cases")
    if not isinstance(raw, list):
        raise ValueError("the look-up answer has no cases array")
    cases = [case for case in map(_case, raw) if case is not None]
    return LookupResult(cases, len(raw) - len(cases))
