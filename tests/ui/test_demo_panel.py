"""The windowed demo's panel offers the QR code's page in the system browser while the pad shows a code."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from pytestqt.qtbot import QtBot

from kiosk.devices.evaluator_simulator import SimulatedEvaluator
from kiosk.domain.clock import ManualClock
from kiosk.domain.timefmt import parse_time
from kiosk.domain.validation import validate_session_request
from kiosk.pad import Pad, PadSettings
from kiosk.resources import shipped_reasons
from kiosk.store.ledger import Ledger
from kiosk.ui.demo_panel import DemoPanel
from tests.helpers.fakes import RecordingEvaluator
from tests.helpers.people import session_body

SECRET = base64.b64decode("c2FuZGJveC1kZXZpY2Utc2VjcmV0LTAwMDAwMDAwMDA=")
SANDBOX = "http://127.0.0.1:9/api/v1"  # nothing listens: the panel's counter and case system just log
TEMPLATE = "http://127.0.0.1:9/m/evaluate?d={deviceId}&p={projectNo}&t={token}"


class Browser(QObject):
    """Stands in for the system browser: QDesktopServices hands it the URLs it would open."""

    def __init__(self) -> None:
        super().__init__()
        self.opened: list[str] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.opened.append(url.toString())


@pytest.fixture
def browser() -> Iterator[Browser]:
    catcher = Browser()
    QDesktopServices.setUrlHandler("http", catcher, "open")
    yield catcher
    QDesktopServices.unsetUrlHandler("http")


@pytest.fixture
def pad(qapp: object, tmp_path: Path) -> Iterator[Pad]:
    clock = ManualClock(parse_time("2026-11-27T09:31:00+08:00"))
    ledger = Ledger.open(tmp_path / "data", clock)
    made = Pad(ledger, RecordingEvaluator(), clock, PadSettings(qr_url_template=TEMPLATE), shipped_reasons())
    made.start()
    made.set_enrolled(SECRET)
    yield made
    made.stop()
    ledger.close()


def test_the_qr_codes_page_opens_in_the_browser(qtbot: QtBot, pad: Pad, browser: Browser) -> None:
    simulator = SimulatedEvaluator("frame", address=1)
    panel = DemoPanel(pad, simulator.press, lambda: None, SANDBOX.removesuffix("/api/v1") + "/")
    qtbot.addWidget(panel)
    try:
        assert not panel.qr_button.isEnabled()  # idle: no code on the pad
        request = validate_session_request(session_body("35010220261127000123"), now=pad.clock.now())
        pad.open_session(request)
        qtbot.waitUntil(panel.qr_button.isEnabled)

        qtbot.mouseClick(panel.qr_button, Qt.MouseButton.LeftButton)

        shown = pad.screen_state().qr_url
        assert shown is not None and browser.opened == [shown]
        assert shown.startswith("http://127.0.0.1:9/m/evaluate?d=")
    finally:
        panel.timer.stop()
        simulator.close()
