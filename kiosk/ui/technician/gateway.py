"""The console's gateway page (the Fujian gateway profile): the gateway and the app, its code shown masked
and entered without ever being shown, the hall file imported from a USB stick, and the gateway's checks
(the certificate's subject and expiry, the token call, the clock, the template, the hall file)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QFormLayout, QLineEdit, QListWidget, QListWidgetItem

from kiosk.sync.hall_file import HallFileError
from kiosk.technician.checks import Check
from kiosk.technician.hall_import import hall_files_on_media
from kiosk.ui.technician.widgets import (
    STATUS_COLOURS,
    Page,
    add_row,
    heading,
    set_role,
    text_label,
    touch_button,
)

if TYPE_CHECKING:
    from kiosk.ui.technician.host import ConsoleHost

log = logging.getLogger("kiosk.technician")


class GatewayPage(Page):
    """The gateway profile's settings and checks, for the technician."""

    def __init__(self, console: ConsoleHost) -> None:
        super().__init__()
        self.console = console
        self.values = {key: text_label() for key in ("gateway", "app_key", "app_code", "hall")}
        form = QFormLayout()
        self.names = {key: add_row(form, label) for key, label in self.values.items()}
        self.app_title = heading()
        self.app_key = QLineEdit()
        self.app_code = QLineEdit()
        self.app_code.setEchoMode(QLineEdit.EchoMode.Password)  # typed, never shown
        self.save_app = touch_button()
        self.save_app.clicked.connect(self.save_app_settings)
        self.hall_title = heading()
        self.hall_files = QListWidget()
        self.hall_files.setMinimumHeight(120)
        self.find_files = touch_button()
        self.find_files.clicked.connect(self.list_hall_files)
        self.import_file = touch_button()
        self.import_file.clicked.connect(self.import_selected)
        self.check_now = touch_button()
        self.check_now.clicked.connect(self.run_checks)
        self.report = QListWidget()
        self.report.setWordWrap(True)
        self.report.setProperty("scale", "small")
        self.report.setMinimumHeight(260)
        self.result = text_label()
        self.body.addLayout(form)
        for widget in (
            self.check_now, self.report, self.app_title, self.app_key, self.app_code, self.save_app,
            self.hall_title, self.hall_files, self.find_files, self.import_file, self.result,
        ):  # fmt: skip
            self.body.addWidget(widget)

    # -- the app ------------------------------------------------------------------------------------------

    def save_app_settings(self) -> None:
        """The app key goes to kiosk.toml; the app code to DIR/secrets/ only. Both in force at restart."""
        controls = self.console.controls
        key, code = self.app_key.text().strip(), self.app_code.text().strip()
        if not key and not code:
            self.console.show_notice(self.tr("没有改动"))
            return
        changed_key = key and key != controls.config.uplink.fujian.app_key
        if changed_key and self.console.apply({"uplink.fujian.app_key": key}) is None:
            return
        if code:
            try:
                controls.set_app_code(code)
            except OSError as exc:
                self._say(self.tr("无法保存应用密钥：{0}").format(exc.strerror or exc), "fail")
                return
        self.app_code.clear()
        self._say(self.tr("已保存，重启后生效"), "warn")
        self.refresh()

    # -- the hall file ------------------------------------------------------------------------------------

    def list_hall_files(self) -> None:
        self.hall_files.clear()
        found = hall_files_on_media()
        for path in found:
            item = QListWidgetItem(str(path))
            item.setData(256, str(path))  # Qt.UserRole
            self.hall_files.addItem(item)
        if found:
            self.hall_files.setCurrentRow(0)
        else:
            self._say(self.tr("U盘上没有找到 hall.json"), "warn")

    def import_selected(self) -> None:
        item: QListWidgetItem | None = self.hall_files.currentItem()
        if item is None:
            self._say(self.tr("请先选择一个 hall.json"), "warn")
            return
        self.import_path(Path(str(item.data(256))))

    def import_path(self, source: Path) -> None:
        try:
            summary = self.console.controls.import_hall(source)
        except HallFileError as exc:
            self._say(self.tr("未导入：{0}").format(str(exc)), "fail")
            return
        except OSError as exc:
            self._say(self.tr("未导入：{0}").format(exc.strerror or exc), "fail")
            return
        self._say(self.tr("已导入并生效：{0}").format(summary), "ok")
        self.refresh()

    # -- the checks ---------------------------------------------------------------------------------------

    def run_checks(self) -> None:
        if self.console.jobs.busy:
            return
        controls = self.console.controls
        self.check_now.setEnabled(False)
        self.report.clear()
        self.report.addItem(self.tr("正在检查……"))
        self.console.jobs.run(controls.province_checks, self.show_checks, self._failed)

    def show_checks(self, checks: list[Check]) -> None:
        self.check_now.setEnabled(True)
        self.report.clear()
        for check in checks:
            item = QListWidgetItem(check.line())
            item.setForeground(QColor(STATUS_COLOURS[check.status.value]))
            self.report.addItem(item)
        log.info("console: gateway checks run (%s)", ", ".join(f"{c.name} {c.status}" for c in checks))

    def _failed(self, error: BaseException) -> None:
        self.check_now.setEnabled(True)
        self.report.clear()
        self._say(error.__class__.__name__, "fail")

    def _say(self, text: str, role: str) -> None:
        self.result.setText(text)
        set_role(self.result, role)

    # -- the page -----------------------------------------------------------------------------------------

    def shown(self) -> None:
        self.app_key.setText(self.console.controls.config.uplink.fujian.app_key)
        self.app_code.clear()
        self.refresh()

    def refresh(self) -> None:
        controls = self.console.controls
        fujian = controls.config.uplink.fujian
        v = self.values
        v["gateway"].setText(fujian.gateway or self.tr("未设置（离线）"))
        v["app_key"].setText(fujian.app_key or self.tr("未设置"))
        shown = controls.app_code_shown
        v["app_code"].setText(shown or self.tr("未设置"))
        set_role(v["app_code"], "" if shown else "warn")
        placement = self.console.pad.placement
        v["hall"].setText(
            f"{placement.hall_name} {placement.window_no}".strip()
            or self.tr("无（使用内置评价原因，无人员名单）")
        )

    def retranslate(self) -> None:
        self.title.setText(self.tr("福建网关"))
        names = {
            "gateway": self.tr("网关地址"),
            "app_key": self.tr("应用标识（app_key）"),
            "app_code": self.tr("应用密钥（app_code）"),
            "hall": self.tr("大厅资料（hall.json）"),
        }
        for key, label in self.names.items():
            label.setText(names[key])
        self.check_now.setText(self.tr("检查网关"))
        self.app_title.setText(self.tr("省里签发的应用标识和密钥（重启后生效）"))
        self.app_key.setPlaceholderText(self.tr("应用标识"))
        self.app_code.setPlaceholderText(self.tr("应用密钥（输入后不再显示）"))
        self.save_app.setText(self.tr("保存"))
        self.hall_title.setText(self.tr("从U盘导入大厅资料"))
        self.find_files.setText(self.tr("查找U盘上的 hall.json"))
        self.import_file.setText(self.tr("导入所选文件"))

    def refonts(self) -> None:
        for edit in (self.app_key, self.app_code):
            edit.setMinimumHeight(self.theme.touch(80))
