"""The QR rating token, made offline with the device's key (uplink-api.md "QR rating")."""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import datetime
from urllib.parse import quote

QR_VALIDITY_S = 604800  # 7 days


def qr_token(key: bytes, project_no: str, window_start: datetime) -> str:
    """`<expires>.<mac>`: expires is the window start plus 7 days in unix seconds, mac the first 22
    characters of unpadded base64url(HMAC-SHA256(key, "qr\\n" + projectNo + "\\n" + expires))."""
    expires = int(window_start.timestamp()) + QR_VALIDITY_S
    mac = hmac.new(key, f"qr\n{project_no}\n{expires}".encode(), hashlib.sha256).digest()
    return f"{expires}.{base64.urlsafe_b64encode(mac).rstrip(b'=').decode()[:22]}"


def qr_url(template: str, device_id: str, project_no: str, token: str) -> str:
    """Fills `{deviceId}`, `{projectNo}` and `{token}` in the province's template, URL-quoted."""
    return (
        template.replace("{deviceId}", quote(device_id, safe=""))
        .replace("{projectNo}", quote(project_no, safe=""))
        .replace("{token}", quote(token, safe=""))
    )
