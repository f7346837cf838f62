"""Importing the hall file (`hall.json`) from a USB stick on the console, for the Fujian gateway profile,
whose province sends no configuration (province-fujian.md "Hall data").

The file is checked before it replaces the pad's own (a file with a mistake is refused with its field named,
and the pad keeps what it had), then written atomically, so that a power cut leaves the old file or the new.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from kiosk.domain.reasons import ReasonCatalogue
from kiosk.files import write_atomically
from kiosk.sync.hall_file import HALL_FILE, MAX_BYTES, HallFileError, parse_hall
from kiosk.sync.province_config import ProvinceConfig
from kiosk.technician.export import removable_media


def hall_files_on_media(media: list[Path] | None = None) -> list[Path]:
    """The hall files on the removable media mounted now: `hall.json` at the top of a medium, or in a folder
    just below it."""
    found: list[Path] = []
    for point in removable_media() if media is None else media:
        candidates = [point / HALL_FILE]
        with contextlib.suppress(OSError):  # a medium that went away, or one this user may not list
            candidates += sorted(child / HALL_FILE for child in point.iterdir() if child.is_dir())
        found += [path for path in candidates if path.is_file()]
    return found


def import_hall_file(source: Path, target: Path, english: ReasonCatalogue | None = None) -> ProvinceConfig:
    """Checks a hall file and puts it in place of the pad's own.

    Returns:
        What the file holds, for the Pad to take at once.

    Raises:
        HallFileError: the file cannot be read or fails a check (the field named); nothing was written.
        OSError: the pad's file cannot be written.
    """
    try:
        if source.stat().st_size > MAX_BYTES:
            raise HallFileError("", f"{source.name} is larger than {MAX_BYTES // 1024 // 1024} MiB")
        data = source.read_bytes()
    except OSError as exc:
        raise HallFileError("", f"{source} cannot be read: {exc.strerror}") from None
    hall = parse_hall(data, english)
    write_atomically(target, data, 0o640)
    return hall
