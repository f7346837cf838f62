"""`DIR/hall.json`: the hall data a province without a configuration call leaves to the installer
(province-fujian.md "Hall data"): the hall, the window, the staff roster, the reasons, the notices and the
settings, in the shape of the JSON uplink's configuration answer (uplink-api.md `config`).

The province's answer is read leniently (what is malformed is left out); a file a person wrote is checked
strictly instead, so that a typing mistake is found at start or on import, with the field named
(`staff[1].staffId`), and never becomes a roster without the staff member in it.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

from kiosk.domain.reasons import ReasonCatalogue
from kiosk.sync.province_config import ProvinceConfig, parse_config

HALL_FILE = "hall.json"
MAX_BYTES = 8 * 1024 * 1024  # staff photos and notice images are base64 PNGs; a hall's file stays well below

_TOP = ("configVersion", "hall", "window", "staff", "reasons", "certTypes", "notices", "settings")
_AREA_CODE = re.compile(r"(?:[0-9]{6}|[0-9]{9})?")
_REASON_CODE = re.compile(r"[1-5][0-9]{2}")
_SETTING_RANGES = {
    "rateTimeoutS": (5, 3600),
    "defaultAfterDays": (1, 365),
    "heartbeatS": (1, 3600),
}


class HallFileError(ValueError):
    """A hall file that cannot be used; `field` names where (e.g. `staff[1].staffId`), "" for the whole."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}" if field else message)
        self.field = field


def read_hall_file(path: Path, english: ReasonCatalogue | None = None) -> ProvinceConfig | None:
    """The hall data in a file, or None when there is no file.

    Args:
        path: the file (`DIR/hall.json`, or a file on a USB stick being imported).
        english: the shipped reason catalogue, whose English texts fill in the file's Chinese ones.

    Raises:
        HallFileError: when the file cannot be read, is not JSON, or fails a check (the field named).
    """
    try:
        if path.stat().st_size > MAX_BYTES:
            raise HallFileError("", f"{path.name} is larger than {MAX_BYTES // 1024 // 1024} MiB")
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise HallFileError("", f"{path} cannot be read: {exc.strerror}") from None
    return parse_hall(data, english)


def parse_hall(data: bytes, english: ReasonCatalogue | None = None) -> ProvinceConfig:
    """Checks a hall file's bytes (UTF-8 JSON, a byte-order mark allowed) and reads them.

    Raises:
        HallFileError: naming the first field at fault.
    """
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise HallFileError("", "the file is not UTF-8") from None
    except (ValueError, RecursionError) as exc:
        raise HallFileError("", f"the file is not JSON: {exc}") from None
    check_hall(document)
    return parse_config(document, english)


def check_hall(document: Any) -> None:
    """The strict checks of a hall file's document.

    Raises:
        HallFileError: naming the first field at fault.
    """
    top = _object(document, "", _TOP)
    if "configVersion" in top:
        _string(top["configVersion"], "configVersion")
    if "hall" in top:
        hall = _object(top["hall"], "hall", ("code", "name", "areaCode"))
        for key in ("code", "name"):
            _string(hall.get(key, ""), f"hall.{key}")
        _string(hall.get("areaCode", ""), "hall.areaCode", _AREA_CODE, "6 or 9 digits")
    if "window" in top:
        window = _object(top["window"], "window", ("no", "deptCode", "deptName"))
        for key in ("no", "deptCode", "deptName"):
            _string(window.get(key, ""), f"window.{key}")
    _list(top.get("staff", []), "staff", _staff_member)
    if "reasons" in top:
        _reasons(top["reasons"])
    _list(top.get("certTypes", []), "certTypes", _cert_type)
    _list(top.get("notices", []), "notices", _notice)
    if "settings" in top:
        _settings(top["settings"])


# -- the parts -------------------------------------------------------------------------------------------


def _staff_member(item: Any, where: str, seen: set[str]) -> None:
    member = _object(item, where, ("staffId", "name", "title", "photo"))
    staff_id = _string(member.get("staffId"), f"{where}.staffId", required=True)
    if staff_id in seen:
        raise HallFileError(f"{where}.staffId", f"is listed twice ({staff_id})")
    seen.add(staff_id)
    _string(member.get("name", ""), f"{where}.name")
    _string(member.get("title", ""), f"{where}.title")
    if "photo" in member:
        _png(member["photo"], f"{where}.photo")


def _cert_type(item: Any, where: str, seen: set[str]) -> None:
    entry = _object(item, where, ("code", "name"))
    code = _string(entry.get("code"), f"{where}.code", required=True)
    if code in seen:
        raise HallFileError(f"{where}.code", f"is listed twice ({code})")
    seen.add(code)
    _string(entry.get("name", ""), f"{where}.name")


