"""The console's PIN screen: the PIN behind which the console opens, and the first-run screen that sets it
(twice). The digits never show: only one dot per digit typed."""

from __future__ import annotations

import enum

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kiosk.technician.pin import PIN_PATTERN
from kiosk.ui.technician.widgets import KeyPad, heading, set_role, text_label, touch_button
from kiosk.ui.theme import Theme

MAX_DIGITS = 12


class PinMode(enum.Enum):
    ENTER = "enter"  # the PIN, to open the console
    FIRST_RUN = "first_run"  # no PIN yet: choose one, twice
    CHANGE = "change"  # a new PIN from the console's system page, twice


class PinScreen(QWidget):
    """Digits typed on a keypad; the console decides what a PIN opens.

    Signals:
        entered(str): a PIN typed in ENTER mode.
        chosen(str): a new PIN typed the same twice (FIRST_RUN, CHANGE).
        cancelled(): the technician went back.
    """

    entered = Signal(str)
    chosen = Signal(str)
    cancelled = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.mode = PinMode.ENTER
        self._digits = ""
        self._first = ""
        self._message = ("", "")
        self.title = heading(scale="title")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.prompt = text_label()
        self.prompt.setProperty("scale", "heading")
        self.prompt.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.dots = QLabel()
        self.dots.setProperty("scale", "title")
        self.dots.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message = text_label()
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.keypad = KeyPad(KeyPad.DIGITS)
        self.keypad.key_pressed.connect(self.on_key)
        self.back = touch_button()
        self.back.clicked.connect(self.cancelled)
        column = QVBoxLayout()
        column.addStretch(1)
        for widget in (self.title, self.prompt, self.dots, self.message):
            column.addWidget(widget)
        column.addWidget(self.keypad)
        column.addWidget(self.back)
        column.addStretch(1)
        row = QHBoxLayout(self)
        row.addStretch(1)
        row.addLayout(column, 3)
        row.addStretch(1)
        self.retranslate()

    @property
    def digits(self) -> int:
        return len(self._digits)

    def start(self, mode: PinMode) -> None:
        """Clears what was typed and asks for a PIN in `mode`."""
        self.mode = mode
        self._digits = ""
        self._first = ""
        self._message = ("", "")
        self.retranslate()

    def set_locked(self, locked: bool) -> None:
        self.keypad.setEnabled(not locked)
        if locked:
            self._digits = ""
            self._render()

    def show_message(self, text: str, role: str = "") -> None:
        self._message = (text, role)
        self.message.setText(text)
        set_role(self.message, role)

    def type_pin(self, pin: str) -> None:
        """Types a PIN and confirms it, as a finger on the keypad would (tests, a USB keypad)."""
        for key in pin + "\n":
            self.on_key(key)

    def on_key(self, key: str) -> None:
        if not self.keypad.isEnabled():
            return
        if key == "\b":
            self._digits = self._digits[:-1]
        elif key == "\n":
            self._confirm()
            return
        elif len(self._digits) < MAX_DIGITS:
            self._digits += key
        self._render()

    def _confirm(self) -> None:
        pin, self._digits = self._digits, ""
        self._render()
        if self.mode is PinMode.ENTER:
            if pin:
                self.entered.emit(pin)
            return
        if not PIN_PATTERN.fullmatch(pin):
            self.show_message(self.tr("PIN 须为 4 至 12 位数字"), "fail")
            return
        if not self._first:
            self._first = pin
            self.show_message("")
            self.retranslate()
            return
        first, self._first = self._first, ""
        if pin != first:
            self.retranslate()
            self.show_message(self.tr("两次输入的 PIN 不一致，请重新设置"), "fail")
            return
        self.chosen.emit(pin)

    def _render(self) -> None:
        self.dots.setText("● " * len(self._digits) if self._digits else "—")

    def retranslate(self) -> None:
        titles = {
            PinMode.ENTER: self.tr("技术人员控制台"),
            PinMode.FIRST_RUN: self.tr("首次使用：设置技术人员 PIN"),
            PinMode.CHANGE: self.tr("修改技术人员 PIN"),
        }
        self.title.setText(titles[self.mode])
        if self.mode is PinMode.ENTER:
            prompt = self.tr("请输入 PIN")
        elif self._first:
            prompt = self.tr("请再次输入同一 PIN")
        else:
            prompt = self.tr("请输入新的 PIN（4 至 12 位数字）")
        self.prompt.setText(prompt)
        self.back.setText(self.tr("返回评价界面") if self.mode is not PinMode.CHANGE else self.tr("取消"))
        self.keypad.retranslate()
        self._render()

    def apply_theme(self, theme: Theme) -> None:
        self.keypad.apply_theme(theme)
        self.back.setMinimumHeight(theme.touch(90))
