"""A resident ID card as a self-service terminal reads it, and the rules that refuse one (idcard-reader.md §1).

What a card holds is personal data (rules.md R3): it lives in memory only while the citizen is at the
terminal, and its repr, like every display of it, is masked.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import date, datetime

from kiosk.domain.clock import CHINA_TIME
from kiosk.domain.masking import mask_cert_no, mask_name
from kiosk.domain.validation import is_valid_resident_id

LONG_TERM = "长期"  # validTo of a card that does not expire
_DATE = re.compile(r"[0-9]{8}\Z")


class CardRefusal(enum.StrEnum):
    """Why a card laid on the reader finds no cases; the screen says why, and nothing is looked up."""

    EXPIRED = "expired"  # validTo before today
    BAD_CHECK_DIGIT = "bad_check_digit"  # the ID number fails its GB 11643 check character
    UNKNOWN_CARD_TYPE = "unknown_card_type"  # reader status 40, or a card that is not a resident ID card
    UNREADABLE = "unreadable"  # selecting or reading failed (81, 41), or the card's text is malformed
    NOT_AUTHENTIC = "not_authentic"  # the reader could not authenticate the card (31-33)
    READER_ERROR = "reader_error"  # the reader or its SAM failed while a card was on it
    REPEAT = "repeat"  # the same card again within 5 s: already read, nothing to say


@dataclass(frozen=True, repr=False)
class IdCard:
    """The text of a resident ID card, fields trimmed; the photo is never part of it.

    Attributes:
        name: 姓名.
        sex: `1` 男, `2` 女 (GB/T 2261.1).
        nation: two digits of GB 3304.
        birth: YYYYMMDD.
        address: 住址.
        cert_no: the 18-character ID number (GB 11643).
        issuer: 签发机关.
        valid_from: YYYYMMDD.
        valid_to: YYYYMMDD, or 长期.
    """

    name: str
    sex: str
    nation: str
    birth: str
    address: str
    cert_no: str
    issuer: str
    valid_from: str
    valid_to: str

    def __repr__(self) -> str:
        # A traceback or a debug line must not carry who the citizen is (R3): masked name and number only.
        return (
            f"IdCard(name={mask_name(self.name)!r}, cert_no={mask_cert_no(self.cert_no)!r}, "
            f"sex={self.sex!r}, valid_to={self.valid_to!r})"
        )

    __str__ = __repr__

    def masked(self) -> dict[str, str]:
        """What may be shown or printed of the card: `{"name", "certNo", "sex", "validTo"}`, masked per R3."""
        return {
            "name": mask_name(self.name),
            "certNo": mask_cert_no(self.cert_no),
            "sex": self.sex,
            "validTo": self.valid_to,
        }


def card_date(text: str) -> date | None:
    """A card's YYYYMMDD date, or None when it is not one."""
    if not _DATE.match(text):
        return None
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return None


def china_today(now: datetime) -> date:
    """The civil date in China at an aware time (rules.md R13): a card's last day is a day in Beijing."""
    return now.astimezone(CHINA_TIME).date()


def is_expired(valid_to: str, today: date) -> bool:
    """Whether a card whose validTo is `valid_to` has expired on `today` (its last day still counts).

    Raises:
        ValueError: when valid_to is neither YYYYMMDD nor 长期.
    """
    if valid_to == LONG_TERM:
        return False
    last_day = card_date(valid_to)
    if last_day is None:
        raise ValueError("validTo is neither a date YYYYMMDD nor 长期")
    return last_day < today


def card_refusal(card: IdCard, today: date) -> CardRefusal | None:
    """Why the card must be refused, or None when its cases may be looked up.

    A malformed text (a date that is none, an empty name) is unreadable; then a number failing its check
    character; then expiry.

    Args:
        card: the card as read.
        today: the civil date in China (china_today).
    """
    if not card.name or card_date(card.valid_from) is None:
        return CardRefusal.UNREADABLE
    if card.valid_to != LONG_TERM and card_date(card.valid_to) is None:
        return CardRefusal.UNREADABLE
    if not is_valid_resident_id(card.cert_no):
        return CardRefusal.BAD_CHECK_DIGIT
    if is_expired(card.valid_to, today):
        return CardRefusal.EXPIRED
    return None
