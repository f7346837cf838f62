"""The Fujian gateway app's secret (`uplink.fujian.app_code`), kept in `DIR/secrets/gateway-app-code`.

The technician writes it into kiosk.toml, or enters it on the console; at the first start it moves here and
leaves the file (province-fujian.md "Configuration"). It is kept sealed with AES-GCM under a key derived from
the device's master key for this purpose alone, so that the file alone, copied off the pad, does not give it
away, and the diagnostics export (which never reads secrets/) cannot carry it.
"""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from kiosk.files import write_atomically
from kiosk.store.crypto import load_or_create_master_key
from kiosk.store.errors import LedgerError

APP_CODE_FILE = "gateway-app-code"
SECRETS_DIR = "secrets"
_NONCE_LEN = 12
_CONTEXT = b"gateway app code"


def _aead(secrets_dir: Path) -> AESGCM:
    master = load_or_create_master_key(secrets_dir)
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"kiosk gateway app code v1").derive(
        master
    )
    return AESGCM(key)


class AppSecret:
    """The app_code of one data directory.

    Args:
        data_dir: the data directory (its `secrets/` holds the master key and the sealed code).
    """

    def __init__(self, data_dir: Path) -> None:
        self._dir = data_dir / SECRETS_DIR
        self.path = self._dir / APP_CODE_FILE

    def __repr__(self) -> str:
        return f"AppSecret({self.path})"

    def read(self) -> str:
        """The app_code kept here, or "" when none is.

        Raises:
            LedgerError: when the file does not open with this device's key (altered, or from another pad).
        """
        try:
            blob = self.path.read_bytes()
        except FileNotFoundError:
            return ""
        except OSError as exc:
            raise LedgerError(f"{self.path} cannot be read: {exc.strerror}") from None
        try:
            plain = _aead(self._dir).decrypt(blob[:_NONCE_LEN], blob[_NONCE_LEN:], _CONTEXT)
        except (InvalidTag, ValueError):
            raise LedgerError(f"{self.path} does not open with this device's key") from None
        return plain.decode("utf-8")

    def write(self, app_code: str) -> None:
        """Keeps an app_code (replacing the one kept), sealed, written atomically with mode 0600."""
        nonce = os.urandom(_NONCE_LEN)
        blob = nonce + _aead(self._dir).encrypt(nonce, app_code.encode("utf-8"), _CONTEXT)
        write_atomically(self.path, blob, 0o600)


def masked(app_code: str) -> str:
    """The app_code as the console shows it: dots, and its last two characters when it is long enough that
    they give nothing away."""
    if not app_code:
        return ""
    shown = app_code[-2:] if len(app_code) >= 12 else ""
    return "•" * 8 + shown
