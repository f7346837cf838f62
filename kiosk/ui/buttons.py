"""The citizen's touch targets, painted here so that they look alike on every platform style and never
clip their text: the five level buttons (face, words, and colour as a further cue) and the reason buttons
(checkable, a tick as well as a fill when chosen)."""

from __future__ import annotations

import re

from PySide6.QtCore import QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QAbstractButton, QSizePolicy, QWidget

from kiosk.ui.faces import paint_face
from kiosk.ui.theme import ACCENT, INK, LEVEL_COLOURS, MUTED

_WRAP = Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignCenter
_WRAP_TOP = Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop
# What a line may not be broken inside: a run of Latin letters or digits; each CJK character stands alone.
_UNBREAKABLE = re.compile(r"[\u3000-\u9fff\uff00-\uffef]|[^\s\u3000-\u9fff\uff00-\uffef]+")


class CardButton(QAbstractButton):
    """A rounded card with wrapped text, optionally a level's face above it.

    Args:
        satisfaction: the level whose face and colour it shows, or None for a plain (reason) button.

    Attributes:
        text_height: the height its words get, when a LevelScale sets it to the tallest of the five, so
            that every level's face and words sit at the same place; None: as high as its own words need.
    """

    def __init__(self, satisfaction: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.satisfaction = satisfaction
        self.face_px = 0
        self.padding = 16
        self.min_side = 90
        self.text_height: int | None = None
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)

    def set_metrics(self, face_px: int, padding: int, min_side: int) -> None:
        self.face_px, self.padding, self.min_side = face_px, padding, min_side
        self.updateGeometry()
        self.update()

    def words_height(self, width: int, font: QFont | None = None) -> int:
        """How high its words are when wrapped in a card `width` wide (in `font`, else its own)."""
        metrics = QFontMetrics(font or self.font())
        inner = QRect(0, 0, max(1, self.words_width(width)), 100_000)
        return metrics.boundingRect(inner, _WRAP, self.text()).height()

    def words_width(self, width: int) -> int:
        """How wide a line of words may be in a card `width` wide."""
        if self._wide(width):
            return width - self.face_px - 5 * self.padding
        return width - 2 * self.padding

    def _words_height(self, width: int) -> int:
        return self.text_height if self.text_height is not None else self.words_height(width)

    def hasHeightForWidth(self) -> bool:
        return True

    def _wide(self, width: int) -> bool:
        """Whether the card is wide enough to put the face beside the words (a portrait panel's rows)."""
        return bool(self.face_px) and width >= 3 * (self.face_px + 2 * self.padding)

    def heightForWidth(self, width: int) -> int:
        return self.height_for(width, self._words_height(width))

    def height_for(self, width: int, words: int) -> int:
        """The height a card `width` wide needs for its face and `words` high of words."""
        if self._wide(width):
            return max(self.min_side, max(words, self.face_px) + 2 * self.padding)
        face = self.face_px + self.padding if self.face_px else 0
        return max(self.min_side, words + face + 2 * self.padding)

    def sizeHint(self) -> QSize:
        metrics = QFontMetrics(self.font())
        # As wide as the longest word or line needs, up to a comfortable reading width.
        width = min(metrics.horizontalAdvance(self.text()), metrics.averageCharWidth() * 28)
        width = max(self.min_side, width + 2 * self.padding, self.face_px + 2 * self.padding)
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:
        metrics = QFontMetrics(self.font())
        # A CJK text wraps between any two characters; a Latin one only between words.
        widest = max(
            (metrics.horizontalAdvance(piece) for piece in _UNBREAKABLE.findall(self.text())), default=0
        )
        narrow = max(widest, metrics.horizontalAdvance("字" * 4)) + 2 * self.padding
        width = max(self.min_side, narrow, self.face_px + 2 * self.padding)
        return QSize(width, self.heightForWidth(width))

    def places(self) -> tuple[QRectF | None, QRectF]:
        """Where the face (None for a plain button) and the words go in the card as it is now (the
        padding keeps them clear of the border)."""
        rect = QRectF(self.rect())
        words = float(self._words_height(self.width()))
        if self._wide(self.width()):
            # A wide, low card (a portrait panel stacks the levels): the face beside the words.
            side = min(self.face_px, rect.height() - 2 * self.padding)
            face = QRectF(rect.left() + self.padding * 2, rect.center().y() - side / 2, side, side)
            left = face.right() + self.padding
            width = rect.right() - left - 2 * self.padding
            if self.text_height is None:
                return face, QRectF(left, rect.top() + self.padding, width, rect.height() - 2 * self.padding)
            return face, QRectF(left, rect.center().y() - words / 2, width, words)
        if self.face_px:
            total = self.face_px + self.padding + words
            top = rect.top() + max(self.padding, (rect.height() - total) / 2)
            face = QRectF(rect.center().x() - self.face_px / 2, top, self.face_px, self.face_px)
            below = face.bottom() + self.padding
            height = words if self.text_height is not None else rect.bottom() - self.padding - below
            return face, QRectF(rect.left() + self.padding, below, rect.width() - 2 * self.padding, height)
        return None, rect.adjusted(self.padding, self.padding, -self.padding, -self.padding)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(self.rect()).adjusted(2, 2, -2, -2)
        radius = min(rect.height(), rect.width()) * 0.08
        colour = LEVEL_COLOURS[self.satisfaction] if self.satisfaction else MUTED
        if not self.isEnabled():
            colour = QColor("#cbd5e0")  # a case that cannot be rated: there, but plainly not a target
        chosen = self.isChecked()
        fill = QColor(ACCENT) if chosen else QColor("white")
        if self.isDown():
            fill = fill.darker(115)
        painter.setPen(QPen(ACCENT if chosen else colour, max(3.0, self.padding / 4)))
        painter.setBrush(fill)
        painter.drawRoundedRect(rect, radius, radius)
        face, words = self.places()
        if face is not None:
            paint_face(painter, face, self.satisfaction or 3)
        # Words that share their height with other cards' start at its top, so every first line is level.
        align = _WRAP if self.text_height is None else _WRAP_TOP
        painter.setPen(QColor("white") if chosen else INK if self.isEnabled() else MUTED)
        painter.setFont(self.font())
        painter.drawText(words, int(align), ("✓ " + self.text()) if chosen else self.text())
        painter.end()
