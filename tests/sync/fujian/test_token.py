"""The token call: its sign and URL, its answer, how long a token is kept, and a rejection."""

from __future__ import annotations

import contextlib
import json
from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st
from requests.structures import CaseInsensitiveDict

from kiosk.sync.fujian.token import (
    Token,
    TokenAnswerError,
    is_token_rejected,
    parse_token_answer,
    token_sign,
    token_url,
)

NOW = 1795000000.0


def test_the_url_carries_key_time_and_sign() -> None:
    url = token_url("http://gw.example:71/api-gateway/gateway/", "KEY 1", "sandbox-app-code", 1795000000000)
    parts = urlsplit(url)

    assert parts.path == "/api-gateway/gateway/get-token"
    assert parse_qs(parts.query) == {
        "app_key": ["KEY 1"],
        "timestamp": ["1795000000000"],
        "sign": ["c04831948516aa293b86a9790c3fe651"],
    }
    assert "sandbox-app-code" not in url


def test_the_sign_is_lowercase_md5_hex() -> None:
    sign = token_sign("应用", 1)
    assert len(sign) == 32
    assert sign == sign.lower()


def _answer(**fields: object) -> bytes:
    return json.dumps({"refresh_token": "r", "re_expires_in": 86400, **fields}).encode()


def test_expires_in_counts_seconds() -> None:
    token = parse_token_answer(_answer(access_token="t1", expires_in=7200), NOW)
    assert token == Token("t1", NOW + 7200)


def test_expires_in_above_10_to_the_12_is_absolute_milliseconds() -> None:
    token = parse_token_answer(_answer(access_token="t1", expires_in=1795007200000), NOW)
    assert token.expires_at == 1795007200.0


def test_10_to_the_12_itself_still_counts_seconds() -> None:
    assert parse_token_answer(_answer(access_token="t", expires_in=10**12), 0).expires_at == 10**12


def test_a_numeric_string_is_taken() -> None:
    assert parse_token_answer(_answer(access_token="t", expires_in="7200"), NOW).expires_at == NOW + 7200


def test_a_token_is_kept_until_60_s_before_it_expires() -> None:
    token = Token("t", NOW + 7200)
    assert token.usable(NOW)
    assert token.usable(NOW + 7139.9)
    assert not token.usable(NOW + 7140)


def test_the_token_stays_out_of_its_repr() -> None:
    assert "secret-token" not in repr(Token("secret-token", NOW))


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"<html>bad gateway</html>",
        b"[]",
        _answer(expires_in=7200),
        _answer(access_token="", expires_in=7200),
        _answer(access_token=5, expires_in=7200),
        _answer(access_token="t"),
        _answer(access_token="t", expires_in=0),
        _answer(access_token="t", expires_in=-5),
        _answer(access_token="t", expires_in=True),
        _answer(access_token="t", expires_in="soon"),
        b'{"access_token": "t", "expires_in": NaN}',
        b'{"access_token": "t", "expires_in": Infinity}',
    ],
)
def test_an_unusable_answer_says_so(body: bytes) -> None:
    with pytest.raises(TokenAnswerError):
        parse_token_answer(body, NOW)


@given(st.binary())
def test_any_bytes_give_a_token_or_the_one_error(body: bytes) -> None:
    with contextlib.suppress(TokenAnswerError):
        parse_token_answer(body, NOW)


def test_a_rejection_is_400_with_the_error_code_header() -> None:
    assert is_token_rejected(400, CaseInsensitiveDict({"X-Error-Code": "access_token_invalid"}))
    assert is_token_rejected(400, {"x-error-code": " ACCESS_TOKEN_INVALID "})
    assert not is_token_rejected(401, {"x-error-code": "access_token_invalid"})
    assert not is_token_rejected(400, {"x-error-code": "other"})
    assert not is_token_rejected(400, {})
