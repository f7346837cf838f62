"""What the console's pages share: sizes from the pad's theme, touch-sized buttons, an on-screen keypad, and
work done off the Qt thread."""

from __future__ import annotations

import concurrent.futures
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGridLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QScroller,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.ui.theme import ACCENT, ALERT, INK, LARGE_TEXT_FACTOR, MUTED, PAPER, Theme

T = TypeVar("T")

STATUS_COLOURS = {"ok": "#1b7f3b", "warn": "#b7791f", "fail": ALERT.name()}


def font_px(theme: Theme, design_px: float) -> int:
    """A font's pixel size, larger in large-text mode, as Theme.font makes it."""
    return theme.px(design_px * (LARGE_TEXT_FACTOR if theme.large_text else 1.0))


def console_stylesheet(theme: Theme) -> str:
    """The pad's stylesheet, with the console's fonts, inputs, lists and status colours at touch size.

    Fonts are set here rather than with setFont: under a style sheet, a font set on a parent does not reach
    its children. A widget's `scale` property picks its size.
    """
    pad = theme.px(12)
    sizes = {
        "title": (44, True),
        "heading": (32, True),
        "big": (34, True),
        "nav": (30, False),
        "small": (24, False),
    }
    fonts = f"* {{ font-size: {font_px(theme, 28)}px; }}" + "".join(
        f"*[scale='{name}'] {{ font-size: {font_px(theme, size)}px;{' font-weight: bold;' if bold else ''} }}"
        for name, (size, bold) in sizes.items()
    )
    return (
        theme.stylesheet()
        + fonts
        + (
            f"QWidget#console {{ background: {PAPER.name()}; }}"
            f"QWidget#console_page {{ background: {PAPER.name()}; }}"
            f"QLabel[role='heading'] {{ color: {ACCENT.name()}; }}"
            f"QLabel[role='ok'] {{ color: {STATUS_COLOURS['ok']}; }}"
            f"QLabel[role='warn'] {{ color: {STATUS_COLOURS['warn']}; }}"
            f"QLabel[role='fail'] {{ color: {STATUS_COLOURS['fail']}; }}"
            f"QLineEdit, QComboBox {{ color: {INK.name()}; background: white; padding: {pad}px;"
            f" border: {theme.px(3)}px solid {MUTED.name()}; border-radius: {theme.px(10)}px; }}"
            f"QListWidget, QTableWidget {{ color: {INK.name()}; background: white;"
            f" border: {theme.px(2)}px solid {MUTED.name()}; }}"
            f"QListWidget::item {{ padding: {pad}px; }}"
            f"QPushButton[scale='nav'] {{ text-align: left; }}"
            "*[mono='true'] { font-family: 'DejaVu Sans Mono', 'Noto Sans Mono', monospace; }"
        )
    )


def heading(text: str = "", scale: str = "heading") -> QLabel:
    label = QLabel(text)
    label.setProperty("role", "heading")
    label.setProperty("scale", scale)
    label.setWordWrap(True)
    return label


def text_label(text: str = "", role: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if role:
        label.setProperty("role", role)
    return label


def add_row(form: QFormLayout, value: QWidget) -> QLabel:
    """Adds a row to a form and returns its name label, for the page to translate."""
    name = QLabel()
    name.setWordWrap(True)
    form.addRow(name, value)
    return name


def set_role(label: QLabel, role: str) -> None:
    """Colours a label by status (ok, warn, fail, muted, or "" for plain)."""
    if label.property("role") != role:
        label.setProperty("role", role)
        label.style().unpolish(label)
        label.style().polish(label)


def touch_button(text: str = "", *, checkable: bool = False) -> QPushButton:
    button = QPushButton(text)
    button.setCheckable(checkable)
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    button.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
    return button


class Page(QWidget):
    """Base of the console's pages: a titled, touch-scrollable column.

    Each page builds its widgets in its constructor and implements `retranslate` (every text),
    `refresh` (the live values, every second while shown) and, where it needs it, `shown` (a full reload
    when the technician comes to it). Texts are translated in the pages themselves, never here.
    """

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("console_page")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.theme = Theme()
        self.title = heading(scale="title")
        inner = QWidget()
        inner.setObjectName("console_page")
        inner.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.body = QVBoxLayout(inner)
        self.body.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.scroller = QScrollArea()
        self.scroller.setWidgetResizable(True)
        self.scroller.setWidget(inner)
        self.scroller.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        QScroller.grabGesture(self.scroller.viewport(), QScroller.ScrollerGestureType.TouchGesture)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.scroller, 1)

    @property
    def name(self) -> str:
        """The page's name in the log."""
        return type(self).__name__.removesuffix("Page").lower()

    def heading_text(self) -> str:
        return self.title.text()

    def apply_theme(self, theme: Theme) -> None:
        self.theme = theme
        for button in self.findChildren(QPushButton):
            button.setMinimumHeight(theme.touch(90))
        self.refonts()

    def refonts(self) -> None:
        """Fonts a page sets itself (the rest inherit the console's)."""

    def retranslate(self) -> None:
        """Sets every text in the current language."""

    def refresh(self) -> None:
        """Updates the live values."""

    def shown(self) -> None:
        """The technician came to this page: reload what `refresh` does not."""
        self.refresh()

    def left(self) -> None:
        """The technician left this page (or the console closed)."""


