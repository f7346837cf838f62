"""`DIR/hall.json` (province-fujian.md "Hall data"): the shape of the JSON uplink's configuration, checked
strictly, every error naming its field; and the operator guide's example is a file the pad takes."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.resources import shipped_reasons
from kiosk.sync.hall_file import HallFileError, check_hall, parse_hall, read_hall_file
from tests.docs.markdown import DOCS, blocks_under

PNG = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\0" * 16).decode()

HALL: dict[str, Any] = {
    "hall": {"code": "350102-ZWFW", "name": "鼓楼区政务服务中心", "areaCode": "350102"},
    "window": {"no": "A07", "deptCode": "11350102003622411H", "deptName": "鼓楼区市场监督管理局"},
    "staff": [
        {"staffId": "S1024", "name": "林晓", "title": "综合窗口受理员", "photo": PNG},
        {"staffId": "S1025", "name": "陈静"},
    ],
    "reasons": {
        "version": "fj-2026",
        "levels": {
            "5": [{"code": "510", "text": "一窗受理一次办结"}],
            "2": [{"code": "207", "text": "没有提供材料样本"}],
        },
    },
    "notices": [
        {"id": "N1", "title": "办事指南", "body": "……", "from": "2026-01-01", "until": "2026-12-31"},
    ],
    "settings": {"rateTimeoutS": 45},
}


def test_a_whole_file_is_read_as_the_provinces_configuration(tmp_path: Path) -> None:
    path = tmp_path / "hall.json"
    path.write_text(json.dumps(HALL, ensure_ascii=False), encoding="utf-8-sig")  # a BOM is allowed
    hall = read_hall_file(path, shipped_reasons())
    assert hall is not None
    assert hall.placement.hall_name == "鼓楼区政务服务中心" and hall.placement.window_no == "A07"
    assert [s.staff_id for s in hall.placement.staff] == ["S1024", "S1025"]
    assert hall.placement.staff[0].photo_png.startswith(b"\x89PNG")
    assert hall.reasons is not None and [r.code for r in hall.reasons.offered(5)] == ["510"]
    assert hall.reasons.reasons["510"].en  # the shipped English text fills in
    assert [n.notice_id for n in hall.notices] == ["N1"]
    assert hall.settings.rate_timeout_s == 45


def test_no_file_is_none(tmp_path: Path) -> None:
    assert read_hall_file(tmp_path / "hall.json") is None


def _with(path: str, value: Any) -> dict[str, Any]:
    """HALL with one field set (`staff.1.staffId`), or taken out (value ...)."""
    document = json.loads(json.dumps(HALL))
    *parents, last = path.split(".")
    here: Any = document
    for part in parents:
        here = here[int(part)] if isinstance(here, list) else here[part]
    if value is ...:
        del here[last]
    elif isinstance(here, list):
        here[int(last)] = value
    else:
        here[last] = value
    return document


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (("staff.1.staffId", ""), "staff[1].staffId", "must not be empty"),
        (("staff.1.staffId", "S1024"), "staff[1].staffId", "is listed twice"),
        (("staff.0.photo", "aGVsbG8="), "staff[0].photo", "must be a base64 PNG"),
        (("staff.0.badge", "x"), "staff[0].badge", "unknown field"),
        (("hall.areaCode", "3501"), "hall.areaCode", "must be 6 or 9 digits"),
        (("window", []), "window", "must be an object"),
        (("reasons.levels.5.0.code", "410"), "reasons.levels.5[0].code", "does not belong to level 5"),
        (("reasons.levels.6", []), "reasons.levels.6", "unknown field"),
        (("reasons.levels.2.0.text", ...), "reasons.levels.2[0].text", "is missing"),
        (("notices.0.until", "2025-12-31"), "notices[0].until", "is before `from`"),
        (("notices.0.from", "soon"), "notices[0].from", "must be a date"),
        (("settings.rateTimeoutS", 0), "settings.rateTimeoutS", "must be a whole number from 5 to 3600"),
        (("settings.rateTimeOutS", 60), "settings.rateTimeOutS", "unknown field"),
        (("heartbeat", 60), "heartbeat", "unknown field"),
    ],
)
def test_each_error_names_its_field(change: tuple[str, Any], field: str, message: str) -> None:
    with pytest.raises(HallFileError) as raised:
        check_hall(_with(*change))
    assert raised.value.field == field
    assert str(raised.value).startswith(f"{field}: {message}")


def test_what_is_not_json_is_said_so() -> None:
    for data, message in ((b"\xff\xfe", "not UTF-8"), (b"{", "not JSON"), (b"[]", "must be an object")):
        with pytest.raises(HallFileError, match=message):
            parse_hall(data)


_json = st.recursive(
    st.none() | st.booleans() | st.integers(-10, 10**6) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)
_FIELD = re.compile(r'^(?:[A-Za-z0-9_]+|\[".*"\])?(?:\[\d+\]|\.[A-Za-z0-9_]+|\[".*"\])*$')


@given(path=st.sampled_from(["hall", "window", "staff", "reasons", "notices", "settings", "certTypes",
                             "staff.0", "staff.0.name", "reasons.levels", "reasons.levels.5",
                             "notices.0", "notices.0.title", "settings.rateTimeoutS"]),
       value=_json)  # fmt: skip
def test_any_value_anywhere_is_taken_or_refused_naming_a_field(path: str, value: Any) -> None:
    try:
        document = _with(path, value)
    except (KeyError, IndexError, TypeError):
        return
    refused: HallFileError | None = None
    try:
        config = parse_hall(json.dumps(document).encode())
    except HallFileError as exc:
        refused = exc
    else:
        assert config.placement is not None
        return
    # Refused: never an exception of another kind, always a field within the file's shape.
    assert _FIELD.match(refused.field), refused.field
    top = path.partition(".")[0]
    assert refused.field == "" or refused.field.startswith(top) or refused.field in document


def test_the_operator_guides_example_is_a_file_the_pad_takes() -> None:
    (example,) = blocks_under(DOCS / "operator-guide.md", "The hall file", "json")
    hall = parse_hall(example.text.encode("utf-8"), shipped_reasons())
    assert hall.placement.window_no and hall.placement.staff
