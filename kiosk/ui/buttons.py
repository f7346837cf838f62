"""The citizen's touch targets, painted here so that they look alike on every platform style and never
clip their text: the five level buttons (face, words, and colour as a further cue) and the reason buttons
(checkable, a tick as well as a fill when chosen)."""

from __future__ import annotations

import re

from PySide6.QtCore import QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QAbstractButton, QSizePolicy, QWidget

from kiosk.ui.faces import paint_face
from kiosk.ui.theme import ACCENT, INK, LEVEL_COLOURS, MUTED

_WRAP = Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignCenter
# What a line may not be broken inside: a run of Latin letters or digits; each CJK character stands alone.
_UNBREAKABLE = re.compile(r"[\u3000-\u9fff\uff00-\uffef]|[^\s\u3000-\u9fff\uff00-\uffef]+")


class CardButton(QAbstractButton):
    """A rounded card with wrapped text, optionally a level's face above it.

    Args:
        satisfaction: the level whose face and colour it shows, or None for a plain (reason) button.
    """

    def __init__(self, satisfaction: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.satisfaction = satisfaction
        self.face_px = 0
        self.padding = 16
        self.min_side = 90
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)

    def set_metrics(self, face_px: int, padding: int, min_side: int) -> None:
        self.face_px, self.padding, self.min_side = face_px, padding, min_side
        self.updateGeometry()
        self.update()

    def _text_rect(self, width: int) -> QRect:
        inner = max(1, width - 2 * self.padding)
        return QFontMetrics(self.font()).boundingRect(QRect(0, 0, inner, 100_000), _WRAP, self.text())

    def hasHeightForWidth(self) -> bool:
        return True

    def _wide(self, width: int) -> bool:
        """Whether the card is wide enough to put the face beside the words (a portrait panel's rows)."""
        return bool(self.face_px) and width >= 3 * (self.face_px + 2 * self.padding)

    def heightForWidth(self, width: int) -> int:
        if self._wide(width):
            text = self._text_rect(width - self.face_px - 3 * self.padding).height()
            return max(self.min_side, max(text, self.face_px) + 2 * self.padding)
        face = self.face_px + self.padding if self.face_px else 0
        return max(self.min_side, self._text_rect(width).height() + face + 2 * self.padding)

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

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(self.rect()).adjusted(2, 2, -2, -2)
        radius = min(rect.height(), rect.width()) * 0.08
        colour = LEVEL_COLOURS[self.satisfaction] if self.satisfaction else MUTED
        chosen = self.isChecked()
        fill = QColor(ACCENT) if chosen else QColor("white")
        if self.isDown():
            fill = fill.darker(115)
        painter.setPen(QPen(ACCENT if chosen else colour, max(3.0, self.padding / 4)))
        painter.setBrush(fill)
        painter.drawRoundedRect(rect, radius, radius)
        text_colour = QColor("white") if chosen else INK
        text = ("✓ " + self.text()) if chosen else self.text()
        if self._wide(self.width()):
            # A wide, low card (a portrait panel stacks the levels): the face beside the words.
            side = min(self.face_px, rect.height() - 2 * self.padding)
            face = QRectF(rect.left() + self.padding * 2, rect.center().y() - side / 2, side, side)
            paint_face(painter, face, self.satisfaction or 3)
            text_area = QRectF(
                face.right() + self.padding,
                rect.top() + self.padding,
                rect.right() - face.right() - 3 * self.padding,
                rect.height() - 2 * self.padding,
            )
        elif self.face_px:
            total = self.face_px + self.padding + self._text_rect(self.width()).height()
            top = rect.top() + max(self.padding, (rect.height() - total) / 2)
            face = QRectF(rect.center().x() - self.face_px / 2, top, self.face_px, self.face_px)
            paint_face(painter, face, self.satisfaction or 3)
            text_area = QRectF(
                rect.left() + self.padding,
                face.bottom() + self.padding,
                rect.width() - 2 * self.padding,
                rect.bottom() - face.bottom() - 2 * self.padding,
            )
        else:
            text_area = rect.adjusted(self.padding, self.padding, -self.padding, -self.padding)
        painter.setPen(text_colour)
        painter.setFont(self.font())
        painter.drawText(text_area, int(_WRAP), text)
        painter.end()
