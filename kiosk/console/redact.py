"""Masking what must never leave the pad in clear (rules.md R3) in text the pad did not write itself.

The pad logs no personal data, but the province's messages (a dead letter's reason) are its own words and
may quote a field; a diagnostics bundle carries log files whole. Whatever looks like a resident ID number, a
unified social credit code or a mobile number is masked as the screens mask it.
"""

from __future__ import annotations

import re

from kiosk.domain.masking import mask_cert_no, mask_mobile

_EDGE_BEFORE = r"(?<![0-9A-Za-z])"
_EDGE_AFTER = r"(?![0-9A-Za-z])"
_RESIDENT_ID = re.compile(_EDGE_BEFORE + r"[0-9]{17}[0-9Xx]" + _EDGE_AFTER)
_CREDIT_CODE = re.compile(
    _EDGE_BEFORE + r"[0-9A-HJ-NP-RTUWXY]{2}[0-9]{6}[0-9A-HJ-NP-RTUWXY]{10}" + _EDGE_AFTER
)
_MOBILE = re.compile(_EDGE_BEFORE + r"(?:\+?86[- ]?)?1[3-9][0-9]{9}" + _EDGE_AFTER)


def redact(text: str) -> str:
    """The text with ID numbers, credit codes and mobile numbers masked (3501**********1238, 138****8000)."""
    text = _RESIDENT_ID.sub(lambda m: mask_cert_no(m.group()), text)
    text = _CREDIT_CODE.sub(lambda m: mask_cert_no(m.group()), text)
    return _MOBILE.sub(lambda m: mask_mobile(m.group()[-11:]), text)