class KeyPad(QWidget):
    """Touch keys for the PIN (digits) or an enrolment code (digits, letters and a dash).

    Signals:
        key_pressed(str): a character, "\\b" for the erase key, "\\n" for the confirm key (digits only).
    """

    key_pressed = Signal(str)

    DIGITS = ("123", "456", "789", "\b0\n")
    CODE = ("1234567890", "QWERTYUIOP", "ASDFGHJKL-", "ZXCVBNM\b")

    def __init__(self, layout: tuple[str, ...] = DIGITS) -> None:
        super().__init__()
        self.keys: dict[str, QPushButton] = {}
        grid = QGridLayout(self)
        grid.setSpacing(8)
        for row, keys in enumerate(layout):
            for column, key in enumerate(keys):
                button = QPushButton()
                button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
                button.setProperty("scale", "big")
                button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
                button.clicked.connect(lambda _checked=False, k=key: self.key_pressed.emit(k))
                span = 11 - len(keys) if key == "\b" and layout is self.CODE else 1
                grid.addWidget(button, row, column, 1, span)
                self.keys[key] = button
        self.retranslate()

    def retranslate(self) -> None:
        for key, button in self.keys.items():
            button.setText({"\b": self.tr("删除"), "\n": self.tr("确定")}.get(key, key))

    def apply_theme(self, theme: Theme, side: float = 110) -> None:
        for button in self.keys.values():
            button.setMinimumHeight(theme.touch(side))


_Job = tuple[concurrent.futures.Future[Any], Callable[[Any], None], Callable[[BaseException], None]]


class Jobs(QObject):
    """Runs blocking work (a request to the province, the ledger's verification, writing a bundle) on one
    thread of its own, and hands each result back on the Qt thread.

    Results are collected by a timer on the Qt thread rather than signalled from the worker thread, so that a
    console deleted while a job runs is never called from another thread.
    """

    def __init__(self, parent: QObject, executor: concurrent.futures.Executor | None = None) -> None:
        super().__init__(parent)
        self._pool = executor or concurrent.futures.ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="console"
        )
        self._running: list[_Job] = []
        self._timer = QTimer(self)
        self._timer.setInterval(50)
        self._timer.timeout.connect(self._collect)

    @property
    def busy(self) -> bool:
        return bool(self._running)

    def run(
        self, work: Callable[[], T], done: Callable[[T], None], failed: Callable[[BaseException], None]
    ) -> None:
        self._running.append((self._pool.submit(work), done, failed))
        self._timer.start()

    def _collect(self) -> None:
        # One look at each future: a job that finishes while the list is being split must land on one
        # side of it, or its callback would never run.
        finished: list[_Job] = []
        running: list[_Job] = []
        for job in self._running:
            (finished if job[0].done() else running).append(job)
        self._running = running
        if not self._running:
            self._timer.stop()
        for future, done, failed in finished:
            error = future.exception()
            if error is not None:
                failed(error)
            else:
                done(future.result())

    def shutdown(self) -> None:
        self._timer.stop()
        self._running.clear()
        self._pool.shutdown(wait=False, cancel_futures=True)
