"""A QR code drawn from the `qrcode` library's module matrix, crisp at any size."""

from __future__ import annotations

import qrcode
from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget


def qr_matrix(text: str) -> list[list[bool]]:
    """The modules of a QR code for `text`, quiet zone included, error correction M."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    code.add_data(text)
    code.make(fit=True)
    matrix: list[list[bool]] = code.get_matrix()
    return matrix


class QrCodeWidget(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._matrix: list[list[bool]] = []
        self.text = ""
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(120, 120)

    def set_text(self, text: str) -> None:
        if text != self.text:
            self.text = text
            self._matrix = qr_matrix(text) if text else []
            self.update()

    def sizeHint(self) -> QSize:
        return QSize(360, 360)

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self._matrix:
            return
        painter = QPainter(self)
        count = len(self._matrix)
        side = min(self.width(), self.height())
        module = side / count
        left = (self.width() - side) / 2
        top = (self.height() - side) / 2
        painter.fillRect(QRectF(left, top, side, side), Qt.GlobalColor.white)
        black = QColor("black")
        for row, cells in enumerate(self._matrix):
            for column, dark in enumerate(cells):
                if dark:
                    # Overlap by a hair so antialiasing leaves no seams between modules.
                    painter.fillRect(
                        QRectF(left + column * module, top + row * module, module + 0.5, module + 0.5), black
                    )
        painter.end()
