"""Keys and encryption of personal data at rest (rules.md R3).

One random 32-byte master key lives in `DIR/secrets/master.key` (directory 0700, file 0600), made at first
start. Purpose keys are derived from it with HKDF, so that the AES-GCM key that encrypts names, ID and phone
numbers is never the HMAC key that makes the look-up hash of an ID number.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from collections.abc import Mapping
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from kiosk.files import write_atomically
from kiosk.store.errors import LedgerError

MASTER_KEY_FILE = "master.key"
_NONCE_LEN = 12
# As json.dumps(fields, ensure_ascii=False) writes them, with the encoder made once, not at every call.
_JSON = json.JSONEncoder(ensure_ascii=False)


def _derive(master: bytes, purpose: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose.encode()).derive(master)


def load_or_create_master_key(secrets_dir: Path) -> bytes:
    """The device's master key, made on first call with the directory 0700 and the file 0600.

    Raises:
        LedgerError: when a key file exists but is not 32 bytes.
    """
    secrets_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(secrets_dir, 0o700)
    path = secrets_dir / MASTER_KEY_FILE
    try:
        key = path.read_bytes()
    except FileNotFoundError:
        key = os.urandom(32)
        write_atomically(path, key, 0o600)
    if len(key) != 32:
        raise LedgerError(f"{path} is not a 32-byte key; the ledger's personal data cannot be read")
    os.chmod(path, 0o600)
    return key


class PersonalDataCipher:
    """Encrypts personal fields and makes keyed look-up hashes.

    Args:
        master: the device's 32-byte master key.
    """

    def __init__(self, master: bytes) -> None:
        self._aead = AESGCM(_derive(master, "kiosk personal data v1"))
        self._lookup_key = _derive(master, "kiosk certNo lookup v1")
        self._secret_aead = AESGCM(_derive(master, "kiosk device secret v1"))

    def seal(self, fields: Mapping[str, str], context: str) -> bytes:
        """AES-GCM of the fields as JSON, bound to `context` (e.g. the row's id) as associated data,
        so that a blob moved to another row does not open."""
        nonce = os.urandom(_NONCE_LEN)
        plain = _JSON.encode(fields).encode()
        return nonce + self._aead.encrypt(nonce, plain, context.encode())

    def open(self, blob: bytes, context: str) -> dict[str, str]:
        """The fields sealed in `blob` for `context`.

        Raises:
            LedgerError: when the blob was altered, moved, or sealed with another key.
        """
        if not isinstance(blob, bytes):
            raise LedgerError(f"personal data of {context} is not a sealed blob")
        try:
            plain = self._aead.decrypt(blob[:_NONCE_LEN], blob[_NONCE_LEN:], context.encode())
        except (InvalidTag, ValueError):
            raise LedgerError(f"personal data of {context} does not decrypt (altered or moved)") from None
        fields: dict[str, str] = json.loads(plain)
        return fields

    def lookup_hash(self, cert_type: str, cert_no: str) -> str:
        """HMAC-SHA256 of a certificate, for finding an applicant's sessions without decrypting them."""
        return hmac.new(self._lookup_key, f"{cert_type}\n{cert_no}".encode(), hashlib.sha256).hexdigest()

    def seal_secret(self, secret: bytes) -> bytes:
        nonce = os.urandom(_NONCE_LEN)
        return nonce + self._secret_aead.encrypt(nonce, secret, b"device secret")

    def open_secret(self, blob: bytes) -> bytes:
        try:
            return self._secret_aead.decrypt(blob[:_NONCE_LEN], blob[_NONCE_LEN:], b"device secret")
        except (InvalidTag, ValueError):
            raise LedgerError("the stored device secret does not decrypt") from None
