"""用手机扫码评价: the QR code for a session that just timed out (valid for the 7-day window)."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.domain.clock import Clock
from kiosk.ui.qrcode_widget import QrCodeWidget
from kiosk.ui.screens.base import ScreenWidget, wrapping_label


class QrScreen(ScreenWidget):
    def __init__(self, clock: Clock, parent: QWidget | None = None) -> None:
        super().__init__(clock, parent)
        self.title = wrapping_label()
        self.task = wrapping_label()
        self.task.setProperty("role", "muted")
        self.code = QrCodeWidget()
        self.validity = wrapping_label()
        self.validity.setProperty("role", "muted")
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.task)
        layout.addWidget(self.code, 1)
        layout.addWidget(self.validity)
        self.retranslate()

    def refonts(self) -> None:
        self.title.setFont(self.theme.font(64, bold=True))
        self.task.setFont(self.theme.font(34))
        self.validity.setFont(self.theme.font(34))
        self.code.setMinimumSize(self.theme.px(360), self.theme.px(360))

    def retranslate(self) -> None:
        self.title.setText(self.tr("用手机扫码评价"))
        super().retranslate()

    def render_state(self) -> None:
        state = self.state
        assert state is not None
        self.code.set_text(state.qr_url or "")
        self.task.setText(self.tr("办理事项：{0}").format(state.task_name) if state.task_name else "")
        if state.deadline is not None:
            until = state.deadline.strftime("%Y-%m-%d %H:%M")
            self.validity.setText(self.tr("7 天内有效（至 {0}）").format(until))
        else:
            self.validity.setText(self.tr("7 天内有效"))
