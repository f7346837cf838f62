"""Thanks: 谢谢您的评价. It shows nothing of the level chosen (R7)."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.domain.clock import Clock
from kiosk.ui.screens.base import ScreenWidget, wrapping_label


class ThanksScreen(ScreenWidget):
    def __init__(self, clock: Clock, parent: QWidget | None = None) -> None:
        super().__init__(clock, parent)
        self.mark = wrapping_label("✓")
        self.title = wrapping_label()
        self.subtitle = wrapping_label()
        self.subtitle.setProperty("role", "muted")
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.mark)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        layout.addStretch(1)
        self.retranslate()

    def refonts(self) -> None:
        self.mark.setFont(self.theme.font(160, bold=True))
        self.title.setFont(self.theme.font(80, bold=True))
        self.subtitle.setFont(self.theme.font(36))

    def retranslate(self) -> None:
        self.title.setText(self.tr("谢谢您的评价"))
        self.subtitle.setText(self.tr("您的评价已记录，并报送政务服务“好差评”系统"))
        super().retranslate()
