"""The bridge token: made at first start, kept in `DIR/bridge.token` (0600)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from kiosk.files import write_atomically

TOKEN_FILE = "bridge.token"  # noqa: S105 - a file name, not a secret


def _write(path: Path, token: str) -> None:
    write_atomically(path, token.encode() + b"\n", 0o600)


def load_or_create_token(data_dir: Path) -> str:
    """The bridge token of this data directory, made on first call."""
    path = data_dir / TOKEN_FILE
    try:
        token = path.read_text().strip()
    except FileNotFoundError:
        token = ""
    if not token:
        token = secrets.token_urlsafe(32)
        _write(path, token)
    os.chmod(path, 0o600)
    return token


def regenerate_token(data_dir: Path) -> str:
    """A new token, replacing the old one (the technician console's "regenerate")."""
    token = secrets.token_urlsafe(32)
    _write(data_dir / TOKEN_FILE, token)
    return token
