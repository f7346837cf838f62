"""Check characters and formats of the identifiers a record carries (GB 11643, GB 32100, times, UUIDs)."""

from __future__ import annotations

import functools
import re
from datetime import datetime

# GB 11643-1999: the 17 digits are weighted 2^(17-i) mod 11; the sum mod 11 indexes this table.
_RESIDENT_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_RESIDENT_ID_CHECK = "10X98765432"

# GB 32100-2015: 31 characters (no I, O, S, V, Z), weights 3^i mod 31.
_CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\Z")
_HEX64 = re.compile(r"[0-9a-f]{64}\Z")
_DEVICE_ID = re.compile(r"[A-Za-z0-9-]{1,64}\Z")
_AREA_CODE = re.compile(r"(?:[0-9]{6}|[0-9]{9})\Z")
_MOBILE = re.compile(r"1[0-9]{10}\Z")
# The uplink's one time format: whole seconds and an explicit offset (no `Z`, no fractions).
_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[+-][0-9]{2}:[0-9]{2}\Z")

ZERO_HASH = "0" * 64


# Cached: a window's records repeat its department's code, and an applicant's number recurs; the checks are
# a sizeable share of the time the province spends on a batch.
@functools.lru_cache(maxsize=4096)
def is_resident_id(cert_no: str) -> bool:
    """Whether `cert_no` is a GB 11643 citizen ID number with the right check character.

    Args:
        cert_no: 17 digits and a check character (`X` in either case).

    Returns:
        True when the format and the check character are right.
    """
    if len(cert_no) != 18 or not cert_no[:17].isascii() or not cert_no[:17].isdigit():
        return False
    total = sum(int(digit) * weight for digit, weight in zip(cert_no[:17], _RESIDENT_ID_WEIGHTS, strict=True))
    return _RESIDENT_ID_CHECK[total % 11] == cert_no[17].upper()


def credit_code_check(first17: str) -> str:
    """The GB 32100 check character of the first 17 characters of a unified social credit code.

    Args:
        first17: 17 characters of the GB 32100 alphabet.

    Raises:
        ValueError: when a character is outside the alphabet.
    """
    total = sum(
        _CREDIT_ALPHABET.index(char) * weight for char, weight in zip(first17, _CREDIT_WEIGHTS, strict=True)
    )
    return _CREDIT_ALPHABET[(31 - total % 31) % 31]


@functools.lru_cache(maxsize=4096)
def is_credit_code(code: str) -> bool:
    """Whether `code` is an 18-character unified social credit code with the right check character."""
    if len(code) != 18 or any(char not in _CREDIT_ALPHABET for char in code):
        return False
    return credit_code_check(code[:17]) == code[17]


def is_uuid(text: str) -> bool:
    """Whether `text` is a UUID in its 8-4-4-4-12 hex form."""
    return _UUID.match(text) is not None


def is_hash(text: str) -> bool:
    """Whether `text` is a SHA-256 digest as 64 lowercase hex characters."""
    return _HEX64.match(text) is not None


def is_device_id(text: str) -> bool:
    """Whether `text` is a device id: 1-64 characters of `[A-Za-z0-9-]`."""
    return _DEVICE_ID.match(text) is not None


def is_area_code(text: str) -> bool:
    """Whether `text` is a 行政区划 code of 6 or 9 digits."""
    return _AREA_CODE.match(text) is not None


def is_mobile(text: str) -> bool:
    """Whether `text` is an 11-digit mainland mobile number."""
    return _MOBILE.match(text) is not None


def parse_time(text: str) -> datetime | None:
    """An uplink time (`YYYY-MM-DDThh:mm:ss±hh:mm`) as an aware datetime, or None when malformed."""
    if _TIME.match(text) is None:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:  # 2026-02-30 and the like: the right shape, not a date
        return None
