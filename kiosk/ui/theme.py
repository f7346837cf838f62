"""Sizes, colours and fonts, scaled to the window so every layout works at 1920×1080, 1080×1920 and
1280×800, and enlarged in large-text mode (适老化)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QFont

from kiosk.domain.levels import LEVELS

BASE_SHORT_SIDE = 1080
MIN_TOUCH_PX = 90  # about 16 mm on a 1920×1080 15.6" panel
LARGE_TEXT_FACTOR = 1.35

# Colour supports the level's face and text, never replaces them (colour is never the only cue). Five hues
# of one weight: each stands out from the white card about as much as the others (contrast 5.0 to 5.4:1),
# so that no level's card looks heavier than another's.
LEVEL_COLOURS = {
    5: QColor("#1b7f3b"),
    4: QColor("#3e7e22"),
    3: QColor("#98651a"),
    2: QColor("#b6511f"),
    1: QColor("#c8302e"),
}
INK = QColor("#1a202c")
MUTED = QColor("#4a5568")
PAPER = QColor("#f7fafc")
ACCENT = QColor("#1f4e9c")
ALERT = QColor("#9b2c2c")


def level_label(satisfaction: int, language: str) -> str:
    """A level's words as a button or a table shows them (English capitalised)."""
    text = LEVELS[satisfaction].label(language)
    return text[:1].upper() + text[1:]


@dataclass(frozen=True)
class Theme:
    """Scale for one window size.

    Attributes:
        unit: pixels per design pixel (the design is 1080 px on the short side).
        large_text: 适老化 mode: every font grows by LARGE_TEXT_FACTOR.
    """

    unit: float = 1.0
    large_text: bool = False

    @classmethod
    def for_size(cls, width: int, height: int, large_text: bool) -> Theme:
        return cls(max(0.4, min(width, height) / BASE_SHORT_SIDE), large_text)

    def px(self, design_px: float) -> int:
        return max(1, round(design_px * self.unit))

    def touch(self, design_px: float) -> int:
        """A touch target's size: never under the 16 mm minimum, in proportion to the panel."""
        return max(self.px(design_px), self.px(MIN_TOUCH_PX))

    def font(self, design_px: float, bold: bool = False) -> QFont:
        font = QFont()
        font.setFamilies(
            ["WenQuanYi Micro Hei", "Noto Sans CJK SC", "Noto Sans SC", "Microsoft YaHei", "sans-serif"]
        )
        size = design_px * (LARGE_TEXT_FACTOR if self.large_text else 1.0)
        font.setPixelSize(self.px(size))
        font.setBold(bold)
        return font

    def stylesheet(self) -> str:
        return (
            f"QWidget#screen {{ background: {PAPER.name()}; }}"
            f"QLabel {{ color: {INK.name()}; }}"
            f"QLabel[role='muted'] {{ color: {MUTED.name()}; }}"
            f"QLabel[role='alert'] {{ color: white; background: {ALERT.name()};"
            f" padding: {self.px(8)}px; }}"
            f"QPushButton {{ color: {INK.name()}; background: white;"
            f" border: {self.px(3)}px solid {MUTED.name()};"
            f" border-radius: {self.px(16)}px; padding: {self.px(10)}px {self.px(18)}px; }}"
            f"QPushButton:checked {{ background: {ACCENT.name()}; color: white;"
            f" border-color: {ACCENT.name()}; }}"
            f"QPushButton:disabled {{ color: #a0aec0; border-color: #cbd5e0; }}"
        )