def _notice(item: Any, where: str, seen: set[str]) -> None:
    notice = _object(item, where, ("id", "title", "body", "image", "from", "until"))
    notice_id = _string(notice.get("id"), f"{where}.id", required=True)
    if notice_id in seen:
        raise HallFileError(f"{where}.id", f"is listed twice ({notice_id})")
    seen.add(notice_id)
    _string(notice.get("title"), f"{where}.title", required=True)
    _string(notice.get("body", ""), f"{where}.body")
    first = _date(notice.get("from"), f"{where}.from")
    last = _date(notice.get("until"), f"{where}.until")
    if last < first:
        raise HallFileError(f"{where}.until", "is before `from`")
    if "image" in notice:
        _png(notice["image"], f"{where}.image")


def _reasons(value: Any) -> None:
    reasons = _object(value, "reasons", ("version", "levels"))
    _string(reasons.get("version", ""), "reasons.version")
    levels = _object(reasons.get("levels"), "reasons.levels", ("1", "2", "3", "4", "5"), required=True)
    seen: set[str] = set()
    for level, items in levels.items():

        def reason(item: Any, where: str, _seen: set[str], level: str = level) -> None:
            entry = _object(item, where, ("code", "text", "en", "retired"))
            code = _string(entry.get("code"), f"{where}.code", _REASON_CODE, "3 digits", required=True)
            if code[0] != level:
                raise HallFileError(f"{where}.code", f"does not belong to level {level} ({code})")
            if code in seen:
                raise HallFileError(f"{where}.code", f"is listed twice ({code})")
            seen.add(code)
            _string(entry.get("text"), f"{where}.text", required=True)
            _string(entry.get("en", ""), f"{where}.en")
            if not isinstance(entry.get("retired", False), bool):
                raise HallFileError(f"{where}.retired", "must be true or false")

        _list(items, f"reasons.levels.{level}", reason)


def _settings(value: Any) -> None:
    settings = _object(value, "settings", (*_SETTING_RANGES, "qrUrlTemplate"))
    for key, (low, high) in _SETTING_RANGES.items():
        if key not in settings:
            continue
        number = settings[key]
        if isinstance(number, bool) or not isinstance(number, int) or not low <= number <= high:
            raise HallFileError(f"settings.{key}", f"must be a whole number from {low} to {high}")
    if "qrUrlTemplate" in settings:
        _string(settings["qrUrlTemplate"], "settings.qrUrlTemplate")


# -- the checks ------------------------------------------------------------------------------------------


def _object(value: Any, where: str, keys: tuple[str, ...], *, required: bool = False) -> Mapping[str, Any]:
    if value is None and not required:
        value = {}
    if not isinstance(value, dict):
        raise HallFileError(where, "must be an object ({…})")
    for key in value:
        if key not in keys:
            raise HallFileError(_member(where, key), f"unknown field (known: {', '.join(keys)})")
    return value


def _member(where: str, key: str) -> str:
    """A member's name as the errors write it: `staff[0].photo`, or `hall["a b"]` for a key that is no word."""
    if re.fullmatch(r"[A-Za-z0-9_]+", key):
        return f"{where}.{key}" if where else key
    return f"{where}[{json.dumps(key, ensure_ascii=False)}]"


def _list(value: Any, where: str, check: Callable[[Any, str, set[str]], None]) -> None:
    if not isinstance(value, list):
        raise HallFileError(where, "must be a list ([…])")
    seen: set[str] = set()
    for index, item in enumerate(value):
        check(item, f"{where}[{index}]", seen)


def _string(
    value: Any, where: str, pattern: re.Pattern[str] | None = None, what: str = "", *, required: bool = False
) -> str:
    if not isinstance(value, str):
        raise HallFileError(where, "must be a string" if value is not None else "is missing")
    if required and not value.strip():
        raise HallFileError(where, "must not be empty")
    if pattern is not None and not pattern.fullmatch(value):
        raise HallFileError(where, f"must be {what}")
    return value


def _date(value: Any, where: str) -> date:
    text = _string(value, where, required=True)
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise HallFileError(where, "must be a date, e.g. 2026-12-01") from None


def _png(value: Any, where: str) -> None:
    text = _string(value, where)
    try:
        data = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise HallFileError(where, "must be a base64 PNG") from None
    if not data.startswith(b"\x89PNG\r\n\x1a\n"):
        raise HallFileError(where, "must be a base64 PNG")
