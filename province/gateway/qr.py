"""The phone page's URL for `getSaveEvaluationUrl`, made the way a pad makes its QR codes (uplink-api.md
"QR rating"): the hall's qrUrlTemplate filled with the app's deviceId, the 办件 and a token under the app's
device key, valid 7 days from the case's finish (else its acceptance)."""

from __future__ import annotations

import base64
import hashlib
import hmac
from urllib.parse import quote

QR_VALIDITY_S = 604800


def qr_token(key: bytes, project_no: str, expires: int) -> str:
    """`<expires>.<mac>`, mac the first 22 characters of unpadded base64url(HMAC-SHA256(key, "qr\\n" +
    projectNo + "\\n" + expires))."""
    mac = hmac.new(key, f"qr\n{project_no}\n{expires}".encode(), hashlib.sha256).digest()
    return f"{expires}.{base64.urlsafe_b64encode(mac).rstrip(b'=').decode('ascii')[:22]}"


def qr_url(template: str, device_id: str, project_no: str, token: str) -> str:
    """The template with `{deviceId}`, `{projectNo}` and `{token}` filled in, each URL-quoted."""
    return (
        template.replace("{deviceId}", quote(device_id, safe=""))
        .replace("{projectNo}", quote(project_no, safe=""))
        .replace("{token}", quote(token, safe=""))
    )
