"""The bridge token: made at first start, kept in `DIR/bridge.token` (0600)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

TOKEN_FILE = "bridge.token"  # noqa: S105 - a file name, not a secret


def _write(path: Path, token: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, token.encode() + b"\n")
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)


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
