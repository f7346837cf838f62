"""What a level card shows once painted, measured on its pixels: where its face and its words are, how
many lines the words take, how thick its border is. Measured on the rendered window rather than asked of
the widget, so a test sees what a citizen sees."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QWidget

from kiosk.ui.buttons import CardButton
from kiosk.ui.theme import INK, LEVEL_COLOURS

# How far (in RGB) a pixel may be from a colour and still count as painted in it: the strokes' cores, not
# their anti-aliased edges, which blend into the white card.
NEAR = 60


@dataclass(frozen=True)
class RenderedCard:
    """One level card's pixels, in the card's own coordinates.

    Attributes:
        face: the bounding box of the face (level-coloured pixels inside the border).
        face_shape: the face's pixels, relative to `face`'s top left: its shape without its colour.
        words: the bounding box of the label (ink-coloured pixels, anywhere on the card).
        lines: how many lines of words there are (runs of rows holding ink, apart by an empty row).
        border: the border's thickness across the card's middle row, from the outer edge.
    """

    face: QRect
    face_shape: frozenset[tuple[int, int]]
    words: QRect
    lines: int
    border: int


def _near(b: int, g: int, r: int, colour: QColor) -> bool:
    return (r - colour.red()) ** 2 + (g - colour.green()) ** 2 + (b - colour.blue()) ** 2 < NEAR**2


def _box(points: list[tuple[int, int]]) -> QRect:
    if not points:
        return QRect()
    xs = [x for x, _ in points]
    ys = [y for _, y in points]
    return QRect(QPoint(min(xs), min(ys)), QPoint(max(xs), max(ys)))


def _runs(rows: list[int], gap: int) -> int:
    """How many runs the sorted row numbers form, a run ending at `gap` or more empty rows."""
    runs = 0
    last: int | None = None
    for y in rows:
        if last is None or y - last > gap:
            runs += 1
        last = y
    return runs


def render(root: QWidget) -> QImage:
    """`root` painted as on screen, 32-bit RGB."""
    return root.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)


def measure(image: QImage, root: QWidget, card: CardButton) -> RenderedCard:
    """Measures `card` on `image` (a rendering of `root`, an ancestor of `card`)."""
    assert card.satisfaction is not None
    origin = card.mapTo(root, QPoint(0, 0))
    width, height = card.width(), card.height()
    colour = LEVEL_COLOURS[card.satisfaction]
    # The border is drawn within a few pixels of the edge, the face at least a padding in.
    inside = QRect(0, 0, width, height).adjusted(card.padding, card.padding, -card.padding, -card.padding)
    # Format_RGB32 is stored as B, G, R, 0xFF on every platform Qt runs the pad on (little-endian).
    bits = bytes(image.constBits())
    stride = image.bytesPerLine()
    face: list[tuple[int, int]] = []
    words: list[tuple[int, int]] = []
    for y in range(height):
        row = (origin.y() + y) * stride
        for x in range(width):
            at = row + 4 * (origin.x() + x)
            b, g, r = bits[at], bits[at + 1], bits[at + 2]
            if r > 240 and g > 240 and b > 240:
                continue
            if _near(b, g, r, INK):
                words.append((x, y))  # anywhere: words that overflow their card are to be seen
            elif inside.contains(x, y) and _near(b, g, r, colour):
                face.append((x, y))
    face_box = _box(face)
    middle = origin.y() + height // 2
    border = 0
    for x in range(origin.x(), origin.x() + card.padding):
        if QColor(image.pixel(x, middle)).lightness() < 230:
            border = x - origin.x() + 1
    return RenderedCard(
        face=face_box,
        face_shape=frozenset((x - face_box.left(), y - face_box.top()) for x, y in face),
        words=_box(words),
        lines=_runs(sorted({y for _, y in words}), gap=1),
        border=border,
    )
