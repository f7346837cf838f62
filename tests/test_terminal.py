"""A self-service terminal, whole and in-process: the ID card reader on a pseudo-terminal (the simulator),
the real sandbox on loopback, the Pad and its screens. A citizen lays their card, touches one of their
cases, rates it; the province holds the rating, pf "5", bound to the case's applicant; the other case stays
rateable; back at idle, nothing the card brought is left in any widget, file, log or output."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import requests
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QLabel
from pytestqt.qtbot import QtBot

from kiosk.app import PadApplication
from kiosk.devices.card_reader_simulator import SimulatedCardReader, made_up_card
from kiosk.domain.cases import CaseState
from kiosk.domain.clock import CHINA_TIME
from kiosk.domain.screen import Screen
from kiosk.technician.checks import Status
from kiosk.technician.live import diagnose_live
from province.seed import DEMO_HALL, DEMO_WINDOW
from province.server import SandboxServer
from tests.helpers.fixtures import MakePad
from tests.helpers.people import resident_id
from tests.helpers.scan import encodings, scan_for_personal_data

WAIT_MS = 20_000
CERT_NO = resident_id("350104", "19850607", "031")
MOBILE = "13800138021"
NAME = "林小梅"
ADDRESS = "福建省福州市鼓楼区五四路一百五十八号"
APPLICANT = {"name": NAME, "userProp": "1", "certType": "111", "certNo": CERT_NO, "mobile": MOBILE}
TASKS = {"FJ-TERM-0001": "个体工商户设立登记", "FJ-TERM-0002": "食品经营许可证核发"}


@pytest.fixture
def reader() -> Iterator[SimulatedCardReader]:
    simulated = SimulatedCardReader()
    yield simulated
    simulated.close()


def report_cases(sandbox: SandboxServer) -> None:
    """The case system reports two finished cases of the card's holder to the province."""
    now = datetime.now(CHINA_TIME).replace(microsecond=0)
    for n, (project_no, task) in enumerate(TASKS.items()):
        body = {
            "projectNo": project_no,
            "taskCode": f"11350000003591433433501110020{n:02d}",
            "taskName": task,
            "acceptTime": (now - timedelta(hours=5 + n)).isoformat(),
            "finishTime": (now - timedelta(hours=1 + n)).isoformat(),
            "windowNo": "C01",
            "staffId": "S3012",
            "applicant": APPLICANT,
        }
        answer = requests.post(f"{sandbox.url}/projects", json=body, timeout=10)
        assert answer.status_code == 201, answer.text


def terminal(make_pad: MakePad, sandbox: SandboxServer, reader: SimulatedCardReader) -> PadApplication:
    code = sandbox.store.issue_code(DEMO_HALL, DEMO_WINDOW)
    return make_pad(
        f'uplink.url="{sandbox.url}"',
        f'uplink.enroll_code="{code}"',
        'device.role="terminal"',
        'idcard.protocol="sam"',
        f'idcard.port="{reader.port}"',
    )


def every_text(app: PadApplication) -> list[str]:
    """What every label and button of the window holds, shown or not."""
    window = app.window
    return [w.text() for w in window.findChildren(QLabel) + window.findChildren(QAbstractButton)]


def test_a_citizen_rates_their_own_case_by_laying_their_card(
    qtbot: QtBot,
    make_pad: MakePad,
    sandbox: SandboxServer,
    reader: SimulatedCardReader,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.DEBUG)
    report_cases(sandbox)
    app = terminal(make_pad, sandbox, reader)
    qtbot.waitUntil(lambda: app.pad.uplink.state == "online", timeout=WAIT_MS)
    qtbot.waitUntil(
        lambda: app.card_reader is not None and app.card_reader.state == "connected", timeout=WAIT_MS
    )
    window = app.window

    # 1. The card is laid: the citizen's cases come on screen, the name masked, both rateable.
    reader.lay(replace(made_up_card(CERT_NO, NAME, sex="2"), address=ADDRESS))
    qtbot.waitUntil(lambda: app.pad.screen_state().screen is Screen.CASES, timeout=WAIT_MS)
    state = app.pad.screen_state()
    assert state.holder_masked == "林*梅"
    assert [(case.project_no, case.state) for case in state.cases] == [
        ("FJ-TERM-0001", CaseState.RATEABLE),
        ("FJ-TERM-0002", CaseState.RATEABLE),
    ]
    assert window.current_screen is Screen.CASES

    # 2. The citizen touches the first case and rates it on the screen.
    (first, _second) = window.cases.case_buttons
    qtbot.mouseClick(first, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.current_screen is Screen.PROMPT, timeout=WAIT_MS)
    assert app.pad.screen_state().task_name == TASKS["FJ-TERM-0001"]
    very_satisfied = next(button for button in window.prompt.buttons if button.satisfaction == 5)
    qtbot.mouseClick(very_satisfied, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.current_screen is Screen.REASONS, timeout=WAIT_MS)  # optional at 5
    qtbot.mouseClick(window.reasons.submit, Qt.MouseButton.LeftButton)

    # 3. The province holds it, pf "5" (self-service), bound to that case's applicant.
    qtbot.waitUntil(lambda: sandbox.store.first_rating("FJ-TERM-0001") is not None, timeout=WAIT_MS)
    rating = sandbox.store.first_rating("FJ-TERM-0001")
    assert rating is not None and (rating.satisfaction, rating.pf) == (5, "5")
    (stored,) = sandbox.store.records_for(app.ledger.device_id)
    assert stored.record["projectNo"] == "FJ-TERM-0001"
    assert (stored.record["certNo"], stored.record["userName"]) == (CERT_NO, NAME)

    # 4. After the thanks, the list again: the other case is still rateable, the rated one says why not.
    app.pad.dismiss_transient_screens()
    qtbot.waitUntil(lambda: window.current_screen is Screen.CASES, timeout=WAIT_MS)
    cases = {case.project_no: case for case in app.pad.screen_state().cases}
    assert (cases["FJ-TERM-0001"].state, cases["FJ-TERM-0002"].state) == (CaseState.RATED, CaseState.RATEABLE)
    assert sandbox.store.first_rating("FJ-TERM-0002") is None

    # The citizen leaves: back at idle, nothing of the card or the look-up in any widget, shown or not.
    qtbot.mouseClick(window.cases.leave, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.current_screen is Screen.IDLE, timeout=WAIT_MS)
    left = [t for t in every_text(app) if any(s in t for s in ("林*梅", *TASKS.values(), *TASKS))]
    assert not left, left
    assert app.pad.screen_state().cases == () and app.pad.screen_state().holder_masked == ""

    # Technicians see the devices among the console's checks (and the doctor's, on the running pad).
    checks = {check.name: check for check in diagnose_live(app.controls.snapshot())}
    assert checks["ID card reader"].status is Status.OK
    assert reader.port in checks["ID card reader"].found
    assert checks["scanner"].status is Status.WARN  # none fitted: citizens type the number

    # Nothing of the card readable anywhere on the device: files, the log, the output.
    app.stop()
    secrets = [CERT_NO, NAME, ADDRESS, MOBILE]
    leaks = scan_for_personal_data(tmp_path / "pad0", secrets)
    assert not leaks, leaks
    out, err = capfd.readouterr()
    said = (caplog.text + out + err).encode("utf-8")
    for secret in secrets:
        assert not any(form in said for form in encodings(secret)), f"{secret[:1]}… in the log or output"
