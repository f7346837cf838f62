"""The console's province page: dead letters with their reasons and no personal data, and the province's
acceptedSeq against the device's own, from a real sandbox."""

from __future__ import annotations

import json
from pathlib import Path

from pytestqt.qtbot import QtBot

from kiosk.app import PadApplication
from kiosk.store.ledger import Outcome
from kiosk.ui.technician.uplink import UplinkPage
from province.seed import DEMO_HALL
from province.server import SandboxServer
from tests.helpers.fakes import RecordingEvaluator
from tests.helpers.fixtures import MakePad
from tests.helpers.people import CHEN_MING_ID, CHEN_MING_MOBILE, session_body
from tests.helpers.widgets import texts
from tests.technician.conftest import WAIT_MS, FakeMonotonic, enrol, unlock


def rate(qtbot: QtBot, app: PadApplication, evaluator: RecordingEvaluator, project_no: str) -> int:
    """A rating by 陈明 (made up), pressed on the evaluator: its record's seq."""
    answer = app.client.post("/api/v1/sessions", json=session_body(project_no))  # type: ignore[attr-defined]
    assert answer.status_code == 201, answer.text
    qtbot.waitUntil(lambda: evaluator.armed, timeout=WAIT_MS)
    before = app.ledger.last_link()[0]
    evaluator.press(1, app.clock.now())  # 非常满意: the rating at once
    qtbot.waitUntil(lambda: app.ledger.last_link()[0] == before + 1, timeout=WAIT_MS)
    return before + 1


def make_dead_letter(app: PadApplication, seq: int) -> None:
    """The province rejects the record, and its message quotes the ID and phone numbers."""
    error = {
        "code": "invalid_field",
        "field": "certNo",
        "message": f"certNo {CHEN_MING_ID} does not match mobile +86 {CHEN_MING_MOBILE}",
    }
    app.ledger.record_outcomes([Outcome(seq, "dead", json.dumps(error))])


def table_cells(page: UplinkPage) -> list[list[str]]:
    table = page.dead
    return [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]


def test_dead_letters_are_listed_with_their_reasons_and_no_personal_data(
    qtbot: QtBot, make_pad: MakePad, monotonic: FakeMonotonic
) -> None:
    evaluator = RecordingEvaluator()
    app = make_pad(evaluator=evaluator)
    rate(qtbot, app, evaluator, "35010220261127000123")
    seq = rate(qtbot, app, evaluator, "35010220261127000124")
    make_dead_letter(app, seq)
    console = unlock(qtbot, app, monotonic)
    page = console.open_page("uplink")
    assert isinstance(page, UplinkPage)
    evaluation_id = app.ledger.record(seq)["evaluationId"]  # type: ignore[index]
    assert table_cells(page) == [
        [
            str(seq),
            evaluation_id,
            "invalid_field",
            "certNo",
            "certNo 3501**********1238 does not match mobile 138****8000",
        ]
    ]
    assert page.values["dead"].text() == "1" and page.values["queue"].text() == "1"
    shown = texts(console) + [cell for row in table_cells(page) for cell in row]
    assert not any(CHEN_MING_ID in t or CHEN_MING_MOBILE in t or "陈明" in t for t in shown)
    letters = app.ledger.dead_letters()
    assert [(d.seq, d.evaluation_id, d.code, d.field) for d in letters] == [
        (seq, evaluation_id, "invalid_field", "certNo")
    ]


def test_the_provinces_accepted_seq_against_the_devices_own(
    qtbot: QtBot, make_pad: MakePad, monotonic: FakeMonotonic, sandbox: SandboxServer, tmp_path: Path
) -> None:
    sandbox.store.set_setting(DEMO_HALL, "heartbeatS", 5)
    evaluator = RecordingEvaluator()
    app = make_pad(
        f'uplink.url="{sandbox.url}"', data_dir=enrol(tmp_path / "pad", sandbox), evaluator=evaluator
    )
    qtbot.waitUntil(lambda: app.pad.uplink.state == "online", timeout=WAIT_MS)
    rate(qtbot, app, evaluator, "35010220261127000123")
    qtbot.waitUntil(lambda: app.ledger.queue_depth() == 0, timeout=WAIT_MS)
    assert app.worker is not None
    qtbot.waitUntil(lambda: app.pad.uplink.accepted_seq == 1, timeout=30_000)
    console = unlock(qtbot, app, monotonic)
    page = console.open_page("uplink")
    assert isinstance(page, UplinkPage)
    values = {key: label.text() for key, label in page.values.items()}
    assert values["state"] == "在线：省平台可达"
    assert (values["accepted"], values["answered"], values["last_seq"], values["queue"]) == (
        "1",
        "1",
        "1",
        "0",
    )
    assert values["offset"].endswith(" 秒")
    page.check_now.click()
    qtbot.waitUntil(page.check_now.isEnabled, timeout=WAIT_MS)
    lines = page.probe_result.text().splitlines()
    assert lines[0] == f"OK   TLS: {sandbox.url}: plain HTTP, no certificate — nothing to do"
    assert lines[1].startswith(f"OK   province: {sandbox.url}: reachable; it knows this device")
    assert lines[2].startswith("OK   clock: the pad's clock is ")
