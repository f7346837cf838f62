"""The windowed demo's control panel: the simulated evaluator's five buttons, a simulated counter, and the
way to the other side of the QR code (its page in the system browser) and to the province's overview."""

from __future__ import annotations

import concurrent.futures
import logging
from typing import Any

import requests
from PySide6.QtCore import QTimer, QUrl
from PySide6.QtGui import QCloseEvent, QDesktopServices, QKeyEvent
from PySide6.QtWidgets import QApplication, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.devices.evaluator_simulator import SimulatedEvaluator
from kiosk.domain.levels import LEVELS
from kiosk.domain.screen import Screen, ScreenState
from kiosk.pad import Pad

log = logging.getLogger(__name__)
COUNTER_EVERY_MS = 4000


class DemoPanel(QWidget):
    """Press 1-5 (or click) to press the simulated evaluator's buttons; a counter opens a session over
    the bridge whenever the pad is idle, reporting its 办件 to the sandbox as the case system would; while
    the pad shows a QR code, its page opens in the system browser, as on the citizen's phone."""

    def __init__(
        self, simulator: SimulatedEvaluator, pad: Pad, bridge_url: str, token: str, sandbox_url: str
    ) -> None:
        super().__init__()
        self.setWindowTitle("kiosk demo: evaluator and counter")
        self.simulator = simulator
        self.pad = pad
        self.bridge_url = bridge_url
        self.sandbox_url = sandbox_url
        self.http = requests.Session()
        self.http.headers["Authorization"] = f"Bearer {token}"
        self.pool = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="demo-counter")
        self.opened = 0
        self.status = QLabel("The counter opens a session every few seconds while the pad is idle.")
        self.status.setWordWrap(True)
        buttons = QHBoxLayout()
        for button, satisfaction in sorted(pad.evaluator.buttons.items()):
            push = QPushButton(f"{button}\n{LEVELS[satisfaction].zh}\n{LEVELS[satisfaction].en}")
            push.setMinimumSize(120, 90)
            push.clicked.connect(lambda _checked=False, b=button: self.simulator.press(b))
            buttons.addWidget(push)
        self.qr_url: str | None = None
        self.qr_button = QPushButton("Open the QR code's page in the browser (as a phone would)")
        self.qr_button.setEnabled(False)
        self.qr_button.clicked.connect(self._open_qr_page)
        overview = QPushButton("The province's overview page")
        overview_url = sandbox_url.removesuffix("/api/v1") + "/"
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
        self.pool.submit(self._post, "/staff/sign-in", {"staffId": "S1024"})
        self.timer = QTimer(self)
        self.timer.setInterval(COUNTER_EVERY_MS)
        self.timer.timeout.connect(self._counter)
        self.timer.start()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        text = event.text()
        if text.isdigit() and int(text) in self.pad.evaluator.buttons:
            self.simulator.press(int(text))
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
        from kiosk.demo import case_report, session_body

        now = self.pad.clock.now().replace(microsecond=0).isoformat()
        self.opened += 1
        self.status.setText(
            f"Session {self.opened} opened: press 1-5 on the evaluator, touch the screen, or open the QR"
            " code's page."
        )
        body = session_body(self.opened, now)
        self.pool.submit(self._report_then_open, case_report(body), body)

    def _report_then_open(self, case: dict[str, Any], session: dict[str, Any]) -> None:
        try:
            # The hall's case system tells the province of the 办件, so that the QR code's page knows it.
            requests.post(f"{self.sandbox_url}/projects", json=case, timeout=10)
        except requests.RequestException as exc:
            log.warning("demo case system: %s", exc)
        self._post("/sessions", session)

    def _post(self, path: str, body: dict[str, Any]) -> None:
        try:
            self.http.post(f"{self.bridge_url}/api/v1{path}", json=body, timeout=10)
        except requests.RequestException as exc:
            log.warning("demo counter: %s", exc)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.timer.stop()
        self.pool.shutdown(wait=False)
        QApplication.quit()
        event.accept()
