"""The console's enrolment page: whether the province knows this pad, and entering the code it issued."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFormLayout, QLineEdit

from kiosk.ui.technician.widgets import KeyPad, Page, add_row, set_role, text_label, touch_button

if TYPE_CHECKING:
    from kiosk.ui.technician.host import ConsoleHost


class EnrolmentPage(Page):
    """Enrolment state; a code typed on the keypad goes to kiosk.toml and to the uplink at once."""

    def __init__(self, console: ConsoleHost) -> None:
        super().__init__()
        self.console = console
        self.state = text_label()
        self.device = text_label()
        self.province = text_label()
        self.form = QFormLayout()
        self.names = [add_row(self.form, value) for value in (self.state, self.device, self.province)]
        self.code = QLineEdit()
        self.code.setMaxLength(32)
        self.code.setProperty("scale", "big")
        self.keypad = KeyPad(KeyPad.CODE)
        self.keypad.key_pressed.connect(self._on_key)
        self.submit = touch_button()
        self.submit.clicked.connect(self.submit_code)
        self.result = text_label()
        self.code_title = text_label()
        self.body.addLayout(self.form)
        self.body.addWidget(self.code_title)
        self.body.addWidget(self.code)
        self.body.addWidget(self.keypad)
        self.body.addWidget(self.submit)
        self.body.addWidget(self.result)

    def _on_key(self, key: str) -> None:
        if key == "\b":
            self.code.backspace()
        else:
            self.code.insert(key)

    def submit_code(self) -> None:
        code = self.code.text().strip().upper()
        if not code:
            self.result.setText(self.tr("请输入注册码"))
            set_role(self.result, "fail")
            return
        if self.console.apply({"uplink.enroll_code": code}) is None:
            return
        self.code.clear()
        if not self.console.controls.has_uplink:
            self.result.setText(
                self.tr("注册码已保存；尚未设置省平台地址（uplink.url），设置地址并重启后才会注册")
            )
            set_role(self.result, "warn")
        else:
            self.result.setText(self.tr("注册码已提交，正在向省平台注册……"))
            set_role(self.result, "")
        self.refresh()

    def retranslate(self) -> None:
        self.title.setText(self.tr("设备注册"))
        for name, text in zip(
            self.names, (self.tr("注册状态"), self.tr("设备编号"), self.tr("省平台")), strict=True
        ):
            name.setText(text)
        self.code_title.setText(self.tr("省平台为本窗口签发的注册码（如 K7Q2-9XDM）"))
        self.submit.setText(self.tr("提交注册码"))
        self.keypad.retranslate()
        self.refresh()

    def refresh(self) -> None:
        app = self.console.controls
        pad = self.console.pad
        if pad.enrolled:
            self.state.setText(self.tr("已注册"))
            set_role(self.state, "ok")
        elif app.has_uplink and pad.uplink.blocked_reason == "enroll_refused":
            self.state.setText(self.tr("注册码被拒绝（已使用或不属于本窗口）：请输入新的注册码"))
            set_role(self.state, "fail")
        elif not app.has_uplink:
            self.state.setText(self.tr("未注册：未设置省平台地址"))
            set_role(self.state, "warn")
        else:
            self.state.setText(self.tr("未注册：等待注册码"))
            set_role(self.state, "warn")
        self.device.setText(app.ledger.device_id)
        self.province.setText(app.config.uplink.url or self.tr("未设置（离线）"))

    def refonts(self) -> None:
        self.keypad.apply_theme(self.theme, side=80)
        self.code.setMinimumHeight(self.theme.touch(90))
