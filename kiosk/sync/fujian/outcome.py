"""What the gateway's answer means for the pad (province-fujian.md, the outcome table and "Exactly once").

| answer | getSaveEvaluation | getEvaluationDetail |
|---|---|---|
| code 200 | accepted, with evaluateUnid as the province's id | rated: the record counts as delivered |
| code 409 | superseded: the province already holds a rating | (unknown) |
| code 500 | rejected | not rated: send again |
| another code | rejected (a dead letter, message masked) | unknown |
| no readable answer (None) | unknown: stays queued, with backoff | unknown |

HTTP 5xx, timeouts and dropped connections never reach here: the caller passes None for them, as for an
envelope that `soap.parse_answer` could not read.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from kiosk.domain.masking import mask_cert_no, mask_mobile, mask_name
from kiosk.sync.fujian.soap import CaseAnswer


class SendStatus(StrEnum):
    """The outcome of sending one rating."""

    ACCEPTED = "accepted"
    SUPERSEDED = "superseded"
    REJECTED = "rejected"
    UNKNOWN = "unknown"


class DetailStatus(StrEnum):
    """What the detail query found for a case."""

    RATED = "rated"
    NOT_RATED = "not_rated"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class SendOutcome:
    """The outcome of `getSaveEvaluation` for one record.

    Attributes:
        status: accepted, superseded, rejected or unknown.
        province_id: evaluateUnid when accepted (None when the province gave none).
        code: the answer's code ("" for unknown).
        message: the answer's message, with personal data masked (rules.md R3): fit for the dead letter.
    """

    status: SendStatus
    province_id: str | None = None
    code: str = ""
    message: str = ""


# An 18- or 15-character ID number, or an 11-digit mobile number beginning with 1, standing alone.
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(?:[0-9]{17}[0-9Xx]|[0-9]{15})(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<![0-9])1[0-9]{10}(?![0-9])")


def mask_personal(message: str, record: Mapping[str, Any] | None = None) -> str:
    """A message from the province with personal data masked (rules.md R3).

    The record's own name, certificate number and mobile are masked wherever they appear, and so is
    anything else shaped like an ID or a mobile number.
    """
    if record is not None:
        for field, mask in (("certNo", mask_cert_no), ("mobile", mask_mobile), ("userName", mask_name)):
            value = record.get(field)
            if isinstance(value, str) and value:
                message = message.replace(value, mask(value))
    message = _ID_NUMBER.sub(lambda match: mask_cert_no(match.group()), message)
    return _MOBILE.sub(lambda match: mask_mobile(match.group()), message)


def send_outcome(answer: CaseAnswer | None, record: Mapping[str, Any] | None = None) -> SendOutcome:
    """The outcome of `getSaveEvaluation`.

    Args:
        answer: the parsed answer, or None when there was no readable one.
        record: the record sent, whose personal data is masked out of the message.
    """
    if answer is None:
        return SendOutcome(SendStatus.UNKNOWN)
    message = mask_personal(answer.message, record)
    if answer.code == "200":
        return SendOutcome(SendStatus.ACCEPTED, answer.data.get("evaluateUnid") or None, "200", message)
    if answer.code == "409":
        return SendOutcome(SendStatus.SUPERSEDED, None, "409", message)
    return SendOutcome(SendStatus.REJECTED, None, answer.code, message)


def detail_outcome(answer: CaseAnswer | None) -> DetailStatus:
    """What `getEvaluationDetail` says: 200 rated, 500 not rated, anything else (or nothing) unknown."""
    if answer is None:
        return DetailStatus.UNKNOWN
    if answer.code == "200":
        return DetailStatus.RATED
    if answer.code == "500":
        return DetailStatus.NOT_RATED
    return DetailStatus.UNKNOWN


def qr_url(answer: CaseAnswer | None) -> str | None:
    """The QR code's URL from `getSaveEvaluationUrl`: `<data><url>` of a 200 answer, else None (no code)."""
    if answer is None or answer.code != "200":
        return None
    return answer.data.get("url") or None
