"""The citizen's window: one screen at a time, as the Pad says."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QPointerEvent, QResizeEvent, QSinglePointEvent
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QLayout,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.domain.screen import Screen, ScreenState
from kiosk.pad import Pad
from kiosk.ui.i18n import Languages
from kiosk.ui.screens.base import ScreenWidget
from kiosk.ui.screens.cases import CasesScreen
from kiosk.ui.screens.idle import IdleScreen
from kiosk.ui.screens.keypad import KeypadScreen
from kiosk.ui.screens.paused import PausedScreen
from kiosk.ui.screens.prompt import PromptScreen
from kiosk.ui.screens.qr import QrScreen
from kiosk.ui.screens.reading import ReadingScreen
from kiosk.ui.screens.reasons import ReasonsScreen
from kiosk.ui.screens.thanks import ThanksScreen
from kiosk.ui.theme import PAPER, Theme

LONG_PRESS_MS = 3000


class PadWindow(QWidget):
    """Shows the Pad's ScreenState and hands touches back to the Pad.

    Args:
        pad: the Pad (on the same, Qt, thread).
        language: the starting language (pad.language).
        large_text: 适老化 mode (pad.large_text).

    Signals:
        technician_requested(): the hidden gesture (a long press on a corner) was made.
    """

    technician_requested = Signal()
    language_changed = Signal(str)

    def __init__(self, pad: Pad, language: str = "zh_CN", large_text: bool = False) -> None:
        super().__init__()
        self.setObjectName("padwindow")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.setWindowTitle("好差评")
        self.pad = pad
        self.languages = Languages()
        self.large_text = large_text
        clock = pad.clock
        self.idle = IdleScreen(clock)
        self.paused = PausedScreen(clock)
        self.prompt = PromptScreen(clock)
        self.reasons = ReasonsScreen(clock)
        self.qr = QrScreen(clock)
        self.thanks = ThanksScreen(clock)
        self.reading = ReadingScreen(clock)
        self.cases = CasesScreen(clock)
        self.keypad = KeypadScreen(clock)
        self.screens: dict[Screen, ScreenWidget] = {
            Screen.IDLE: self.idle,
            Screen.PAUSED: self.paused,
            Screen.PROMPT: self.prompt,
            Screen.REASONS: self.reasons,
            Screen.QR: self.qr,
            Screen.THANKS: self.thanks,
            Screen.READING: self.reading,
            Screen.CASES: self.cases,
            Screen.KEYPAD: self.keypad,
        }
        self.stack = QStackedWidget()
        for screen in self.screens.values():
            self.stack.addWidget(screen)
        self.language_button = QPushButton()
        self.language_button.setObjectName("language")
        self.language_button.clicked.connect(self.toggle_language)
        self.alerts = QLabel()
        self.alerts.setProperty("role", "alert")
        self.alerts.setWordWrap(True)
        self.alerts.hide()
        top = QHBoxLayout()
        top.addStretch(1)
        top.addWidget(self.language_button)
        layout = QVBoxLayout(self)
        # The window's size comes from the panel, never from its contents: the theme scales with the
        # window, so letting the contents grow it would feed back without end.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.alerts)

        self._connect(pad)

        self.corner = CornerGesture(self)
        self.corner.triggered.connect(self._on_corner_held)
        self.corner.touched.connect(pad.touched)

        self.set_language(language)
        self._apply_theme()
        self.show_state(pad.screen_state())

    def _connect(self, pad: Pad) -> None:
        """Touches go to the Pad; what the Pad decides comes back as screen states."""
        self.prompt.level_touched.connect(pad.touch_level)
        self.reasons.reason_toggled.connect(pad.toggle_reason)
        self.reasons.submitted.connect(pad.submit_reasons)
        self.idle.keypad_requested.connect(pad.open_keypad)
        self.cases.case_chosen.connect(pad.choose_case)
        self.cases.back.connect(pad.leave_terminal)
        self.keypad.key_pressed.connect(pad.keypad_key)
        self.keypad.back.connect(pad.leave_terminal)
        pad.screen_changed.connect(self.show_state)

    def _on_corner_held(self) -> None:
        # While a citizen is choosing (the prompt, the reason picker) the gesture does nothing: the
        # console's button test would show the level being pressed (R7).
        if not self.pad.rating_in_progress:
            self.technician_requested.emit()

    @property
    def current_screen(self) -> Screen:
        widget = self.stack.currentWidget()
        return next(kind for kind, screen in self.screens.items() if screen is widget)

    def show_state(self, state: ScreenState) -> None:
        widget = self.screens[state.screen]
        if state.picker is not None:
            self.reasons.set_offered(self.pad.reasons.offered(state.picker.satisfaction))
        widget.show_state(state, self.languages.current)
        # Screens not shown are told too, so that none keeps what a session, a card or a look-up brought
        # (a masked name, a task, a QR token) once the pad is back at rest (R3): a terminal's at once, the
        # prompt's and the QR code's at idle.
        resting = state.screen in (Screen.IDLE, Screen.PAUSED)
        forgetting = (self.reading, self.cases, self.keypad, *((self.prompt, self.qr) if resting else ()))
        for other in forgetting:
            if other is not widget and other.state is not None:
                other.show_state(state, self.languages.current)
        self.stack.setCurrentWidget(widget)
        self.alerts.setText("\n".join(self.alert_text(code) for code in state.alerts))
        self.alerts.setVisible(bool(state.alerts))

    def alert_text(self, code: str) -> str:
        """A technician alert in the screen's language."""
        texts = {
            "storage_unavailable": self.tr(
                "存储不可用（磁盘已满或只读）：暂停接收新的评价，已存的评价不会丢失"
            ),
            "evaluator_disconnected": self.tr("评价器未连接：请检查线缆，仍可在屏幕上评价"),
            "evaluator_unresponsive": self.tr("评价器无响应：请检查评价器电源，仍可在屏幕上评价"),
            "uplink_refused": self.tr("省级平台拒绝了本设备：评价保存在本机，请联系技术人员"),
            "enroll_refused": self.tr("注册码被拒绝：评价保存在本机，请技术人员输入新的注册码"),
            "chain": self.tr("省级平台确认的评价少于本机记录：请联系技术人员"),
            "idcard_disconnected": self.tr(
                "身份证阅读器未连接：请扫描办件回执或输入办件编号，并联系工作人员"
            ),
            "scanner_disconnected": self.tr("扫码器未连接：请放置身份证或输入办件编号，并联系工作人员"),
        }
        return texts.get(code, self.tr("设备需要技术人员检查"))

    def set_language(self, language: str) -> None:
        self.languages.switch(language)
        self.language_changed.emit(language)
        self.language_button.setText("English" if language == "zh_CN" else "中文")
        for screen in self.screens.values():
            screen.language = language
            screen.retranslate()
        state = self.pad.screen_state()
        self.screens[state.screen].show_state(state, language)

    def toggle_language(self) -> None:
        self.set_language("en_US" if self.languages.current == "zh_CN" else "zh_CN")

    def set_large_text(self, on: bool) -> None:
        self.large_text = on
        self._apply_theme()

    def _apply_theme(self) -> None:
        theme = Theme.for_size(self.width(), self.height(), self.large_text)
        self.language_button.setFont(theme.font(30))
        self.language_button.setMinimumSize(theme.touch(180), theme.touch(90))
        self.alerts.setFont(theme.font(28))
        for screen in self.screens.values():
            screen.apply_theme(theme)
        self.setStyleSheet(theme.stylesheet() + f"QWidget#padwindow {{ background: {PAPER.name()}; }}")
        self.corner.side = theme.touch(120)

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._apply_theme()
        super().resizeEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self.language_button.setText("English" if self.languages.current == "zh_CN" else "中文")
            self.show_state(self.pad.screen_state())


