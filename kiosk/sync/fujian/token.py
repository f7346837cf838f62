"""The gateway's token (province-fujian.md "Token").

`GET {gateway}/get-token?app_key=…&timestamp=MS&sign=…`, sign being the lowercase hex MD5 of app_code + MS.
The answer's `expires_in` is absolute milliseconds when greater than 10^12, else seconds from now; the pad
keeps a token until 60 s before it expires. A call answered HTTP 400 with `x-error-code:
access_token_invalid` found its token expired early: the pad fetches another and repeats that call once.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

ABSOLUTE_MS_ABOVE = 10**12
KEEP_UNTIL_BEFORE_S = 60.0
ERROR_CODE_HEADER = "x-error-code"
REJECTION_CODE = "access_token_invalid"


class TokenAnswerError(ValueError):
    """The token call's answer has no usable access_token and expires_in."""


def token_sign(app_code: str, ms: int) -> str:
    """The token call's sign: lowercase hex MD5 of app_code followed by the 13-digit milliseconds."""
    return hashlib.md5(f"{app_code}{ms}".encode(), usedforsecurity=False).hexdigest()


def token_url(gateway: str, app_key: str, app_code: str, ms: int) -> str:
    """The token call's URL, signed for the time `ms` (Unix milliseconds).

    Args:
        gateway: the gateway's base URL, e.g. `http://HOST:71/api-gateway/gateway`.
        app_key: the app's key.
        app_code: the app's secret (it only signs; it is not in the URL).
        ms: now, in Unix milliseconds.
    """
    query = urlencode({"app_key": app_key, "timestamp": str(ms), "sign": token_sign(app_code, ms)})
    return f"{gateway.rstrip('/')}/get-token?{query}"


@dataclass(frozen=True)
class Token:
    """An access token and when it expires.

    Attributes:
        access_token: what the calls carry as `Authorization: Basic …`.
        expires_at: Unix seconds.
    """

    access_token: str
    expires_at: float

    def usable(self, now: float) -> bool:
        """Whether to use the token at `now` (Unix seconds): until 60 s before it expires."""
        return now < self.expires_at - KEEP_UNTIL_BEFORE_S

    def __repr__(self) -> str:  # the token is a credential: never in a log line
        return f"Token(expires_at={self.expires_at!r})"


def expires_at(expires_in: float, now: float) -> float:
    """When a token expires, in Unix seconds, from its `expires_in` and the time it was received."""
    if expires_in > ABSOLUTE_MS_ABOVE:
        return expires_in / 1000.0
    return now + expires_in


def parse_token_answer(body: bytes, now: float) -> Token:
    """Reads the token call's JSON answer.

    Args:
        body: the answer's body.
        now: when it was received, Unix seconds.

    Raises:
        TokenAnswerError: when the body is not a JSON object with a non-empty string `access_token` and a
            finite, positive number `expires_in` (a numeric string is taken too).
    """
    try:
        data: Any = json.loads(body)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise TokenAnswerError("the token answer is not JSON") from None
    if not isinstance(data, Mapping):
        raise TokenAnswerError("the token answer is not a JSON object")
    access_token = data.get("access_token")
    if not isinstance(access_token, str) or not access_token.strip():
        raise TokenAnswerError("the token answer has no access_token")
    expires_in = _number(data.get("expires_in"))
    if expires_in is None or expires_in <= 0:
        raise TokenAnswerError("the token answer has no positive expires_in")
    return Token(access_token.strip(), expires_at(expires_in, now))


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            return None
    if not isinstance(value, int | float) or not math.isfinite(value):
        return None
    return float(value)


def is_token_rejected(status: int, headers: Mapping[str, str]) -> bool:
    """Whether an answer says the call's token is no longer valid (HTTP 400, `x-error-code:
    access_token_invalid`).

    Args:
        status: the HTTP status.
        headers: the answer's headers, looked up case-insensitively (requests' and Starlette's are).
    """
    return status == 400 and headers.get(ERROR_CODE_HEADER, "").strip().lower() == REJECTION_CODE
