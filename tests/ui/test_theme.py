"""The theme's level colours: a further cue beside the face and the words, none heavier than another."""

from __future__ import annotations

from PySide6.QtGui import QColor

from kiosk.ui.theme import LEVEL_COLOURS


def contrast_with_white(colour: QColor) -> float:
    """WCAG 2's contrast ratio of `colour` on white."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    luminance = (
        0.2126 * linear(colour.red()) + 0.7152 * linear(colour.green()) + 0.0722 * linear(colour.blue())
    )
    return 1.05 / (luminance + 0.05)


def test_no_level_colour_is_heavier_than_another() -> None:
    """A darker ring and face weigh more on a white card: every level's colour stands out from the card
    about as much as every other's (within 15 %), and at least as much as text must (4.5:1)."""
    ratios = {level: round(contrast_with_white(colour), 2) for level, colour in LEVEL_COLOURS.items()}
    assert min(ratios.values()) >= 4.5, ratios
    assert max(ratios.values()) / min(ratios.values()) <= 1.15, ratios
    assert len({colour.name() for colour in LEVEL_COLOURS.values()}) == 5
