"""Scanned and typed codes: a projectNo, or a URL carrying one as `p` (idcard-reader.md §2)."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.domain.casecode import parse_case_code

PROJECT_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
project_nos = st.text(alphabet=PROJECT_CHARS, min_size=1, max_size=50)


@pytest.mark.parametrize(
    ("code", "project_no"),
    [
        ("35010220261127000123", "35010220261127000123"),
        ("  35010220261127000123 ", "35010220261127000123"),
        ("FJ-2026_001", "FJ-2026_001"),
        (
            "https://hcp.example.gov.cn/m/evaluate?d=P-ABC&p=35010220261127000123&t=1796347840.Po-mTSDtWwGXwT9fdmP9xn",
            "35010220261127000123",
        ),
        ("http://127.0.0.1:8700/m/evaluate?p=A1", "A1"),
        ("HTTPS://hcp.example.gov.cn/m?p=A%2D1", "A-1"),
    ],
)
def test_case_numbers(code: str, project_no: str) -> None:
    assert parse_case_code(code) == project_no


@pytest.mark.parametrize(
    "code",
    [
        "",
        "   ",
        "A" * 51,
        "3501 0220",
        "办件123",
        "https://hcp.example.gov.cn/m/evaluate?d=P-ABC",
        "https://hcp.example.gov.cn/m/evaluate?p=",
        "https://hcp.example.gov.cn/m/evaluate?p=A1&p=B2",
        "https://hcp.example.gov.cn/m/evaluate?p=A%201",
        "ftp://hcp.example.gov.cn/?p=A1",
        "https:///m?p=A1",
        "https://[::1/m?p=A1",
        "WIFI:S:hall;T:WPA;P:secret;;",
        "https://hcp.example.gov.cn/m/evaluate?p=" + "A" * 51,
        "https://x.example/?p=A1" + "&q=1" * 600,
    ],
)
def test_not_case_numbers(code: str) -> None:
    assert parse_case_code(code) is None


@given(project_nos, st.text(alphabet=" ", max_size=3), st.text(alphabet=" ", max_size=3))
def test_a_project_no_with_spaces_around(project_no: str, before: str, after: str) -> None:
    assert parse_case_code(before + project_no + after) == project_no


@given(project_nos, st.dictionaries(st.sampled_from("dtqx"), st.text(max_size=20), max_size=3))
def test_a_url_carrying_p(project_no: str, others: dict[str, str]) -> None:
    url = "https://hcp.example.gov.cn/m/evaluate?" + urlencode({**others, "p": project_no})
    assert parse_case_code(url) == project_no


@given(st.text(max_size=300))
def test_anything_is_a_project_no_or_refused(text: str) -> None:
    result = parse_case_code(text)
    assert result is None or (1 <= len(result) <= 50 and set(result) <= set(PROJECT_CHARS))
