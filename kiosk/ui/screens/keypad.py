"""The number pad of a self-service terminal: the 办件编号 of the receipt, then the last four characters of
the applicant's ID number or mobile (the check the province asks for). The check shows as dots."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from kiosk.domain.clock import Clock
from kiosk.domain.terminal import KeypadField
from kiosk.ui.screens.base import ScreenWidget, wrapping_label
from kiosk.ui.terminal_texts import message_text

KEYS = ("123", "456", "789", "X0\b")


class KeypadScreen(ScreenWidget):
    """Signals:
    key_pressed(str): a digit, X, "\\b" (erase) or "\\n" (confirm).
    back(): the citizen leaves.
    """

    key_pressed = Signal(str)
    back = Signal()

    def __init__(self, clock: Clock, parent: QWidget | None = None) -> None:
        super().__init__(clock, parent)
        self.title = wrapping_label()
        self.typed = wrapping_label()
        self.typed.setObjectName("typed")
        self.message = wrapping_label()
        self.message.setProperty("role", "muted")
        self.keys: dict[str, QPushButton] = {}
        grid = QGridLayout()
        for row, keys in enumerate(KEYS):
            for column, key in enumerate(keys):
                button = QPushButton()
                button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
                button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
                button.clicked.connect(lambda _checked=False, k=key: self.key_pressed.emit(k))
                grid.addWidget(button, row, column)
                self.keys[key] = button
        self.grid = grid
        self.confirm = QPushButton()
        self.confirm.clicked.connect(lambda: self.key_pressed.emit("\n"))
        self.leave = QPushButton()
        self.leave.clicked.connect(self.back)
        actions = QHBoxLayout()
        actions.addWidget(self.leave)
        actions.addWidget(self.confirm)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.typed)
        layout.addWidget(self.message)
        layout.addLayout(grid, 1)
        layout.addLayout(actions)
        self.retranslate()

    def refonts(self) -> None:
        theme = self.theme
        self.title.setFont(theme.font(52, bold=True))
        self.typed.setFont(theme.font(72, bold=True))
        self.message.setFont(theme.font(32))
        for button in (*self.keys.values(), self.confirm, self.leave):
            button.setFont(theme.font(48, bold=True))
            button.setMinimumHeight(theme.touch(110))
        self.grid.setSpacing(theme.px(16))

    def retranslate(self) -> None:
        for key, button in self.keys.items():
            button.setText({"\b": self.tr("删除")}.get(key, key))
        self.confirm.setText(self.tr("确定"))
        self.leave.setText(self.tr("返回"))
        super().retranslate()

    def render_state(self) -> None:
        state = self.state
        assert state is not None
        keypad = state.keypad
        if keypad is None:  # back at idle: nothing typed is kept on screen
            self.typed.setText("")
            self.message.setText("")
            return
        checking = keypad.field is KeypadField.CHECK
        if checking:
            self.title.setText(self.tr("请输入办事人手机号或身份证号的后四位"))
            self.typed.setText("●" * len(keypad.text) + "○" * (4 - len(keypad.text)))
        else:
            self.title.setText(self.tr("请输入受理回执上的办件编号"))
            self.typed.setText(keypad.text or " ")
        self.keys["X"].setEnabled(checking)
        self.confirm.setEnabled(keypad.complete)
        self.message.setText(
            message_text(state.message)
            or (self.tr("办件编号：{0}").format(keypad.project_no) if checking else "")
        )
