"""The CJK font the screens need: the one carried in assets/fonts (the bundle), else the system's."""

from __future__ import annotations

import logging

from PySide6.QtGui import QFontDatabase

from kiosk.resources import asset

log = logging.getLogger(__name__)

FAMILIES = ["WenQuanYi Micro Hei", "Noto Sans CJK SC", "Noto Sans SC", "Microsoft YaHei", "sans-serif"]


def register_fonts() -> list[str]:
    """Registers every font file in assets/fonts; returns the families they add."""
    added: list[str] = []
    folder = asset("fonts")
    if not folder.is_dir():
        return added
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() in (".ttf", ".ttc", ".otf"):
            font_id = QFontDatabase.addApplicationFont(str(path))
            if font_id < 0:
                log.warning("font %s could not be loaded", path.name)
                continue
            added += QFontDatabase.applicationFontFamilies(font_id)
    return added
