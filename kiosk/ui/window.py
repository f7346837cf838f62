"""The citizen's window: one screen at a time, as the Pad says."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QStackedWidget, QVBoxLayout, QWidget

from kiosk.domain.screen import Screen, ScreenState
from kiosk.pad import Pad
from kiosk.ui.i18n import Languages
from kiosk.ui.screens.base import ScreenWidget
from kiosk.ui.screens.idle import IdleScreen
from kiosk.ui.screens.paused import PausedScreen
from kiosk.ui.screens.prompt import PromptScreen
from kiosk.ui.screens.qr import QrScreen
from kiosk.ui.screens.reasons import ReasonsScreen
from kiosk.ui.screens.thanks import ThanksScreen
from kiosk.ui.theme import Theme


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

    def __init__(self, pad: Pad, language: str = "zh_CN", large_text: bool = False) -> None:
        super().__init__()
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
        self.screens: dict[Screen, ScreenWidget] = {
            Screen.IDLE: self.idle,
            Screen.PAUSED: self.paused,
            Screen.PROMPT: self.prompt,
            Screen.REASONS: self.reasons,
            Screen.QR: self.qr,
            Screen.THANKS: self.thanks,
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
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.alerts)

        self.prompt.level_touched.connect(pad.touch_level)
        self.reasons.reason_toggled.connect(pad.toggle_reason)
        self.reasons.submitted.connect(pad.submit_reasons)
        pad.screen_changed.connect(self.show_state)

        self.set_language(language)
        self._apply_theme()
        self.show_state(pad.screen_state())

    @property
    def current_screen(self) -> Screen:
        widget = self.stack.currentWidget()
        return next(kind for kind, screen in self.screens.items() if screen is widget)

    def show_state(self, state: ScreenState) -> None:
        widget = self.screens[state.screen]
        if state.picker is not None:
            self.reasons.set_offered(self.pad.reasons.offered(state.picker.satisfaction))
        widget.show_state(state, self.languages.current)
        self.stack.setCurrentWidget(widget)
        self.alerts.setText("\n".join(state.alerts))
        self.alerts.setVisible(bool(state.alerts))

    def set_language(self, language: str) -> None:
        self.languages.switch(language)
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
        self.setStyleSheet(theme.stylesheet())

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._apply_theme()
        super().resizeEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self.language_button.setText("English" if self.languages.current == "zh_CN" else "中文")
