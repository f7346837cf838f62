"""The console in the gateway profile: the gateway page (the app code masked and entered unseen, the hall
file imported from a stick, the gateway's checks with the certificate) in place of enrolment."""

from __future__ import annotations

import json
from pathlib import Path

from pytestqt.qtbot import QtBot

from kiosk.store.app_secret import AppSecret
from kiosk.ui.technician.gateway import GatewayPage
from province.server import SandboxServer
from tests.helpers.fixtures import MakePad
from tests.sync.fujian.conftest import WAIT_MS, gateway_keys
from tests.sync.fujian.test_hall_file import HALL
from tests.technician.conftest import FakeMonotonic, unlock


def test_the_gateway_page(
    qtbot: QtBot, sandbox: SandboxServer, make_pad: MakePad, monotonic: FakeMonotonic, tmp_path: Path
) -> None:
    keys = gateway_keys(sandbox)
    app_code = keys[3].partition("=")[2].strip('"')
    app = make_pad(*keys)
    console = unlock(qtbot, app, monotonic)
    assert "enrolment" not in [page.name for page in console.pages]
    page = console.open_page("gateway")
    assert isinstance(page, GatewayPage)
    shown = page.values["app_code"].text()
    assert shown.startswith("••••••••") and app_code not in shown
    assert page.values["gateway"].text() == sandbox.gateway_url

    # A hall file with a mistake is refused with its field; a good one is in force at once.
    stick = tmp_path / "usb"
    stick.mkdir()
    bad = json.loads(json.dumps(HALL))
    bad["window"]["no"] = 7
    (stick / "hall.json").write_text(json.dumps(bad), encoding="utf-8")
    page.import_path(stick / "hall.json")
    assert page.result.text().startswith("未导入：window.no: must be a string")
    assert not (app.data_dir / "hall.json").exists()
    (stick / "hall.json").write_text(json.dumps(HALL, ensure_ascii=False), encoding="utf-8")
    page.import_path(stick / "hall.json")
    assert page.result.text() == "已导入并生效：鼓楼区政务服务中心 A07: 2 staff, 1 notices"
    assert app.pad.placement.window_no == "A07" and app.pad.placement.roster == {"S1024", "S1025"}
    assert (app.data_dir / "hall.json").read_bytes() == (stick / "hall.json").read_bytes()

    # The checks: the app, TLS, the token call, the clock, the template and the hall file.
    page.check_now.click()
    qtbot.waitUntil(lambda: page.check_now.isEnabled() and page.report.count() > 1, timeout=WAIT_MS)
    lines = [page.report.item(row).text() for row in range(page.report.count())]
    assert [line[5:].partition(":")[0] for line in lines] == [
        "gateway app", "TLS", "gateway token", "clock", "Case template", "hall file",
    ]  # fmt: skip
    assert all(line.startswith("OK   ") for line in lines), lines
    assert not any(app_code in line for line in lines)

    # A new app code goes to secrets/ only, typed unseen.
    page.app_code.setText("a-new-app-code-0001")
    page.save_app.click()
    assert AppSecret(app.data_dir).read() == "a-new-app-code-0001"
    assert page.app_code.text() == ""
    assert page.result.text() == "已保存，重启后生效"
