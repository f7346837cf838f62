"""The console's system page: what this pad is, a new PIN, and restart or exit (each asked twice)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QFormLayout

from kiosk import __version__
from kiosk.ui.technician.widgets import Page, add_row, text_label, touch_button

if TYPE_CHECKING:
    from kiosk.ui.technician.host import ConsoleHost

log = logging.getLogger("kiosk.technician")

CONFIRM_MS = 6000


class SystemPage(Page):
    def __init__(self, console: ConsoleHost) -> None:
        super().__init__()
        self.console = console
        self.version = text_label(f"kiosk {__version__}")
        self.device = text_label()
        self.data_dir = text_label()
        form = QFormLayout()
        self.names = [add_row(form, w) for w in (self.version, self.device, self.data_dir)]
        self.change_pin = touch_button()
        self.change_pin.clicked.connect(console.change_pin)
        self.restart = touch_button()
        self.restart.clicked.connect(lambda: self._confirm("restart"))
        self.exit = touch_button()
        self.exit.clicked.connect(lambda: self._confirm("exit"))
        self.note = text_label(role="muted")
        self.body.addLayout(form)
        for widget in (self.change_pin, self.restart, self.exit, self.note):
            self.body.addWidget(widget)
        self.confirming = ""
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(CONFIRM_MS)
        self._timer.timeout.connect(self._cancel)

    def _confirm(self, action: str) -> None:
        """The first touch asks; a second within six seconds does it."""
        if self.confirming != action:
            self.confirming = action
            self._timer.start()
            self.retranslate()
            return
        self._cancel()
        restart = action == "restart"
        log.info("console: %s asked by the technician", "restart" if restart else "exit")
        self.console.close_console("the pad " + ("restarts" if restart else "exits"))
        self.console.controls.exit(restart=restart)

    def _cancel(self) -> None:
        self._timer.stop()
        self.confirming = ""
        self.retranslate()

    def left(self) -> None:
        self._cancel()

    def refresh(self) -> None:
        self.device.setText(self.console.controls.ledger.device_id)
        self.data_dir.setText(str(self.console.controls.data_dir))

    def retranslate(self) -> None:
        self.title.setText(self.tr("系统"))
        for label, text in zip(
            self.names, (self.tr("版本"), self.tr("设备编号"), self.tr("数据目录")), strict=True
        ):
            label.setText(text)
        self.change_pin.setText(self.tr("修改 PIN"))
        self.restart.setText(
            self.tr("确认重启？") if self.confirming == "restart" else self.tr("重启评价程序")
        )
        self.exit.setText(self.tr("确认退出？") if self.confirming == "exit" else self.tr("退出评价程序"))
        self.note.setText(
            self.tr(
                "由系统服务运行时，退出后约 3 秒会自动重新启动；要让它保持停止，请在系统中执行 systemctl stop kiosk"
            )
        )
        self.refresh()
