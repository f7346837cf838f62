"""The province's configuration answer (`GET /devices/{deviceId}/config`), read into domain terms."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Any

from kiosk.domain.hall import Placement, ProvinceSettings, StaffMember
from kiosk.domain.notices import Notice, parse_notices
from kiosk.domain.reasons import ReasonCatalogue


@dataclass(frozen=True)
class ProvinceConfig:
    version: str
    placement: Placement
    settings: ProvinceSettings
    reasons: ReasonCatalogue | None
    cert_types: dict[str, str]
    notices: tuple[Notice, ...] = ()


def _object(data: dict[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key)
    return value if isinstance(value, dict) else {}


def _positive_int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def parse_config(data: dict[str, Any], english: ReasonCatalogue | None = None) -> ProvinceConfig:
    """Reads the config answer; what is missing or malformed is left out, never guessed.

    Args:
        data: the decoded answer.
        english: the shipped catalogue, whose English texts fill in the province's Chinese-only one.
    """
    hall = _object(data, "hall")
    window = _object(data, "window")
    staff: list[StaffMember] = []
    for item in data.get("staff") or []:
        if not isinstance(item, dict) or not isinstance(item.get("staffId"), str):
            continue
        photo = b""
        if isinstance(item.get("photo"), str):
            try:
                photo = base64.b64decode(item["photo"], validate=True)
            except (binascii.Error, ValueError):
                photo = b""
        staff.append(
            StaffMember(item["staffId"], str(item.get("name", "")), str(item.get("title", "")), photo)
        )
    placement = Placement(
        hall_code=str(hall.get("code", "")),
        hall_name=str(hall.get("name", "")),
        area_code=str(hall.get("areaCode", "")),
        window_no=str(window.get("no", "")),
        dept_code=str(window.get("deptCode", "")),
        dept_name=str(window.get("deptName", "")),
        staff=tuple(staff),
    )
    raw_settings = _object(data, "settings")
    template = raw_settings.get("qrUrlTemplate")
    settings = ProvinceSettings(
        rate_timeout_s=_positive_int(raw_settings.get("rateTimeoutS")),
        default_after_days=_positive_int(raw_settings.get("defaultAfterDays")),
        qr_url_template=template if isinstance(template, str) else None,
        heartbeat_s=_positive_int(raw_settings.get("heartbeatS")),
    )
    reasons: ReasonCatalogue | None = None
    if isinstance(data.get("reasons"), dict):
        try:
            reasons = ReasonCatalogue.from_json(data["reasons"], english)
        except ValueError:
            reasons = None
    cert_types = {
        str(item["code"]): str(item.get("name", ""))
        for item in data.get("certTypes") or []
        if isinstance(item, dict) and isinstance(item.get("code"), str)
    }
    return ProvinceConfig(
        str(data.get("configVersion", "")),
        placement,
        settings,
        reasons,
        cert_types,
        parse_notices(data.get("notices")),
    )
