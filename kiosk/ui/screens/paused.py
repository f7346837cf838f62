"""暂停服务: a counter pad with no one signed in."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.domain.clock import Clock
from kiosk.ui.screens.base import ScreenWidget, wrapping_label


class PausedScreen(ScreenWidget):
    def __init__(self, clock: Clock, parent: QWidget | None = None) -> None:
        super().__init__(clock, parent)
        self.place = wrapping_label()
        self.place.setProperty("role", "muted")
        self.title = wrapping_label()
        self.subtitle = wrapping_label()
        layout = QVBoxLayout(self)
        layout.addWidget(self.place)
        layout.addStretch(1)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        layout.addStretch(1)
        self.retranslate()

    def refonts(self) -> None:
        self.place.setFont(self.theme.font(34))
        self.title.setFont(self.theme.font(110, bold=True))
        self.subtitle.setFont(self.theme.font(48))

    def retranslate(self) -> None:
        self.title.setText(self.tr("暂停服务"))
        self.subtitle.setText(self.tr("请到其他窗口办理"))
        super().retranslate()

    def render_state(self) -> None:
        state = self.state
        assert state is not None
        window = self.tr("{0} 号窗口").format(state.window_no) if state.window_no else ""
        self.place.setText("  ".join(part for part in (state.hall_name, window) if part))
