"""The windowed demo's control panel: the simulated evaluator's five buttons, a simulated counter, and the
way to the other side of the QR code (its page in the system browser) and to the province's overview.

What the buttons and the counter do is the demo's (kiosk/demo.py); the panel is given them as callables."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer, QUrl
from PySide6.QtGui import QCloseEvent, QDesktopServices, QKeyEvent
from PySide6.QtWidgets import QApplication, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.domain.levels import LEVELS
from kiosk.domain.screen import Screen, ScreenState
from kiosk.pad import Pad

COUNTER_EVERY_MS = 4000


class DemoPanel(QWidget):
    """Press 1-5 (or click) to press the simulated evaluator's buttons; a counter opens a session whenever
    the pad is idle; while the pad shows a QR code, its page opens in the system browser, as on the
    citizen's phone.

    Args:
        pad: the Pad, whose screens the panel follows (on the same, Qt, thread).
        press: presses a button of the simulated evaluator.
        open_session: opens a session as the hall's case system would (returns at once).
        overview_url: the province's overview page.
    """

    def __init__(
        self, pad: Pad, press: Callable[[int], None], open_session: Callable[[], None], overview_url: str
    ) -> None:
        super().__init__()
        self.setWindowTitle("kiosk demo: evaluator and counter")
        self.pad = pad
        self.press = press
        self.open_session = open_session
        self.opened = 0
        self.status = QLabel("The counter opens a session every few seconds while the pad is idle.")
        self.status.setWordWrap(True)
        buttons = QHBoxLayout()
        for button, satisfaction in sorted(pad.evaluator.buttons.items()):
            push = QPushButton(f"{button}\n{LEVELS[satisfaction].zh}\n{LEVELS[satisfaction].en}")
            push.setMinimumSize(120, 90)
            push.clicked.connect(lambda _checked=False, b=button: self.press(b))
            buttons.addWidget(push)
        self.qr_url: str | None = None
        self.qr_button = QPushButton("Open the QR code's page in the browser (as a phone would)")
        self.qr_button.setEnabled(False)
        self.qr_button.clicked.connect(self._open_qr_page)
        overview = QPushButton("The province's overview page")
        overview.clicked.connect(lambda _checked=False: QDesktopServices.openUrl(QUrl(overview_url)))
        browser = QHBoxLayout()
        browser.addWidget(self.qr_button)
        browser.addWidget(overview)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Simulated evaluator (keys 1-5):"))
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        layout.addLayout(browser)
        pad.screen_changed.connect(self._on_screen)
        self._on_screen(pad.screen_state())
        self.timer = QTimer(self)
        self.timer.setInterval(COUNTER_EVERY_MS)
        self.timer.timeout.connect(self._counter)
        self.timer.start()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        text = event.text()
        if text.isdigit() and int(text) in self.pad.evaluator.buttons:
            self.press(int(text))
            return
        super().keyPressEvent(event)

    def _on_screen(self, state: ScreenState) -> None:
        self.qr_url = state.qr_url
        self.qr_button.setEnabled(state.qr_url is not None)

    def _open_qr_page(self) -> None:
        if self.qr_url is not None:
            QDesktopServices.openUrl(QUrl(self.qr_url))

    def _counter(self) -> None:
        if self.pad.screen_state().screen not in (Screen.IDLE, Screen.PAUSED):
            return
        self.opened += 1
        self.status.setText(
            f"Session {self.opened} opened: press 1-5 on the evaluator, touch the screen, or open the QR"
            " code's page."
        )
        self.open_session()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.timer.stop()
        QApplication.quit()
        event.accept()
