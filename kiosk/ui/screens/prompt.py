"""The prompt: 请您对我的服务做出评价, five large level buttons, a visible countdown, and the QR code for
rating later on a phone (once enrolled)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from kiosk.domain.clock import Clock
from kiosk.ui.qrcode_widget import QrCodeWidget
from kiosk.ui.scale import LEVELS_SHOWN, LevelScale
from kiosk.ui.screens.base import CountdownScreen, wrapping_label
from kiosk.ui.theme import level_label


class PromptScreen(CountdownScreen):
    """Signals:
    level_touched(int): the citizen touched a level (5 = 非常满意).
    """

    level_touched = Signal(int)

    def __init__(self, clock: Clock, parent: QWidget | None = None) -> None:
        super().__init__(clock, parent)
        self.title = wrapping_label()
        self.task = wrapping_label()
        self.task.setProperty("role", "muted")
        self.applicant = wrapping_label()
        self.applicant.setProperty("role", "muted")
        self.qr = QrCodeWidget()
        self.qr_hint = wrapping_label()
        self.qr_hint.setProperty("role", "muted")
        self.scale = LevelScale()
        self.buttons = self.scale.cards
        for button in self.buttons:
            button.clicked.connect(lambda _checked=False, s=button.satisfaction: self.level_touched.emit(s))
        info = QHBoxLayout()
        info.addWidget(self.task, 1)
        info.addWidget(self.applicant, 1)
        qr_box = QVBoxLayout()
        qr_box.addWidget(self.qr, 1, Qt.AlignmentFlag.AlignCenter)
        qr_box.addWidget(self.qr_hint)
        bottom = QHBoxLayout()
        bottom.addWidget(self.countdown, 1)
        bottom.addLayout(qr_box)
        self._layout = QVBoxLayout(self)
        self._layout.addWidget(self.title)
        self._layout.addLayout(info)
        self._layout.addWidget(self.scale, 1)
        self._layout.addLayout(bottom)
        self.retranslate()

    def refonts(self) -> None:
        theme = self.theme
        self.title.setFont(theme.font(64, bold=True))
        for label in (self.task, self.applicant, self.countdown, self.qr_hint):
            label.setFont(theme.font(34))
        self.scale.set_metrics(
            theme.font(44, bold=True), theme.px(150), theme.px(20), theme.touch(200), theme.px(24)
        )
        self.qr.setFixedSize(theme.px(200), theme.px(200))
        self._layout.setContentsMargins(*(theme.px(40),) * 4)
        self._layout.setSpacing(theme.px(20))
        self.arrange(force=True)

    def lay_out(self, portrait: bool) -> None:
        """Five in a row on a landscape panel, one above the other on a portrait one."""
        self.scale.set_portrait(portrait)

    def retranslate(self) -> None:
        self.qr_hint.setText(self.tr("也可用手机扫码评价"))
        super().retranslate()

    def render_state(self) -> None:
        state = self.state
        assert state is not None
        if state.role == "terminal":
            self.title.setText(self.tr("请您对本次自助服务做出评价"))
        else:
            self.title.setText(self.tr("请您对我的服务做出评价"))
        self.task.setText(self.tr("办理事项：{0}").format(state.task_name) if state.task_name else "")
        self.applicant.setText(
            self.tr("办事人：{0}").format(state.applicant_masked) if state.applicant_masked else ""
        )
        self.scale.set_labels([level_label(satisfaction, self.language) for satisfaction in LEVELS_SHOWN])
        self.qr.set_text(state.qr_url or "")
        self.qr.setVisible(bool(state.qr_url))
        self.qr_hint.setVisible(bool(state.qr_url))
        self.start_countdown()

    def countdown_text(self, seconds: int) -> str:
        return self.tr("{0} 秒后自动返回").format(seconds)
