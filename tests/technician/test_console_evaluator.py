"""The console's evaluator page on a real pseudo-terminal evaluator: the live button test, a new port saved,
re-read and applied (the driver replaced without a restart), the button map and its five-level warning."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kiosk.config import load
from kiosk.devices.evaluator_simulator import SimulatedEvaluator
from kiosk.technician.probes import PortInfo
from kiosk.ui.technician.evaluator import EvaluatorPage
from tests.helpers.fixtures import MakePad
from tests.technician.conftest import WAIT_MS, FakeMonotonic, unlock


@pytest.fixture
def second_simulator() -> Iterator[SimulatedEvaluator]:
    sim = SimulatedEvaluator("frame", address=2)
    yield sim
    sim.close()


def press_texts(page: EvaluatorPage) -> list[str]:
    return [page.presses.item(i).text() for i in range(page.presses.count())]


def test_the_live_button_test_shows_each_press_and_its_level(
    qtbot: QtBot, make_pad: MakePad, monotonic: FakeMonotonic, simulator: SimulatedEvaluator
) -> None:
    app = make_pad("evaluator.protocol=frame", f'evaluator.port="{simulator.port}"')
    qtbot.waitUntil(lambda: app.evaluator.state.value == "connected", timeout=WAIT_MS)
    console = unlock(qtbot, app, monotonic)
    page = console.open_page("evaluator")
    assert isinstance(page, EvaluatorPage)
    qtbot.waitUntil(lambda: "已连接" in page.status.text(), timeout=WAIT_MS)
    assert page.status.text().startswith(f"frame，端口 {simulator.port}")
    simulator.press(3)
    qtbot.waitUntil(lambda: any("按键 3 → 3 基本满意" in t for t in press_texts(page)), timeout=WAIT_MS)
    simulator.press(1)
    qtbot.waitUntil(lambda: "按键 1 → 5 非常满意" in press_texts(page)[0], timeout=WAIT_MS)
    simulator.press(7)  # a button the map does not name
    qtbot.waitUntil(lambda: "按键 7 → 未映射" in press_texts(page)[0], timeout=WAIT_MS)
    assert 7 in page.map_rows  # offered for mapping
    # The test rates nothing (no session awaits a rating); the presses are logged for audit (R8).
    assert app.ledger.last_link()[0] == 0
    assert [(p["button"], p["counted"]) for p in app.ledger.presses()] == [(3, 0), (1, 0), (7, 0)]
    qtbot.waitUntil(lambda: page.counter_values["unmapped_buttons"].text() == "1", timeout=WAIT_MS)
    assert int(page.counter_values["frames_decoded"].text()) >= 3
    # Leaving the page stops the test.
    console.open_page("system")
    simulator.press(2)
    qtbot.waitUntil(lambda: len(app.ledger.presses()) == 4, timeout=WAIT_MS)
    assert len(press_texts(page)) == 3


def test_a_new_port_is_saved_reread_and_applied_without_a_restart(
    qtbot: QtBot,
    make_pad: MakePad,
    monotonic: FakeMonotonic,
    simulator: SimulatedEvaluator,
    second_simulator: SimulatedEvaluator,
) -> None:
    app = make_pad("evaluator.protocol=frame", f'evaluator.port="{simulator.port}"')
    qtbot.waitUntil(lambda: app.evaluator.state.value == "connected", timeout=WAIT_MS)
    console = unlock(qtbot, app, monotonic)
    page = console.open_page("evaluator")
    assert isinstance(page, EvaluatorPage)
    old = app.evaluator
    page.port.setText(second_simulator.port)
    page.address.setCurrentText("2")
    page.baud.setCurrentText("19200")
    qtbot.mouseClick(page.save, Qt.MouseButton.LeftButton)
    assert console.notice.text() == "已保存并生效"
    written = load(app.config_path).evaluator
    assert (written.port, written.address, written.baud) == (second_simulator.port, 2, 19200)
    assert app.evaluator is not old
    assert (app.evaluator.port, app.evaluator.address) == (second_simulator.port, 2)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: app.evaluator.state.value == "connected", timeout=WAIT_MS)
    second_simulator.press(2)
    qtbot.waitUntil(lambda: any("按键 2 → 4 满意" in t for t in press_texts(page)), timeout=WAIT_MS)
    # The old device is no longer heard: of a press on it and one on the new device after it, only the
    # new one's reaches the Pad's press log.
    simulator.press(5)
    second_simulator.press(4)
    qtbot.waitUntil(lambda: len(press_texts(page)) == 2, timeout=WAIT_MS)
    assert [(p["button"], p["address"]) for p in app.ledger.presses()] == [(2, 2), (4, 2)]
    assert app.pad.evaluator is app.evaluator


def test_a_map_with_fewer_than_five_levels_is_saved_with_a_warning(
    qtbot: QtBot, make_pad: MakePad, monotonic: FakeMonotonic
) -> None:
    app = make_pad()
    console = unlock(qtbot, app, monotonic)
    page = console.open_page("evaluator")
    assert isinstance(page, EvaluatorPage)
    assert page.compliance.text() == "五个等级齐全"
    _name, combo = page.map_rows[5]
    combo.setCurrentIndex(combo.findData(None))  # button 5 unused: no 非常不满意
    qtbot.mouseClick(page.map_save, Qt.MouseButton.LeftButton)
    assert load(app.config_path).evaluator.buttons == {1: 5, 2: 4, 3: 3, 4: 2}
    assert app.evaluator.buttons == {1: 5, 2: 4, 3: 3, 4: 2}
    assert not app.evaluator.compliant
    assert page.compliance.text() == "按键映射只有 4 个等级，少于五级：评价器不能给出全部五个评价等级"
    assert page.compliance.property("role") == "warn"
    for _name, combo in page.map_rows.values():
        combo.setCurrentIndex(combo.findData(None))
    qtbot.mouseClick(page.map_save, Qt.MouseButton.LeftButton)  # no button at all: refused, naming the key
    assert console.notice.text().startswith("未保存：evaluator.buttons: ")
    assert load(app.config_path).evaluator.buttons == {1: 5, 2: 4, 3: 3, 4: 2}


def test_a_port_is_offered_by_its_hwid_name() -> None:
    usb = PortInfo("/dev/ttyUSB0", "USB Serial", 0x1A86, 0x7523, "5A3C0F12")
    assert usb.hwid_name == "hwid:1A86:7523:5A3C0F12"
    assert usb.summary() == "/dev/ttyUSB0 (USB Serial, 1A86:7523, serial 5A3C0F12)"
    assert PortInfo("/dev/ttyUSB1", "", 0x10C4, 0xEA60).hwid_name == "hwid:10C4:EA60"
    assert PortInfo("/dev/ttyS0", "n/a").hwid_name == ""
    assert PortInfo("/dev/ttyS0", "n/a").summary() == "/dev/ttyS0"


def test_the_page_puts_the_chosen_ports_name_in_the_field(
    qtbot: QtBot, make_pad: MakePad, monotonic: FakeMonotonic
) -> None:
    app = make_pad()
    console = unlock(qtbot, app, monotonic)
    page = console.open_page("evaluator")
    assert isinstance(page, EvaluatorPage)
    page._ports = [PortInfo("/dev/ttyUSB0", "USB Serial", 0x1A86, 0x7523, "5A3C0F12"), PortInfo("/dev/ttyS0")]
    page.ports.clear()
    page.ports.addItems([p.summary() for p in page._ports])
    page.ports.setCurrentRow(0)
    page.use_hwid.click()
    assert page.port.text() == "hwid:1A86:7523:5A3C0F12"
    page.ports.setCurrentRow(1)
    page.use_hwid.click()
    assert page.port_note.text() == "该串口没有 USB 标识，请使用设备路径"
    page.use_path.click()
    assert page.port.text() == "/dev/ttyS0"
