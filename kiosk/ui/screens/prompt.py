"""The prompt: 请您对我的服务做出评价, five large level buttons, a visible countdown."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent, QIcon, QPainter, QPixmap, QResizeEvent
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QSizePolicy, QToolButton, QVBoxLayout, QWidget

from kiosk.domain.clock import Clock
from kiosk.domain.levels import LEVELS
from kiosk.ui.faces import paint_face
from kiosk.ui.screens.base import ScreenWidget, wrapping_label


def face_icon(satisfaction: int, side: int) -> QIcon:
    pixmap = QPixmap(side, side)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    paint_face(painter, QRectF(0, 0, side, side), satisfaction)
    painter.end()
    return QIcon(pixmap)


class LevelButton(QToolButton):
    """One level: its face, its words and (as a further cue, never the only one) its colour."""

    def __init__(self, satisfaction: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.satisfaction = satisfaction
        self.setObjectName(f"level{satisfaction}")
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextUnderIcon)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)


class PromptScreen(ScreenWidget):
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
        self.countdown = wrapping_label()
        self.countdown.setProperty("role", "muted")
        self.buttons = [LevelButton(s) for s in (5, 4, 3, 2, 1)]
        for button in self.buttons:
            button.clicked.connect(lambda _checked=False, s=button.satisfaction: self.level_touched.emit(s))
        self.grid = QGridLayout()
        self._layout = layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        info = QHBoxLayout()
        info.addWidget(self.task, 1)
        info.addWidget(self.applicant, 1)
        layout.addLayout(info)
        layout.addLayout(self.grid, 1)
        layout.addWidget(self.countdown)
        self._tick = QTimer(self)
        self._tick.setInterval(500)
        self._tick.timeout.connect(self._update_countdown)
        self._portrait: bool | None = None
        self.retranslate()

    def refonts(self) -> None:
        theme = self.theme
        self.title.setFont(theme.font(64, bold=True))
        for label in (self.task, self.applicant, self.countdown):
            label.setFont(theme.font(34))
        side = theme.px(150)
        for button in self.buttons:
            button.setFont(theme.font(38, bold=True))
            button.setIcon(face_icon(button.satisfaction, side))
            button.setIconSize(QSize(side, side))
            button.setMinimumSize(theme.touch(220), theme.touch(220))
        layout = self._layout
        layout.setContentsMargins(*(theme.px(40),) * 4)
        layout.setSpacing(theme.px(24))
        self.grid.setSpacing(theme.px(24))
        self._arrange(force=True)

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._arrange()
        super().resizeEvent(event)

    def _arrange(self, force: bool = False) -> None:
        """Five in a row on a landscape panel, one above the other on a portrait one."""
        portrait = self.height() > self.width()
        if portrait == self._portrait and not force:
            return
        self._portrait = portrait
        for button in self.buttons:
            self.grid.removeWidget(button)
        for index, button in enumerate(self.buttons):
            if portrait:
                self.grid.addWidget(button, index, 0)
                button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            else:
                self.grid.addWidget(button, 0, index)
                button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextUnderIcon)

    def retranslate(self) -> None:
        for button in self.buttons:
            button.setText(LEVELS[button.satisfaction].label(self.language))
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
        for button in self.buttons:
            button.setText(LEVELS[button.satisfaction].label(self.language))
        self._update_countdown()
        self._tick.start()

    def _update_countdown(self) -> None:
        state = self.state
        if state is None or state.deadline is None:
            self.countdown.setText("")
            return
        seconds = max(0, int((state.deadline - self.clock.now()).total_seconds()))
        self.countdown.setText(self.tr("{0} 秒后自动返回").format(seconds))

    def hideEvent(self, event: QHideEvent) -> None:
        self._tick.stop()
        super().hideEvent(event)
