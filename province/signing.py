"""Request signatures (uplink-api.md "Signing"): the canonical string and its HMAC-SHA256.

Everything is built from bytes as they came off the wire: the request-target exactly as sent (percent-encoding
and query string included), the header values, and the raw body. Decoding first would let two different
requests share one signature, or make an honest one fail.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from typing import Any


def body_digest(body: bytes) -> str:
    """The hex SHA-256 of the body bytes (of the empty string for an empty body)."""
    return hashlib.sha256(body).hexdigest()


def canonical_request(method: bytes, target: bytes, timestamp: bytes, nonce: bytes, body: bytes) -> bytes:
    """The five lines the signature covers, joined by `\\n` with no trailing newline.

    Args:
        method: the HTTP method, e.g. `b"POST"`.
        target: the request-target as sent: path and query string, percent-encoding included.
        timestamp: the `X-HCP-Timestamp` header value.
        nonce: the `X-HCP-Nonce` header value.
        body: the raw request body.
    """
    return b"\n".join((method, target, timestamp, nonce, body_digest(body).encode("ascii")))


def sign(key: bytes, canonical: bytes) -> str:
    """The hex HMAC-SHA256 of a canonical request under a device key."""
    return hmac.new(key, canonical, hashlib.sha256).hexdigest()


def signature_matches(key: bytes, canonical: bytes, signature: str) -> bool:
    """Whether `signature` (hex, either case) is the device's signature of `canonical`, in constant time."""
    # compare_digest refuses non-ASCII text, and no hex digest has any.
    return signature.isascii() and hmac.compare_digest(sign(key, canonical), signature.lower())


def request_target(scope: Mapping[str, Any]) -> bytes:
    """The request-target as the client sent it, from an ASGI scope.

    The ASGI server keeps the undecoded path in `raw_path` and the query string apart; the decoded `path`
    would lose the percent-encoding that the client signed.
    """
    raw_path = scope.get("raw_path")
    path: bytes = raw_path if isinstance(raw_path, bytes) else scope["path"].encode("utf-8")
    query: bytes = scope.get("query_string", b"")
    return path + b"?" + query if query else path
