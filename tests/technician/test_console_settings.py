"""Settings changed on the console: validated as `kiosk run` validates them, written to kiosk.toml atomically,
re-read, and in force at once where the layer allows; a bad value is refused naming its key. Also the
enrolment code, the bridge token, the roster, and restart/exit."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kiosk.app import EXIT_RESTART
from kiosk.config import ConfigError, load
from kiosk.technician.settings import SettingsEditor
from kiosk.ui.technician.bridge_token import BridgePage
from kiosk.ui.technician.display import DisplayPage
from kiosk.ui.technician.enrolment import EnrolmentPage
from kiosk.ui.technician.system import SystemPage
from kiosk.ui.technician.uplink import UplinkPage
from province.seed import DEMO_HALL
from province.server import SandboxServer
from tests.helpers.fixtures import MakePad
from tests.helpers.widgets import CJK, texts
from tests.technician.conftest import WAIT_MS, FakeMonotonic, enrol, unlock


def test_a_setting_is_saved_reread_and_applied_at_once(
    qtbot: QtBot, make_pad: MakePad, monotonic: FakeMonotonic, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    app = make_pad()
    console = unlock(qtbot, app, monotonic)
    page = console.open_page("display")
    assert isinstance(page, DisplayPage)
    qtbot.mouseClick(page.louder, Qt.MouseButton.LeftButton)
    assert load(app.config_path).pad.volume == 90  # re-read from the file
    assert app.voice.volume == 90 and app.config.pad.volume == 90
    qtbot.mouseClick(page.mute, Qt.MouseButton.LeftButton)
    assert load(app.config_path).pad.mute and app.voice.mute
    size = app.window.idle.time.font().pixelSize()
    qtbot.mouseClick(page.large, Qt.MouseButton.LeftButton)
    assert load(app.config_path).pad.large_text and app.window.large_text
    assert app.window.idle.time.font().pixelSize() >= size * 1.3
    assert console.notice.text() == "已保存并生效"
    assert "console: set pad.volume = 90 (applied now)" in [r.getMessage() for r in caplog.records]
    # The file is written whole and private; nothing half-written is left beside it.
    assert app.config_path.stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in app.data_dir.glob("kiosk.toml*")) == ["kiosk.toml"]
    # What this run got from --set stays an override: it is not written to the file.
    assert app.config.bridge.port == 0 and load(app.config_path).bridge.port == 8765


def test_the_language_switches_the_pad_and_the_console(
    qtbot: QtBot, make_pad: MakePad, monotonic: FakeMonotonic
) -> None:
    app = make_pad()
    console = unlock(qtbot, app, monotonic)
    page = console.open_page("display")
    assert isinstance(page, DisplayPage)
    qtbot.mouseClick(page.english, Qt.MouseButton.LeftButton)
    assert load(app.config_path).pad.language == "en_US"
    assert app.window.languages.current == "en_US" and app.voice.language == "en_US"
    qtbot.waitUntil(lambda: console.heading.text() == "Technician console")
    for name in ("enrolment", "evaluator", "uplink", "bridge", "staff", "display", "diagnostics", "system"):
        console.open_page(name)
        untranslated = [t for t in texts(console) if CJK.search(t) and t != "中文"]
        assert untranslated == [], (name, untranslated)
    console.open_page("display")
    qtbot.mouseClick(page.chinese, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: console.heading.text() == "技术人员控制台")


def test_the_console_follows_pad_language_when_it_opens(
    qtbot: QtBot, make_pad: MakePad, monotonic: FakeMonotonic
) -> None:
    app = make_pad("pad.language=en_US")
    app.window.toggle_language()  # a citizen switched the screens to Chinese
    console = unlock(qtbot, app, monotonic)
    assert app.window.languages.current == "en_US"
    assert console.heading.text() == "Technician console"


def test_a_bad_value_is_refused_naming_the_key(
    qtbot: QtBot, make_pad: MakePad, monotonic: FakeMonotonic
) -> None:
    app = make_pad()
    console = unlock(qtbot, app, monotonic)
    before = app.config_path.read_bytes()
    page = console.open_page("uplink")
    assert isinstance(page, UplinkPage)
    page.url.setText("ftp://hcp.example.gov.cn/api/v1")
    qtbot.mouseClick(page.save_url, Qt.MouseButton.LeftButton)
    assert console.notice.text() == (
        "未保存：uplink.url: must be an http:// or https:// URL, got 'ftp://hcp.example.gov.cn/api/v1'"
    )
    assert console.notice.property("role") == "fail"
    assert app.config_path.read_bytes() == before
    assert app.config.uplink.url == ""
    editor = SettingsEditor(app.controls)
    for key, value in (("pad.volume", 150), ("pad.colour", "red"), ("evaluator.baud", "fast"), ("pad", 1)):
        with pytest.raises(ConfigError) as refused:
            editor.change({key: value})
        assert refused.value.key == key
    assert app.config_path.read_bytes() == before
    # A good address is saved, and takes effect at the next start.
    page.url.setText("https://hcp.example.gov.cn/api/v1")
    qtbot.mouseClick(page.save_url, Qt.MouseButton.LeftButton)
    assert load(app.config_path).uplink.url == "https://hcp.example.gov.cn/api/v1"
    assert console.notice.text() == "已保存；uplink.url 在重启后生效"


def test_an_enrolment_code_typed_on_the_console_enrols_the_pad(
    qtbot: QtBot,
    make_pad: MakePad,
    monotonic: FakeMonotonic,
    sandbox: SandboxServer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    app = make_pad(f'uplink.url="{sandbox.url}"')
    console = unlock(qtbot, app, monotonic)
    page = console.open_page("enrolment")
    assert isinstance(page, EnrolmentPage)
    assert page.state.text() == "未注册：等待注册码"
    code = sandbox.store.issue_code(DEMO_HALL, "A07")
    for key in code:
        qtbot.mouseClick(page.keypad.keys[key], Qt.MouseButton.LeftButton)
    assert page.code.text() == code
    qtbot.mouseClick(page.submit, Qt.MouseButton.LeftButton)
    assert load(app.config_path).uplink.enroll_code == code
    qtbot.waitUntil(lambda: app.pad.enrolled, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: page.state.text() == "已注册", timeout=WAIT_MS)
    logged = [r.getMessage() for r in caplog.records]
    assert "console: set uplink.enroll_code = (hidden) (applied now)" in logged
    assert not any(code in m for m in logged)


def test_the_bridge_token_is_shown_and_made_anew(
    qtbot: QtBot, make_pad: MakePad, monotonic: FakeMonotonic, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    app = make_pad()
    old = app.token
    console = unlock(qtbot, app, monotonic)
    page = console.open_page("bridge")
    assert isinstance(page, BridgePage)
    assert page.token.text() == old
    qtbot.mouseClick(page.regenerate, Qt.MouseButton.LeftButton)
    assert page.regenerate.text() == "确认生成新令牌？旧令牌将立即失效" and app.token == old
    qtbot.mouseClick(page.regenerate, Qt.MouseButton.LeftButton)
    assert app.token != old and page.token.text() == app.token
    assert (app.data_dir / "bridge.token").read_text().strip() == app.token
    assert app.client.get("/api/v1/status", token=old).status_code == 401  # type: ignore[attr-defined]
    assert app.client.get("/api/v1/status", token=app.token).status_code == 200  # type: ignore[attr-defined]
    assert not any(old in r.getMessage() or app.token in r.getMessage() for r in caplog.records)
    assert "console: bridge token regenerated (the old one is refused from now on)" in [
        r.getMessage() for r in caplog.records
    ]


def test_the_roster_shows_the_provinces_staff(
    qtbot: QtBot, make_pad: MakePad, monotonic: FakeMonotonic, sandbox: SandboxServer, tmp_path: Path
) -> None:
    app = make_pad(f'uplink.url="{sandbox.url}"', data_dir=enrol(tmp_path / "pad", sandbox))
    qtbot.waitUntil(lambda: bool(app.pad.placement.staff), timeout=WAIT_MS)
    console = unlock(qtbot, app, monotonic)
    page = console.open_page("staff")
    staff = app.pad.placement.staff
    table = page.table  # type: ignore[attr-defined]
    assert table.rowCount() == len(staff)
    assert [table.item(r, 0).text() for r in range(table.rowCount())] == [m.staff_id for m in staff]
    assert page.summary.text() == f"名单来自省平台，共 {len(staff)} 人"  # type: ignore[attr-defined]


def test_restart_and_exit_are_asked_twice(qtbot: QtBot, make_pad: MakePad, monotonic: FakeMonotonic) -> None:
    app = make_pad()
    codes: list[int] = []
    app.on_exit = codes.append
    app.lockdown.lock()
    console = unlock(qtbot, app, monotonic)
    page = console.open_page("system")
    assert isinstance(page, SystemPage)
    qtbot.mouseClick(page.restart, Qt.MouseButton.LeftButton)
    assert page.restart.text() == "确认重启？" and codes == []
    qtbot.mouseClick(page.restart, Qt.MouseButton.LeftButton)
    assert codes == [EXIT_RESTART]
    assert not app.lockdown.locked and not console.isVisible()
    app.lockdown.lock()
    console = unlock(qtbot, app, monotonic)
    page = console.open_page("system")
    assert isinstance(page, SystemPage)
    qtbot.mouseClick(page.exit, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.exit, Qt.MouseButton.LeftButton)
    assert codes == [EXIT_RESTART, 0]
    assert not app.lockdown.locked
