"""Request signing (uplink-api.md "Signing")."""

from __future__ import annotations

import hashlib
import hmac
import secrets


def canonical_request(method: str, path: str, timestamp: int, nonce: str, body: bytes) -> str:
    """The five lines METHOD, PATH (with query), TIMESTAMP, NONCE and hex SHA-256 of the body."""
    return "\n".join([method.upper(), path, str(timestamp), nonce, hashlib.sha256(body).hexdigest()])


def sign(key: bytes, method: str, path: str, timestamp: int, nonce: str, body: bytes) -> str:
    """Hex HMAC-SHA256 of the canonical request with the device key."""
    message = canonical_request(method, path, timestamp, nonce, body).encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def new_nonce() -> str:
    """32 random hex characters (the spec allows 16-64)."""
    return secrets.token_hex(16)


def signed_headers(
    device_id: str, key: bytes, method: str, path: str, timestamp: int, body: bytes
) -> dict[str, str]:
    """The four X-HCP headers for one request, with a fresh nonce."""
    nonce = new_nonce()
    return {
        "X-HCP-Device": device_id,
        "X-HCP-Timestamp": str(timestamp),
        "X-HCP-Nonce": nonce,
        "X-HCP-Signature": sign(key, method, path, timestamp, nonce, body),
    }
