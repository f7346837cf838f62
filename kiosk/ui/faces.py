"""The five level buttons' faces, drawn rather than loaded, so they stay sharp at every size."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from kiosk.ui.theme import LEVEL_COLOURS

# How much the mouth curves for each level: a smile at 4, a straight line at 3, a frown at 2; the two
# extremes open their mouths (a grin at 5, a wail at 1), so that neighbours differ by shape, not only by a
# curve or a colour.
_MOUTH_CURVE = {5: 0.9, 4: 0.35, 3: 0.0, 2: -0.35, 1: -0.9}
_OPEN_MOUTH = {5, 1}


def paint_face(painter: QPainter, rect: QRectF, satisfaction: int, colour: QColor | None = None) -> None:
    """Draws the face for a level inside `rect` (a square)."""
    colour = colour or LEVEL_COLOURS[satisfaction]
    side = min(rect.width(), rect.height())
    box = QRectF(rect.center().x() - side / 2, rect.center().y() - side / 2, side, side)
    pen = QPen(colour, max(2.0, side * 0.06))
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    inset = side * 0.05
    painter.drawEllipse(box.adjusted(inset, inset, -inset, -inset))
    eye_r = side * 0.05
    painter.setBrush(colour)
    for dx in (-0.17, 0.17):
        painter.drawEllipse(QPointF(box.center().x() + dx * side, box.top() + side * 0.38), eye_r, eye_r)
    curve = _MOUTH_CURVE[satisfaction]
    left = QPointF(box.left() + side * 0.3, box.top() + side * (0.66 - curve * 0.08))
    right = QPointF(box.right() - side * 0.3, left.y())
    control = QPointF(box.center().x(), left.y() + curve * side * 0.3)
    mouth = QPainterPath(left)
    mouth.quadTo(control, right)
    if satisfaction in _OPEN_MOUTH:
        mouth.closeSubpath()  # the straight edge across: an open mouth, filled
    else:
        painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawPath(mouth)
    painter.restore()


class FaceIcon(QWidget):
    """A level's face as a widget."""

    def __init__(self, satisfaction: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.satisfaction = satisfaction
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)

    def sizeHint(self) -> QSize:
        return QSize(64, 64)

    def minimumSizeHint(self) -> QSize:
        return QSize(24, 24)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        paint_face(painter, QRectF(self.rect()), self.satisfaction)
        painter.end()
