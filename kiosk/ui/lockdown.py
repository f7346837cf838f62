"""Kiosk lockdown: a citizen can never leave the rating screen.

Full screen with no frame; closing (the window manager's close, Alt+F4) and the usual escape keys are
ignored; only the technician's console (or the pad's own clean stop) may close the window. On a touch
screen the pointer is hidden.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QKeyCombination, QObject, Qt
from PySide6.QtGui import QCloseEvent, QInputDevice, QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

# Keys a desktop would act on: closing, quitting, leaving full screen, switching windows, the system menu.
_ESCAPES = {
    QKeyCombination(Qt.KeyboardModifier.NoModifier, Qt.Key.Key_Escape).toCombined(),
    QKeyCombination(Qt.KeyboardModifier.AltModifier, Qt.Key.Key_F4).toCombined(),
    QKeyCombination(Qt.KeyboardModifier.ControlModifier, Qt.Key.Key_W).toCombined(),
    QKeyCombination(Qt.KeyboardModifier.ControlModifier, Qt.Key.Key_Q).toCombined(),
    QKeyCombination(Qt.KeyboardModifier.AltModifier, Qt.Key.Key_Tab).toCombined(),
    QKeyCombination(Qt.KeyboardModifier.AltModifier, Qt.Key.Key_Space).toCombined(),
    QKeyCombination(Qt.KeyboardModifier.NoModifier, Qt.Key.Key_F11).toCombined(),
}
_SYSTEM_KEYS = {Qt.Key.Key_Meta, Qt.Key.Key_Super_L, Qt.Key.Key_Super_R}


def is_escape(event: QKeyEvent) -> bool:
    if event.key() in _SYSTEM_KEYS:
        return True
    return event.keyCombination().toCombined() in _ESCAPES


def has_touch_screen() -> bool:
    return any(d.type() == QInputDevice.DeviceType.TouchScreen for d in QInputDevice.devices())


class Lockdown(QObject):
    """Keeps a window in front of the citizen.

    Args:
        window: the pad's window; its close requests are refused until `release()`.
    """

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.window = window
        self.locked = False
        self.refused = 0
        window.installEventFilter(self)
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(self)

    def lock(self) -> None:
        """Full screen without a frame; the pointer hidden where fingers do the pointing."""
        self.locked = True
        self.window.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)
        self.window.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint, True)
        self.window.showFullScreen()
        if has_touch_screen():
            QApplication.setOverrideCursor(Qt.CursorShape.BlankCursor)

    def release(self) -> None:
        """The console (or the pad's own stop) may close the window from now on."""
        self.locked = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self.locked:
            return False
        if event.type() == QEvent.Type.Close and watched is self.window:
            assert isinstance(event, QCloseEvent)
            event.ignore()
            self.refused += 1
            return True
        key_event = event.type() in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride)
        if key_event and isinstance(event, QKeyEvent) and is_escape(event):
            self.refused += 1
            return True
        state_change = event.type() == QEvent.Type.WindowStateChange and watched is self.window
        if state_change and not self.window.isFullScreen() and self.window.isVisible():
            self.window.showFullScreen()  # un-maximised or minimised by the window manager: back
        return False
