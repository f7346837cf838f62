"""The rating scale: the five level cards laid out as one, so that no level is bigger, higher or bolder
than another. A wider or better placed target draws more presses, which would bias the ratings; so every
card gets the same size, its face and its words the same place, and all five the same font, in every
language, panel size, orientation and in large-text mode."""

from __future__ import annotations

import re

from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QFont, QFontMetrics, QResizeEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from kiosk.ui.buttons import CardButton

LEVELS_SHOWN = (5, 4, 3, 2, 1)
# The smallest share of the theme's font the words may shrink to so that the longest word fits a card.
MIN_FONT_SHARE = 0.6
# Where a level's name may break: between Latin words; a Chinese name (at most five characters) never.
_LATIN_WORD = re.compile(r"\S+")
_CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")


def unbreakable(label: str) -> list[str]:
    """The pieces of a level's name that a line may not be broken inside."""
    return [label] if _CJK.search(label) else _LATIN_WORD.findall(label)


class LevelScale(QWidget):
    """The five level cards (5 = 非常满意 first), in a row on a landscape panel, a column on a portrait one.

    Every card is exactly as wide and as high as the others, with equal gaps; spare pixels go to the
    scale's margins, never to one card. The words take one font for all five: the theme's, or smaller
    if the longest word would not fit a card otherwise; and one height: the tallest label's.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cards = [CardButton(satisfaction, self) for satisfaction in LEVELS_SHOWN]
        for card in self.cards:
            card.setObjectName(f"level{card.satisfaction}")
        self.portrait = False
        self.gap = 24
        self._font = QFont()
        self._fits: dict[int, QFont] = {}
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_metrics(self, font: QFont, face_px: int, padding: int, min_side: int, gap: int) -> None:
        """Takes the theme's sizes: the words' font (before fitting), the face, padding, touch size, gap."""
        self._font, self.gap = QFont(font), gap
        for card in self.cards:
            card.set_metrics(face_px, padding, min_side)
        self._changed()

    def set_portrait(self, portrait: bool) -> None:
        self.portrait = portrait
        self._changed()

    def set_labels(self, labels: list[str]) -> None:
        """The five levels' names, 5 first."""
        if labels == [card.text() for card in self.cards]:
            return
        for card, label in zip(self.cards, labels, strict=True):
            card.setText(label)
        self._changed()

    def _changed(self) -> None:
        self._fits.clear()
        self.updateGeometry()
        self._place()

    def card_width(self, width: int) -> int:
        """Each card's width in a scale `width` wide."""
        return width if self.portrait else (width - 4 * self.gap) // 5

    def fitted_font(self, card_width: int) -> QFont:
        """The theme's font, made smaller if need be so that the longest unbreakable word fits a card."""
        if card_width not in self._fits:
            room = self.cards[0].words_width(card_width)
            pieces = [piece for card in self.cards for piece in unbreakable(card.text())]
            font = QFont(self._font)
            floor = max(1, round(self._font.pixelSize() * MIN_FONT_SHARE))
            while font.pixelSize() > floor:
                metrics = QFontMetrics(font)
                if max((metrics.horizontalAdvance(p) for p in pieces), default=0) <= room:
                    break
                font.setPixelSize(font.pixelSize() - 1)
            self._fits[card_width] = font
        return self._fits[card_width]

    def words_height(self, card_width: int) -> int:
        """The tallest label's height in a card this wide: the height every card gives its words."""
        font = self.fitted_font(card_width)
        return max(card.words_height(card_width, font) for card in self.cards)

    def card_height(self, card_width: int) -> int:
        """The height a card this wide needs for its face and the tallest label."""
        return self.cards[0].height_for(card_width, self.words_height(card_width))

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        height = self.card_height(self.card_width(width))
        return 5 * height + 4 * self.gap if self.portrait else height

    def minimumSizeHint(self) -> QSize:
        card = self.cards[0]
        # At its smallest, the words' font must still fit the longest word into a card.
        smallest = QFont(self._font)
        smallest.setPixelSize(max(1, round(self._font.pixelSize() * MIN_FONT_SHARE)))
        metrics = QFontMetrics(smallest)
        widest = max(
            (metrics.horizontalAdvance(p) for c in self.cards for p in unbreakable(c.text())), default=0
        )
        narrow = max(card.min_side, card.face_px + 2 * card.padding, widest + 2 * card.padding)
        width = narrow if self.portrait else 5 * narrow + 4 * self.gap
        return QSize(width, self.heightForWidth(width))

    def sizeHint(self) -> QSize:
        return self.minimumSizeHint()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place()

    def _place(self) -> None:
        width, height = self.width(), self.height()
        card_width = self.card_width(width)
        font = self.fitted_font(card_width)
        words = self.words_height(card_width)
        if self.portrait:
            card_height = (height - 4 * self.gap) // 5
            spare_x, spare_y = 0, height - 5 * card_height - 4 * self.gap
            step_x, step_y = 0, card_height + self.gap
        else:
            card_height = height
            spare_x, spare_y = width - 5 * card_width - 4 * self.gap, 0
            step_x, step_y = card_width + self.gap, 0
        for index, card in enumerate(self.cards):
            card.setFont(font)
            card.text_height = words
            card.setGeometry(
                QRect(spare_x // 2 + index * step_x, spare_y // 2 + index * step_y, card_width, card_height)
            )
            card.update()
