"""A device's configuration answer (`GET /devices/{deviceId}/config`) and its version.

The version is a digest of the answer's content, so it changes exactly when something a pad would show or use
changes, and serves as the ETag.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Sequence
from typing import Any

from province.catalogue import Catalogue
from province.halls import StaffMember, WindowPlace
from province.notices import Notice, notices_json


def qr_url_template(public_url: str) -> str:
    """The URL template of the sandbox's own phone page (`province.pages`), at the sandbox's address.

    Args:
        public_url: the service's scheme, host and port, e.g. `http://127.0.0.1:8700`.
    """
    return public_url.rstrip("/") + "/m/evaluate?d={deviceId}&p={projectNo}&t={token}"


def _staff_json(member: StaffMember) -> dict[str, str]:
    answer = {"staffId": member.staff_id, "name": member.name, "title": member.title}
    if member.photo_png:
        answer["photo"] = base64.b64encode(member.photo_png).decode("ascii")
    return answer


def device_config(
    place: WindowPlace,
    staff: list[StaffMember],
    settings: dict[str, Any],
    catalogue: Catalogue,
    public_url: str,
    notices: Sequence[Notice] = (),
) -> dict[str, Any]:
    """The config answer for a device at a window, `configVersion` first.

    Args:
        place: the device's window, hall and department.
        staff: the window's roster.
        settings: the hall's settings (rateTimeoutS, defaultAfterDays, heartbeatS, and qrUrlTemplate if set).
        catalogue: the reason codes and certificate types in force.
        public_url: the service's own scheme, host and port, for the default qrUrlTemplate.
        notices: the hall's public notices; their content is part of the version like everything else.
    """
    content = {
        "hall": {"code": place.hall_code, "name": place.hall_name, "areaCode": place.area_code},
        "window": {"no": place.window_no, "deptCode": place.dept_code, "deptName": place.dept_name},
        "staff": [_staff_json(member) for member in staff],
        "reasons": catalogue.reasons_json(),
        "certTypes": catalogue.cert_types_json(),
        "settings": {
            "rateTimeoutS": settings["rateTimeoutS"],
            "defaultAfterDays": settings["defaultAfterDays"],
            "qrUrlTemplate": settings.get("qrUrlTemplate") or qr_url_template(public_url),
            "heartbeatS": settings["heartbeatS"],
        },
        "notices": notices_json(notices),
    }
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return {"configVersion": hashlib.sha256(canonical).hexdigest()[:16], **content}


def etag(config_version: str) -> str:
    """The strong ETag of a config version."""
    return f'"{config_version}"'


def etag_matches(if_none_match: str | None, config_version: str) -> bool:
    """Whether an If-None-Match header names this version (weak or strong, or `*`)."""
    if not if_none_match:
        return False
    tags = [tag.strip() for tag in if_none_match.split(",")]
    return any(tag == "*" or tag.removeprefix("W/") == etag(config_version) for tag in tags)
