"""The token call's sign: the lowercase hex MD5 of app_code followed by the timestamp, compared in constant
time."""

from __future__ import annotations

import hashlib
import hmac


def token_sign(app_code: str, timestamp: str) -> str:
    """The sign of a token call for this app at this timestamp (13 digits of milliseconds)."""
    return hashlib.md5(f"{app_code}{timestamp}".encode(), usedforsecurity=False).hexdigest()


def token_sign_matches(app_code: str, timestamp: str, sign: str) -> bool:
    """Whether `sign` is the sign of this app at this timestamp (upper-case hex accepted)."""
    return hmac.compare_digest(token_sign(app_code, timestamp).encode(), sign.strip().lower().encode("utf-8"))
