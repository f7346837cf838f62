"""Searching files for personal data in every encoding a leak could take (rules.md R3)."""

from __future__ import annotations

import base64
from pathlib import Path


def encodings(secret: str) -> list[bytes]:
    """The secret in UTF-8, UTF-16 (both byte orders), hex (both cases), and base64 at each of the
    three alignments it can take inside a longer encoded text."""
    encoded = secret.encode()
    forms = [
        encoded,
        secret.encode("utf-16-le"),
        secret.encode("utf-16-be"),
        encoded.hex().encode(),
        encoded.hex().upper().encode(),
    ]
    for shift in range(3):
        whole = base64.b64encode(b"\0" * shift + encoded)
        # Drop the characters that depend on the bytes around the secret.
        forms.append(whole[4 if shift else 0 : -4])
    return forms


def scan_for_personal_data(folder: Path, secrets: list[str]) -> list[str]:
    """Every file under `folder` searched for each secret in each encoding; returns where (masked)."""
    found = []
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        raw = path.read_bytes()
        for secret in secrets:
            found += [
                f"{path.relative_to(folder)}: {secret[:3]}…" for form in encodings(secret) if form in raw
            ]
    return found
