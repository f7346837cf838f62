"""The console's evaluator page: the driver's state, the serial ports plugged in (with the `hwid:` name that
finds one again on any USB socket), protocol, port, baud and address, a live button test, the button map,
and the port's counters."""

from __future__ import annotations

import contextlib
import dataclasses
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QFormLayout, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QListWidget

from kiosk.devices import PROTOCOLS
from kiosk.devices.base import Diagnostics, Evaluator, Press
from kiosk.technician.probes import PortInfo, serial_ports
from kiosk.ui.technician.widgets import Page, add_row, heading, set_role, text_label, touch_button
from kiosk.ui.theme import level_label

if TYPE_CHECKING:
    from kiosk.ui.technician.host import ConsoleHost

BAUDS = (1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200)
PRESSES_SHOWN = 12
COUNTERS = tuple(f.name for f in dataclasses.fields(Diagnostics) if f.name != "extra")


class EvaluatorPage(Page):
    """Everything about the evaluator a technician sets up at a window."""

    def __init__(self, console: ConsoleHost) -> None:
        super().__init__()
        self.console = console
        self._ports: list[PortInfo] = []
        self._listening: Evaluator | None = None
        self._seen: set[int] = set()
        self.status = text_label()
        self.body.addWidget(self.status)
        self._build_ports()
        self._build_settings()
        self._build_test()
        self._build_map()
        self._build_counters()

    # -- building ---------------------------------------------------------------------------------------

    def _build_ports(self) -> None:
        self.ports_title = heading()
        self.ports = QListWidget()
        self.ports.setMinimumHeight(200)
        self.rescan = touch_button()
        self.rescan.clicked.connect(self.scan_ports)
        self.use_hwid = touch_button()
        self.use_hwid.clicked.connect(lambda: self.choose_port(hwid=True))
        self.use_path = touch_button()
        self.use_path.clicked.connect(lambda: self.choose_port(hwid=False))
        self.port_note = text_label()
        row = QHBoxLayout()
        for button in (self.rescan, self.use_hwid, self.use_path):
            row.addWidget(button)
        self.body.addWidget(self.ports_title)
        self.body.addWidget(self.ports)
        self.body.addLayout(row)
        self.body.addWidget(self.port_note)

    def _build_settings(self) -> None:
        self.settings_title = heading()
        self.protocol = QComboBox()
        self.protocol.addItems(list(PROTOCOLS))
        self.port = QLineEdit()
        self.baud = QComboBox()
        self.baud.addItems([str(b) for b in BAUDS])
        self.address = QComboBox()
        self.address.addItems([str(a) for a in range(1, 9)])
        form = QFormLayout()
        self.setting_names = [add_row(form, w) for w in (self.protocol, self.port, self.baud, self.address)]
        self.save = touch_button()
        self.save.clicked.connect(self.save_settings)
        self.body.addWidget(self.settings_title)
        self.body.addLayout(form)
        self.body.addWidget(self.save)

    def _build_test(self) -> None:
        self.test_title = heading()
        self.test_hint = text_label(role="muted")
        self.presses = QListWidget()
        self.presses.setProperty("scale", "big")
        self.presses.setMinimumHeight(260)
        self.body.addWidget(self.test_title)
        self.body.addWidget(self.test_hint)
        self.body.addWidget(self.presses)

    def _build_map(self) -> None:
        self.map_title = heading()
        self.map_grid = QGridLayout()
        self.map_rows: dict[int, tuple[QLabel, QComboBox]] = {}
        self.map_save = touch_button()
        self.map_save.clicked.connect(self.save_map)
        self.compliance = text_label()
        self.body.addWidget(self.map_title)
        self.body.addLayout(self.map_grid)
        self.body.addWidget(self.map_save)
        self.body.addWidget(self.compliance)

    def _build_counters(self) -> None:
        self.counters_title = heading()
        form = QFormLayout()
        self.counter_values = {name: text_label() for name in COUNTERS}
        self.counter_names = {name: add_row(form, label) for name, label in self.counter_values.items()}
        self.extra = text_label(role="muted")
        self.body.addWidget(self.counters_title)
        self.body.addLayout(form)
        self.body.addWidget(self.extra)

    # -- ports and settings -----------------------------------------------------------------------------

    def scan_ports(self) -> None:
        self._ports = serial_ports()
        self.ports.clear()
        for port in self._ports:
            text = port.summary() + (f"\n{port.hwid_name}" if port.hwid_name else "")
            self.ports.addItem(text)
        if not self._ports:
            self.ports.addItem(self.tr("未找到串口：请插好评价器的 USB 线"))

    def choose_port(self, hwid: bool) -> None:
        """Puts the selected port's `hwid:` name (or its device path) in the port field."""
        row = self.ports.currentRow()
        if not 0 <= row < len(self._ports):
            self.port_note.setText(self.tr("请先在列表中选择一个串口"))
            set_role(self.port_note, "warn")
            return
        port = self._ports[row]
        if hwid and not port.hwid_name:
            self.port_note.setText(self.tr("该串口没有 USB 标识，请使用设备路径"))
            set_role(self.port_note, "warn")
            return
        self.port.setText(port.hwid_name if hwid else port.device)
        self.port_note.setText(
            self.tr("hwid 名称在评价器换插 USB 口后仍能找到它")
            if hwid
            else self.tr("设备路径可能在重新插拔后改变")
        )
        set_role(self.port_note, "")

    def save_settings(self) -> None:
        current = self.console.controls.config.evaluator
        wanted: dict[str, Any] = {
            "evaluator.protocol": self.protocol.currentText(),
            "evaluator.port": self.port.text().strip(),
            "evaluator.baud": int(self.baud.currentText()),
            "evaluator.address": int(self.address.currentText()),
        }
        changes = {k: v for k, v in wanted.items() if getattr(current, k.partition(".")[2]) != v}
        if not changes:
            self.console.show_notice(self.tr("没有改动"))
            return
        if self.console.apply(changes) is not None:
            self.presses.clear()
            self.refresh()

    def save_map(self) -> None:
        buttons = {
            str(button): int(combo.currentData())
            for button, (_name, combo) in sorted(self.map_rows.items())
            if combo.currentData() is not None
        }
        if self.console.apply({"evaluator.buttons": buttons}) is not None:
            self.shown()

    # -- the button test ------------------------------------------------------------------------------------

    def _listen(self, evaluator: Evaluator | None) -> None:
        if self._listening is not None and self._listening is not evaluator:
            with contextlib.suppress(RuntimeError):
                self._listening.press_received.disconnect(self.on_press)
            self._listening = None
        if evaluator is not None and self._listening is None:
            evaluator.press_received.connect(self.on_press)
            self._listening = evaluator

    def on_press(self, press: Press) -> None:
        """A press during the test: its button and the level the map gives it (no rating: no session awaits
        one while the console is open)."""
        self._seen.add(press.button)
        language = self.console.pad_window.languages.current
        level = f"{press.level} {level_label(press.level, language)}" if press.level else self.tr("未映射")
        at = press.at.strftime("%H:%M:%S")
        self.presses.insertItem(0, self.tr("{0}  按键 {1} → {2}").format(at, press.button, level))
        while self.presses.count() > PRESSES_SHOWN:
            self.presses.takeItem(self.presses.count() - 1)
        if press.button not in self.map_rows:
            self._fill_map()

    # -- page ---------------------------------------------------------------------------------------------

    def shown(self) -> None:
        config = self.console.controls.config.evaluator
        self.protocol.setCurrentText(config.protocol)
        self.port.setText(config.port)
        self.baud.setCurrentText(str(config.baud))
        self.address.setCurrentText(str(config.address))
        self.scan_ports()
        self._fill_map()
        self.refresh()

    def left(self) -> None:
        self._listen(None)

    def refresh(self) -> None:
        app = self.console.controls
        evaluator = self.console.pad.evaluator
        if self.console.unlocked and self.console.page() is self:
            self._listen(evaluator)
        states = {
            "connected": (self.tr("已连接"), "ok"),
            "disconnected": (self.tr("未连接"), "fail"),
            "unresponsive": (self.tr("无响应"), "fail"),
            "none": (self.tr("未配置评价器"), ""),
        }
        state, role = states.get(evaluator.state.value, (evaluator.state.value, ""))
        text = self.tr("{0}，端口 {1}：{2}").format(evaluator.protocol, evaluator.port or "-", state)
        if evaluator.firmware:
            text += self.tr("，固件 {0}").format(evaluator.firmware)
        self.status.setText(text)
        set_role(self.status, role)
        counters = evaluator.diagnostics
        for name, label in self.counter_values.items():
            label.setText(str(getattr(counters, name)))
        self.extra.setText(", ".join(f"{k} {v}" for k, v in sorted(counters.extra.items())))
        self._show_compliance(app.config.evaluator.buttons)

    def _show_compliance(self, buttons: dict[int, int]) -> None:
        levels = set(buttons.values())
        if levels >= {1, 2, 3, 4, 5}:
            self.compliance.setText(self.tr("五个等级齐全"))
            set_role(self.compliance, "ok")
        else:
            self.compliance.setText(
                self.tr("按键映射只有 {0} 个等级，少于五级：评价器不能给出全部五个评价等级").format(
                    len(levels)
                )
            )
            set_role(self.compliance, "warn")

    def _fill_map(self) -> None:
        buttons = self.console.controls.config.evaluator.buttons
        numbers = sorted(set(range(1, 6)) | set(buttons) | self._seen)
        language = self.console.pad_window.languages.current
        for number in numbers:
            if number not in self.map_rows:
                name, combo = QLabel(), QComboBox()
                combo.setMinimumHeight(self.theme.touch(80))
                row = len(self.map_rows)
                self.map_grid.addWidget(name, row, 0)
                self.map_grid.addWidget(combo, row, 1)
                self.map_rows[number] = (name, combo)
            name, combo = self.map_rows[number]
            name.setText(self.tr("按键 {0}").format(number))
            combo.clear()
            combo.addItem(self.tr("不使用"), None)
            for level in (5, 4, 3, 2, 1):
                combo.addItem(f"{level} {level_label(level, language)}", level)
            combo.setCurrentIndex(max(0, combo.findData(buttons.get(number))))

    def retranslate(self) -> None:
        self.title.setText(self.tr("评价器"))
        self.ports_title.setText(self.tr("已插入的串口"))
        self.rescan.setText(self.tr("重新扫描"))
        self.use_hwid.setText(self.tr("使用 hwid 名称"))
        self.use_path.setText(self.tr("使用设备路径"))
        self.settings_title.setText(self.tr("设置"))
        names = (self.tr("协议"), self.tr("端口"), self.tr("波特率"), self.tr("地址"))
        for label, text in zip(self.setting_names, names, strict=True):
            label.setText(text)
        self.save.setText(self.tr("保存并应用"))
        self.test_title.setText(self.tr("按键测试"))
        self.test_hint.setText(self.tr("按评价器上的按键：每次按键显示按键号和对应等级，不会算作评价"))
        self.map_title.setText(self.tr("按键映射"))
        self.map_save.setText(self.tr("保存按键映射"))
        self.counters_title.setText(self.tr("诊断计数"))
        names_by_counter = {
            "frames_decoded": self.tr("已解码帧"),
            "crc_errors": self.tr("校验错误"),
            "framing_errors": self.tr("帧长错误"),
            "stalls": self.tr("帧中断"),
            "retransmissions": self.tr("重发的按键"),
            "unmapped_buttons": self.tr("未映射的按键"),
            "presses_while_disarmed": self.tr("未激活时的按键"),
            "foreign_address": self.tr("其他地址的帧"),
            "dropped_lines": self.tr("丢弃的行"),
            "command_retries": self.tr("命令重试"),
            "reconnects": self.tr("重新连接"),
        }
        for name, label in self.counter_names.items():
            label.setText(names_by_counter[name])
        if self.map_rows:
            self._fill_map()

    def refonts(self) -> None:
        for combo in (self.protocol, self.baud, self.address):
            combo.setMinimumHeight(self.theme.touch(80))
        self.port.setMinimumHeight(self.theme.touch(80))
        for _name, combo in self.map_rows.values():
            combo.setMinimumHeight(self.theme.touch(80))
        self.ports.setMinimumHeight(self.theme.px(220))
        self.presses.setMinimumHeight(self.theme.px(300))
        self.status.setAlignment(Qt.AlignmentFlag.AlignLeft)
