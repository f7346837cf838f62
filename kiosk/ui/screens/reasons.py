"""The reason picker (rules.md R4): at least one reason for levels 1-2, optional for 3-5."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QPushButton, QVBoxLayout, QWidget

from kiosk.domain.clock import Clock
from kiosk.domain.reasons import Reason
from kiosk.ui.buttons import CardButton
from kiosk.ui.screens.base import CountdownScreen, wrapping_label


class ReasonsScreen(CountdownScreen):
    """Signals:
    reason_toggled(str): a reason code was touched.
    submitted(): the citizen submits.
    """

    reason_toggled = Signal(str)
    submitted = Signal()

    def __init__(self, clock: Clock, parent: QWidget | None = None) -> None:
        super().__init__(clock, parent)
        self.offered: list[Reason] = []
        self.title = wrapping_label()
        self.hint = wrapping_label()
        self.hint.setProperty("role", "muted")
        self.grid = QGridLayout()
        self.reason_buttons: list[CardButton] = []
        self.submit = QPushButton()
        self.submit.clicked.connect(self.submitted)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.hint)
        layout.addLayout(self.grid, 1)
        layout.addWidget(self.submit)
        layout.addWidget(self.countdown)
        self.retranslate()

    def set_offered(self, reasons: list[Reason]) -> None:
        """Builds one button per offered reason (the catalogue may change with the province's config)."""
        if [r.code for r in reasons] == [r.code for r in self.offered]:
            return
        for button in self.reason_buttons:
            self.grid.removeWidget(button)
            button.hide()
            button.deleteLater()
        self.offered = list(reasons)
        self.reason_buttons = []
        for reason in self.offered:
            button = CardButton()
            button.setCheckable(True)
            button.setObjectName(f"reason{reason.code}")
            button.clicked.connect(lambda _checked=False, code=reason.code: self.reason_toggled.emit(code))
            self.reason_buttons.append(button)
        self.arrange(force=True)
        self.refonts()

    def lay_out(self, portrait: bool) -> None:
        """Two columns of reasons on a landscape panel, one on a portrait one."""
        columns = 1 if portrait else 2
        for button in self.reason_buttons:
            self.grid.removeWidget(button)
        for index, button in enumerate(self.reason_buttons):
            self.grid.addWidget(button, index // columns, index % columns)

    def refonts(self) -> None:
        theme = self.theme
        self.title.setFont(theme.font(56, bold=True))
        self.hint.setFont(theme.font(32))
        self.countdown.setFont(theme.font(30))
        self.submit.setFont(theme.font(44, bold=True))
        self.submit.setMinimumHeight(theme.touch(120))
        for button in self.reason_buttons:
            button.setFont(theme.font(34))
            button.set_metrics(0, theme.px(16), theme.touch(100))
        self.grid.setSpacing(theme.px(16))

    def retranslate(self) -> None:
        self.submit.setText(self.tr("提交评价"))
        super().retranslate()

    def render_state(self) -> None:
        state = self.state
        assert state is not None and state.picker is not None
        picker = state.picker
        for button, reason in zip(self.reason_buttons, self.offered, strict=True):
            button.setText(reason.label(self.language))
            button.setChecked(reason.code in picker.codes)
        if picker.reason_required:
            self.title.setText(self.tr("请选择您不满意的原因"))
            self.hint.setText(self.tr("至少选择一项后提交"))
        else:
            self.title.setText(self.tr("您可以选择评价的原因"))
            self.hint.setText(self.tr("选填，可直接提交"))
        self.submit.setEnabled(picker.can_submit)
        self.start_countdown()

    def countdown_text(self, seconds: int) -> str:
        return self.tr("{0} 秒后自动提交").format(seconds)
