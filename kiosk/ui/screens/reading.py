"""Reading: a self-service terminal reads the ID card laid on it, or looks the citizen's cases up."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.domain.clock import Clock
from kiosk.ui.screens.base import ScreenWidget, wrapping_label


class ReadingScreen(ScreenWidget):
    def __init__(self, clock: Clock, parent: QWidget | None = None) -> None:
        super().__init__(clock, parent)
        self.title = wrapping_label()
        self.holder = wrapping_label()
        self.hint = wrapping_label()
        self.hint.setProperty("role", "muted")
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.title)
        layout.addWidget(self.holder)
        layout.addWidget(self.hint)
        layout.addStretch(1)
        self.retranslate()

    def refonts(self) -> None:
        self.title.setFont(self.theme.font(64, bold=True))
        self.holder.setFont(self.theme.font(44))
        self.hint.setFont(self.theme.font(36))

    def retranslate(self) -> None:
        self.title.setText(self.tr("正在查询您的办件"))
        self.hint.setText(self.tr("请稍候，不要移开身份证"))
        super().retranslate()

    def render_state(self) -> None:
        state = self.state
        assert state is not None
        self.holder.setText(state.holder_masked)
