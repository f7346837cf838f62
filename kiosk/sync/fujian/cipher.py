"""xmlStr: the Case XML as the gateway takes it (province-fujian.md "Sending one rating").

UTF-8, zero bytes up to a multiple of 16 (none when it already is one), SM4 in ECB mode, Base64 without line
breaks. The key is the first 16 characters of the lowercase hex MD5 of app_code, taken as 16 ASCII bytes.
ECB and MD5 are the gateway's choices, not ours: the pad must speak them to be understood.
"""

from __future__ import annotations

import base64
import binascii
import hashlib

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

BLOCK_BYTES = 16


class CipherError(ValueError):
    """An xmlStr that does not decrypt: not Base64, not whole blocks, or not UTF-8 once decrypted."""


def sm4_key(app_code: str) -> bytes:
    """The 16-byte SM4 key of an app: the first 16 hex digits of MD5(app_code), as ASCII."""
    digest = hashlib.md5(app_code.encode("utf-8"), usedforsecurity=False).hexdigest()
    return digest[:BLOCK_BYTES].encode("ascii")


def _cipher(app_code: str) -> Cipher[modes.ECB]:
    return Cipher(algorithms.SM4(sm4_key(app_code)), modes.ECB())  # noqa: S305 (the gateway's mode)


def encrypt_xml_str(text: str, app_code: str) -> str:
    """The xmlStr of a text (the rendered Case XML).

    Args:
        text: the text to send.
        app_code: the app's secret, which gives the key.
    """
    data = text.encode("utf-8")
    data += b"\0" * (-len(data) % BLOCK_BYTES)
    encryptor = _cipher(app_code).encryptor()
    return base64.b64encode(encryptor.update(data) + encryptor.finalize()).decode("ascii")


def decrypt_xml_str(xml_str: str, app_code: str) -> str:
    """The text inside an xmlStr, with the zero bytes of the padding taken off.

    The padding cannot be told from zero bytes at the end of the text itself; XML has none (U+0000 is not
    an XML character), so for what the gateway carries the round trip is exact.

    Raises:
        CipherError: when xmlStr is not Base64 of whole blocks, or does not decrypt to UTF-8.
    """
    try:
        data = base64.b64decode(xml_str.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise CipherError("xmlStr is not Base64") from None
    if len(data) % BLOCK_BYTES:
        raise CipherError(f"xmlStr is not whole {BLOCK_BYTES}-byte blocks ({len(data)} bytes)")
    decryptor = _cipher(app_code).decryptor()
    plain = (decryptor.update(data) + decryptor.finalize()).rstrip(b"\0")
    try:
        return plain.decode("utf-8")
    except UnicodeDecodeError:
        raise CipherError("xmlStr does not decrypt to UTF-8 (another app_code?)") from None
