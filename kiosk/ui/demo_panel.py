"""The windowed demo's control panel: the simulated evaluator's five buttons and a simulated counter."""

from __future__ import annotations

import concurrent.futures
import logging
from typing import Any

import requests
from PySide6.QtCore import QTimer
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import QApplication, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.devices.simulator import SimulatedEvaluator
from kiosk.domain.levels import LEVELS
from kiosk.domain.screen import Screen
from kiosk.pad import Pad

log = logging.getLogger(__name__)
COUNTER_EVERY_MS = 4000


class DemoPanel(QWidget):
    """Press 1-5 (or click) to press the simulated evaluator's buttons; a counter opens a session over
    the bridge whenever the pad is idle."""

    def __init__(self, simulator: SimulatedEvaluator, pad: Pad, bridge_url: str, token: str) -> None:
        super().__init__()
        self.setWindowTitle("kiosk demo: evaluator and counter")
        self.simulator = simulator
        self.pad = pad
        self.bridge_url = bridge_url
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
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Simulated evaluator (keys 1-5):"))
        layout.addLayout(buttons)
        layout.addWidget(self.status)
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

    def _counter(self) -> None:
        if self.pad.screen_state().screen not in (Screen.IDLE, Screen.PAUSED):
            return
        from kiosk.demo import session_body

        now = self.pad.clock.now().replace(microsecond=0).isoformat()
        self.opened += 1
        self.status.setText(f"Session {self.opened} opened: press 1-5 on the evaluator, or touch the screen.")
        self.pool.submit(self._post, "/sessions", session_body(self.opened, now))

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