class CornerGesture(QObject):
    """The technician's hidden entry: a long press on the window's top-left corner.

    Watches the whole application's presses (the corner lies over whatever screen is shown) without
    taking them from the widgets.

    Signals:
        triggered(): the press was held for LONG_PRESS_MS.
        touched(): any press or touch anywhere on the window (a terminal's minute without one starts again).
    """

    triggered = Signal()
    touched = Signal()

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.window = window
        self.side = 120
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(LONG_PRESS_MS)
        self._timer.timeout.connect(self.triggered)
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(self)

    def _in_corner(self, global_pos: QPoint) -> bool:
        local = self.window.mapFromGlobal(global_pos)
        return 0 <= local.x() < self.side and 0 <= local.y() < self.side

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin):
            if isinstance(watched, QWidget) and (watched is self.window or self.window.isAncestorOf(watched)):
                self.touched.emit()
            position = _global_position(event)
            if position is not None and self.window.isVisible() and self._in_corner(position):
                self._timer.start()
        elif kind in (QEvent.Type.MouseButtonRelease, QEvent.Type.TouchEnd, QEvent.Type.TouchCancel):
            self._timer.stop()
        elif kind in (QEvent.Type.MouseMove, QEvent.Type.TouchUpdate) and self._timer.isActive():
            position = _global_position(event)
            if position is not None and not self._in_corner(position):
                self._timer.stop()
        return False


def _global_position(event: QEvent) -> QPoint | None:
    """Where a mouse press or the first finger of a touch is, in screen coordinates."""
    if isinstance(event, QSinglePointEvent):
        return event.globalPosition().toPoint()
    if isinstance(event, QPointerEvent) and event.points():
        return event.points()[0].globalPosition().toPoint()
    return None
