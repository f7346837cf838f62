"""The QR rating token (uplink-api.md "QR rating"), checked when a phone opens the sandbox's phone page.

A device makes the token offline: `<expires>.<mac>`, expires in unix seconds, mac the first 22 characters of
unpadded base64url(HMAC-SHA256(key, "qr\\n" + projectNo + "\\n" + expires)) with the device's key.
"""

from __future__ import annotations

import base64
import enum
import hashlib
import hmac
import re

MAC_CHARS = 22
_TOKEN = re.compile(r"([0-9]{1,12})\.([A-Za-z0-9_-]{22})\Z")


class TokenVerdict(enum.Enum):
    """What a token says of a rating by phone."""

    VALID = "valid"
    FORGED = "forged"  # malformed, or not made with the device's key for this 办件
    EXPIRED = "expired"  # made with the key, but its 7 days are over


def token_mac(key: bytes, project_no: str, expires: int | str) -> str:
    """The token's mac for a 办件 and an expiry (its digits as the token carries them), as the device
    computes it."""
    digest = hmac.new(key, f"qr\n{project_no}\n{expires}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")[:MAC_CHARS]


def token_expires(token: str) -> int | None:
    """The expiry a well-formed token claims (unix seconds), or None for a malformed one."""
    match = _TOKEN.match(token)
    return int(match.group(1)) if match else None


def check_token(key: bytes, project_no: str, token: str, now: float) -> TokenVerdict:
    """Judges a token: forged unless it is well formed and its mac is the key's; then expired from its
    expiry on (the moment R6's default falls due).

    Args:
        key: the device's 32-byte key.
        project_no: the 办件 the page was opened for.
        token: `<expires>.<mac>` as the URL carried it.
        now: the server's time, unix seconds.
    """
    match = _TOKEN.match(token)
    if match is None:
        return TokenVerdict.FORGED
    # The mac covers the digits exactly as sent: `0179…` is not `179…`.
    if not hmac.compare_digest(token_mac(key, project_no, match.group(1)), match.group(2)):
        return TokenVerdict.FORGED
    return TokenVerdict.EXPIRED if now >= int(match.group(1)) else TokenVerdict.VALID
