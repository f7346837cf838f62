"""The personal-data scanner finds what it is meant to find (so that a clean scan means something)."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from tests.helpers.people import CHEN_MING_ID
from tests.helpers.scan import scan_for_personal_data


@pytest.mark.parametrize(
    "content",
    [
        f"log line {CHEN_MING_ID} end".encode(),
        f"x{CHEN_MING_ID}".encode("utf-16-le"),
        f"x{CHEN_MING_ID}".encode("utf-16-be"),
        CHEN_MING_ID.encode().hex().encode(),
        base64.b64encode(json.dumps({"certNo": CHEN_MING_ID}).encode()),
        base64.b64encode(b"a" + CHEN_MING_ID.encode() + b"b"),
        base64.b64encode(b"ab" + CHEN_MING_ID.encode()),
    ],
)
def test_a_planted_number_is_found(tmp_path: Path, content: bytes) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "planted.bin").write_bytes(content)
    assert scan_for_personal_data(tmp_path, [CHEN_MING_ID])


def test_a_masked_number_is_not_found(tmp_path: Path) -> None:
    (tmp_path / "log").write_text("3501**********1238", encoding="utf-8")
    assert scan_for_personal_data(tmp_path, [CHEN_MING_ID]) == []
