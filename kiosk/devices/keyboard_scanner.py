"""The keyboard-wedge scanner: an event filter on the application feeds a ScanBurstDetector.

While a text field has focus every key goes to it, scans included (a citizen typing the 办件编号 may as well
scan it there). Otherwise the filter watches the keys without taking them, and takes only the Enter that
ends a scan, so that it cannot press whatever button has the focus.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtGui import QGuiApplication, QInputMethodQueryEvent, QKeyEvent, QWindow

from kiosk.devices.scanner import Scanner, ScannerState
from kiosk.devices.wedge import DEFAULT_MAX_KEY_GAP_MS, ENTER, ScanBurstDetector

log = logging.getLogger(__name__)

_ENTER_KEYS = (int(Qt.Key.Key_Return.value), int(Qt.Key.Key_Enter.value))


def text_field_has_focus() -> bool:
    """Whether the focused object takes text input (as Qt decides for a virtual keyboard), without QtWidgets."""
    focused: QObject | None = QGuiApplication.focusObject()  # None when no window has focus
    if focused is None:
        return False
    query = QInputMethodQueryEvent(Qt.InputMethodQuery.ImEnabled)
    QCoreApplication.sendEvent(focused, query)
    return bool(query.value(Qt.InputMethodQuery.ImEnabled))


class KeyboardScanner(Scanner):
    """A scanner in keyboard-wedge mode, heard through an event filter on the application.

    Args:
        max_key_gap_ms: the longest gap between the keys of one scan (scanner.max_key_gap_ms).
        has_text_focus: whether a text field has focus now (text_field_has_focus).
        monotonic: the time of a key event that carries no timestamp of its own.

    Signals:
        case_scanned(str): a scan that is a case number: its projectNo.
        code_refused(str): a scan that is not.
        state_changed(str): connected once started, disconnected once stopped.
    """

    protocol = "keyboard"

    def __init__(
        self,
        max_key_gap_ms: float = DEFAULT_MAX_KEY_GAP_MS,
        *,
        has_text_focus: Callable[[], bool] = text_field_has_focus,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__("keyboard")
        self.detector = ScanBurstDetector(max_key_gap_ms)
        self._has_text_focus = has_text_focus
        self._monotonic = monotonic
        self._app: QCoreApplication | None = None

    def start(self) -> None:
        """Installs the event filter on the application and reports connected.

        Raises:
            RuntimeError: when there is no QCoreApplication yet.
        """
        app = QCoreApplication.instance()
        if app is None:
            raise RuntimeError("KeyboardScanner.start needs a QCoreApplication")
        app.installEventFilter(self)
        self._app = app
        self.state_changed.emit(ScannerState.CONNECTED.value)

    def stop(self) -> None:
        """Removes the event filter and reports disconnected."""
        if self._app is not None:
            self._app.removeEventFilter(self)
            self._app = None
            self.detector.reset()
            self.state_changed.emit(ScannerState.DISCONNECTED.value)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Feeds key presses to the detector; takes only the Enter that ends a scan.

        Args:
            watched: the object the event was sent to; only a window's events are looked at.
            event: any event; only key presses are looked at.

        Returns:
            True for the Enter that ends a scan, which then reaches no widget.
        """
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        # A key press passes the application's filters once per object it is delivered to: the window,
        # then the focused widget, then each parent that ignores it. The window sees each press once.
        if not isinstance(watched, QWindow):
            return False
        if event.isAutoRepeat() or self._has_text_focus():
            self.detector.reset()
            return False
        at_ms = float(event.timestamp()) or self._monotonic() * 1000.0
        if event.key() in _ENTER_KEYS:
            scanned = self.detector.feed(ENTER, at_ms)
            if scanned is None:
                return False
            self.counters.add("frames_decoded")
            self.take_code(scanned)
            return True
        text = event.text()
        if len(text) == 1 and text.isprintable():
            self.detector.feed(text, at_ms)
        return False
