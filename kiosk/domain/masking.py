"""How personal data shows anywhere a person or a log can read it (rules.md R3).

A name shows as 陈*明 / 陈*, an ID number as 3501**********1238, a phone number as 138****8000.

`redact` masks the numbers in text the pad did not write itself (a province's message, an exception's
text, a log file), since such text may quote a field.
"""

from __future__ import annotations

import re


def mask_name(name: str) -> str:
    """Keeps the first and (for three or more characters) the last character."""
    if len(name) <= 1:
        return "*" * len(name)
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_cert_no(cert_no: str) -> str:
    """Keeps at most four characters at each end, and never more than half of the number."""
    keep = min(4, len(cert_no) // 4)
    if keep == 0:
        return "*" * len(cert_no)
    return cert_no[:keep] + "*" * (len(cert_no) - 2 * keep) + cert_no[-keep:]


def mask_mobile(mobile: str) -> str:
    """Keeps the first three and the last four digits of an 11-digit number; less of a shorter one."""
    if len(mobile) >= 11:
        return mobile[:3] + "*" * (len(mobile) - 7) + mobile[-4:]
    keep = len(mobile) // 4
    return "*" * (len(mobile) - keep) + mobile[len(mobile) - keep :]


# An ID or mobile number is a run of digits not touching another digit, so that one glued to a word
# ("ID350102…") is still found. A card-like run or a credit code must not touch a letter either: a hash, a
# UUID or a "DEMO…" 办件编号 is never taken for one.
_NOT_AFTER_DIGIT, _NOT_BEFORE_DIGIT = r"(?<![0-9])", r"(?![0-9])"
_NOT_AFTER_ALNUM, _NOT_BEFORE_ALNUM = r"(?<![0-9A-Za-z])", r"(?![0-9A-Za-z])"
_RESIDENT_ID = re.compile(_NOT_AFTER_DIGIT + r"[0-9]{17}(?:[0-9](?![0-9])|[Xx](?![0-9A-Za-z]))")
_OLD_RESIDENT_ID = re.compile(_NOT_AFTER_DIGIT + r"[0-9]{15}" + _NOT_BEFORE_DIGIT)  # before 1999
_CREDIT_CODE = re.compile(
    _NOT_AFTER_ALNUM + r"[0-9A-HJ-NP-RTUWXY]{2}[0-9]{6}[0-9A-HJ-NP-RTUWXY]{10}" + _NOT_BEFORE_ALNUM
)
_MOBILE = re.compile(_NOT_AFTER_DIGIT + r"(?:\+?86[- ]?)?1[3-9][0-9]{9}" + _NOT_BEFORE_DIGIT)
# A bank card: 13-19 digits, written whole or in groups of four.
_CARD = re.compile(
    _NOT_AFTER_ALNUM
    + r"(?:[0-9]{13,19}|[0-9]{4}(?:[ -][0-9]{4}){2,3}(?:[ -]?[0-9]{1,3})?)"
    + _NOT_BEFORE_ALNUM
)


def redact(text: str) -> str:
    """The text with ID numbers (18- and 15-digit), credit codes, mobile numbers and bank-card-like digit
    runs masked as the screens mask them (3501**********1238, 138****8000)."""
    text = _RESIDENT_ID.sub(lambda m: mask_cert_no(m.group()), text)
    text = _CREDIT_CODE.sub(lambda m: mask_cert_no(m.group()), text)
    text = _MOBILE.sub(lambda m: mask_mobile(m.group()[-11:]), text)
    text = _OLD_RESIDENT_ID.sub(lambda m: mask_cert_no(m.group()), text)
    return _CARD.sub(lambda m: _mask_digits(m.group()), text)


def _mask_digits(run: str) -> str:
    """A card number keeps at most its first and last four digits; its spaces or dashes stay."""
    digits = [c for c in run if c.isdigit()]
    masked = iter(mask_cert_no("".join(digits)))
    return "".join(next(masked) if c.isdigit() else c for c in run)
