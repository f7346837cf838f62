"""xmlStr: zero padding to whole blocks, SM4-ECB, Base64; and back."""

from __future__ import annotations

import base64

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.sync.fujian.cipher import CipherError, decrypt_xml_str, encrypt_xml_str, sm4_key

# Text as XML can carry it: no U+0000 (the padding is zero bytes), no lone surrogates (not UTF-8).
xml_text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\0"))
app_codes = st.text(min_size=1, max_size=40)


@given(xml_text, app_codes)
def test_decrypt_undoes_encrypt(text: str, app_code: str) -> None:
    assert decrypt_xml_str(encrypt_xml_str(text, app_code), app_code) == text


@given(xml_text, app_codes)
def test_the_ciphertext_is_the_utf8_rounded_up_to_whole_blocks(text: str, app_code: str) -> None:
    size = len(base64.b64decode(encrypt_xml_str(text, app_code)))
    plain = len(text.encode("utf-8"))

    assert size % 16 == 0
    assert plain <= size < plain + 16  # a length that is already a multiple gets no padding


def test_sixteen_bytes_get_no_padding_block() -> None:
    assert len(base64.b64decode(encrypt_xml_str("0123456789abcdef", "bbbbbbba"))) == 16
    assert len(base64.b64decode(encrypt_xml_str("0123456789abcdef0", "bbbbbbba"))) == 32


def test_the_key_is_sixteen_ascii_hex_digits() -> None:
    key = sm4_key("任何 app_code")
    assert len(key) == 16
    assert key.decode("ascii") == key.decode("ascii").lower()
    int(key, 16)


def test_base64_has_no_line_breaks() -> None:
    assert "\n" not in encrypt_xml_str("x" * 500, "bbbbbbba")


@pytest.mark.parametrize(
    ("xml_str", "complaint"),
    [
        ("not base64!", "not Base64"),
        ("bJXvesF4IG229ks1bzBc", "whole 16-byte blocks"),  # 15 bytes
    ],
)
def test_junk_does_not_decrypt(xml_str: str, complaint: str) -> None:
    with pytest.raises(CipherError, match=complaint):
        decrypt_xml_str(xml_str, "bbbbbbba")


def test_another_app_code_gives_no_utf8() -> None:
    xml_str = encrypt_xml_str("<Case><projectNo>1</projectNo></Case>", "sandbox-app-code")
    with pytest.raises(CipherError, match="UTF-8"):
        decrypt_xml_str(xml_str, "bbbbbbba")
