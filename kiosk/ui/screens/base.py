"""What every screen shares: theming, retranslation, and the way it is handed a ScreenState."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QHideEvent, QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from kiosk.domain.clock import Clock
from kiosk.domain.screen import ScreenState
from kiosk.ui.theme import Theme


class ScreenWidget(QWidget):
    """Base of the citizen screens.

    Args:
        clock: the pad's clock, for countdowns and the idle clock.
    """

    def __init__(self, clock: Clock, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("screen")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.clock = clock
        self.theme = Theme()
        self.state: ScreenState | None = None
        self.language = "zh_CN"
        self._portrait: bool | None = None

    def apply_theme(self, theme: Theme) -> None:
        """Takes new sizes (window resized, large text switched)."""
        self.theme = theme
        self.setStyleSheet(theme.stylesheet())
        layout = self.layout()
        if layout is not None:
            layout.setContentsMargins(*(theme.px(40),) * 4)
            layout.setSpacing(theme.px(16))
        self.refonts()

    def refonts(self) -> None:
        """Sets fonts and fixed sizes from `self.theme`; each screen overrides it."""

    def resizeEvent(self, event: QResizeEvent) -> None:
        self.arrange()
        super().resizeEvent(event)

    def arrange(self, force: bool = False) -> None:
        """Lays the screen out for the panel's orientation, when it changed (or when forced)."""
        portrait = self.height() > self.width()
        if portrait != self._portrait or force:
            self._portrait = portrait
            self.lay_out(portrait)

    def lay_out(self, portrait: bool) -> None:
        """Arranges the widgets for a portrait or a landscape panel; screens that differ override it."""

    def show_state(self, state: ScreenState, language: str) -> None:
        self.state = state
        self.language = language
        self.render_state()

    def render_state(self) -> None:
        """Fills the widgets from `self.state`; each screen overrides it."""

    def retranslate(self) -> None:
        """Sets every translatable text; each screen overrides it and calls render_state."""
        if self.state is not None:
            self.render_state()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


class CountdownScreen(ScreenWidget):
    """A screen that counts down, visibly, to its state's deadline (the prompt, the reason picker)."""

    def __init__(self, clock: Clock, parent: QWidget | None = None) -> None:
        super().__init__(clock, parent)
        self.countdown = wrapping_label()
        self.countdown.setProperty("role", "muted")
        self._tick = QTimer(self)
        self._tick.setInterval(500)
        self._tick.timeout.connect(self._update_countdown)

    def countdown_text(self, seconds: int) -> str:
        """The countdown's words for `seconds` left, in the screen's language."""
        raise NotImplementedError

    def start_countdown(self) -> None:
        self._update_countdown()
        self._tick.start()

    def _update_countdown(self) -> None:
        state = self.state
        if state is None or state.deadline is None:
            self.countdown.setText("")
            return
        seconds = max(0, int((state.deadline - self.clock.now()).total_seconds()))
        self.countdown.setText(self.countdown_text(seconds))

    def hideEvent(self, event: QHideEvent) -> None:
        self._tick.stop()
        super().hideEvent(event)


def wrapping_label(text: str = "", *, align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignCenter) -> QLabel:
    """A label that wraps rather than clips (large-text mode, narrow layouts)."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setAlignment(align)
    label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    return label
