"""Writing a file so that a power cut leaves either the old one or the new one, never half of either."""

from __future__ import annotations

import os
from pathlib import Path


def fsync_directory(folder: Path) -> None:
    """Makes a rename in `folder` durable."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def commit_file(partial: Path, final: Path) -> None:
    """Syncs a fully written `partial` file and renames it over `final`: write, fsync, rename, fsync."""
    fd = os.open(partial, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(partial, final)
    fsync_directory(final.parent)


def write_atomically(path: Path, data: bytes, mode: int = 0o600) -> None:
    """Writes `data` to `path` through a temporary file beside it, created with `mode`."""
    partial = path.with_name(path.name + ".tmp")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    try:
        os.write(fd, data)
    finally:
        os.close(fd)
    commit_file(partial, path)
