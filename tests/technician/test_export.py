"""The diagnostics bundle: the configuration without its secrets, the logs, the counters and the doctor's
report, written to the chosen folder, and nothing personal in it in any encoding."""

from __future__ import annotations

import base64
import json
import tomllib
import zipfile
from collections.abc import Callable
from pathlib import Path

from pytestqt.qtbot import QtBot

from kiosk.technician.export import config_without_secrets, export_folders
from kiosk.technician.settings import write_changes
from kiosk.ui.technician.diagnostics import DiagnosticsPage
from province.server import SandboxServer
from tests.helpers.fakes import RecordingEvaluator
from tests.helpers.fixtures import MakePad
from tests.helpers.people import CHEN_MING_ID, CHEN_MING_MOBILE
from tests.helpers.scan import scan_for_personal_data
from tests.technician.conftest import PIN, WAIT_MS, FakeMonotonic, enrol, unlock
from tests.technician.test_console_uplink import make_dead_letter, rate


def test_the_bundle_holds_what_support_needs_and_nothing_personal(
    qtbot: QtBot,
    make_pad: MakePad,
    monotonic: FakeMonotonic,
    sandbox: SandboxServer,
    tmp_path: Path,
    file_logging: Callable[[Path], None],
) -> None:
    data = enrol(tmp_path / "pad", sandbox)
    write_changes(data / "kiosk.toml", {"uplink.enroll_code": "K7Q2-9XDM", "pad.volume": 55})
    file_logging(data)
    evaluator = RecordingEvaluator()
    app = make_pad(f'uplink.url="{sandbox.url}"', data_dir=data, evaluator=evaluator)
    app.config_path = data / "kiosk.toml"
    rate(qtbot, app, evaluator, "35010220261127000123")
    qtbot.waitUntil(lambda: app.ledger.queue_depth() == 0, timeout=WAIT_MS)
    app.worker.stop(timeout=15)  # type: ignore[union-attr]  # the next record stays queued
    seq = rate(qtbot, app, evaluator, "35010220261127000124")
    make_dead_letter(app, seq)
    console = unlock(qtbot, app, monotonic)
    page = console.open_page("diagnostics")
    assert isinstance(page, DiagnosticsPage)
    assert [page.folders.item(i).text() for i in range(page.folders.count())][-1] == str(data / "exports")
    qtbot.waitUntil(lambda: bool(page.checks), timeout=60_000)
    usb = tmp_path / "usb"
    page.export_to(usb)
    qtbot.waitUntil(lambda: page.last_export is not None, timeout=60_000)
    bundle = page.last_export
    assert bundle is not None and bundle.parent == usb and bundle.suffix == ".zip"
    assert page.result.text() == f"已导出：{bundle}"
    assert [p.name for p in usb.iterdir()] == [bundle.name]  # written whole, then renamed
    unpacked = tmp_path / "unpacked"
    with zipfile.ZipFile(bundle) as archive:
        names = sorted(archive.namelist())
        archive.extractall(unpacked)
    assert names == ["counters.json", "doctor.txt", "kiosk.toml", "logs/kiosk.log", "manifest.json"]
    config = tomllib.loads((unpacked / "kiosk.toml").read_text())
    assert config["console"]["pin_hash"] == "" and config["uplink"]["enroll_code"] == ""
    assert config["pad"]["volume"] == 55
    report = (unpacked / "doctor.txt").read_text()
    assert (
        "WARN dead letters: 1 rejected by the province: seq 2 invalid_field (certNo): certNo 3501**" in report
    )
    counters = json.loads((unpacked / "counters.json").read_text())
    assert counters["queue"]["dead"] == 1 and counters["queue"]["accepted"] == 1
    assert counters["evaluator"]["protocol"] == "fake" and "diagnostics" in counters["evaluator"]
    log = (unpacked / "logs" / "kiosk.log").read_text()
    assert "console: technician PIN set" in log and "console: diagnostics page" in log
    secret = app.ledger.device_secret()
    assert secret is not None
    found = scan_for_personal_data(
        unpacked,
        [
            CHEN_MING_ID,
            CHEN_MING_MOBILE,
            "陈明",
            PIN,
            "K7Q2-9XDM",
            app.token,
            base64.b64encode(secret).decode(),
            secret.hex(),
        ],
    )
    assert found == []
    assert scan_for_personal_data(usb, [CHEN_MING_ID, CHEN_MING_MOBILE, PIN, app.token]) == []


def test_an_unreadable_config_is_exported_with_its_secrets_blanked(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.toml"
    path.write_text(
        '[console]\npin_hash = "scrypt$n=16384,r=8,p=1$abc$def"\n[uplink]\nenroll_code = "K7Q2-9XDM"\nurl = \n'
    )
    text = config_without_secrets(path)
    assert "scrypt" not in text and "K7Q2" not in text
    assert 'pin_hash = ""' in text and 'enroll_code = ""' in text
    assert text.startswith("# ")


def test_removable_media_come_first(tmp_path: Path) -> None:
    mounts = tmp_path / "mounts"
    mounts.write_text(
        f"/dev/sda1 {tmp_path} vfat rw 0 0\n/dev/sdb1 /media/nobody/USB\\040STICK vfat rw 0 0\n"
    )
    assert export_folders(tmp_path / "data", mounts) == [tmp_path / "data" / "exports"]
