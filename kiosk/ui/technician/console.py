"""The technician's console: over the pad's window, behind a PIN, opened by the screens' hidden gesture.

It lives inside the full-screen window (a child that covers it), so the lockdown still holds while it is
open. It closes by itself after a few idle minutes, and whenever a citizen is asked to rate: the buttons then
rate, and the citizen must see the prompt. Every visit, page and change goes to the log, secrets never.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QHBoxLayout, QPushButton, QStackedWidget, QVBoxLayout, QWidget

from kiosk.config import ConfigError
from kiosk.domain.screen import Screen, ScreenState
from kiosk.technician.live import pin_config
from kiosk.technician.pin import PinLockout, PinOutcome, hash_pin
from kiosk.technician.settings import SECRET_KEYS, Applied, SettingsEditor
from kiosk.ui.technician.pages import make_pages
from kiosk.ui.technician.pin import PinMode, PinScreen
from kiosk.ui.technician.widgets import (
    Jobs,
    Page,
    console_stylesheet,
    heading,
    set_role,
    text_label,
    touch_button,
)
from kiosk.ui.theme import Theme

if TYPE_CHECKING:
    from kiosk.pad import Pad
    from kiosk.technician.controls import PadControls
    from kiosk.ui.window import PadWindow

log = logging.getLogger("kiosk.technician")

IDLE_CLOSE_MS = 5 * 60 * 1000
REFRESH_MS = 1000
_INPUT_EVENTS = frozenset(
    {
        QEvent.Type.MouseButtonPress,
        QEvent.Type.TouchBegin,
        QEvent.Type.KeyPress,
        QEvent.Type.Wheel,
    }
)


class TechnicianConsole(QWidget):
    """The console over the pad's window.

    Args:
        controls: what the console may do with the running pad.
        pad: the Pad (its screens close the console when a citizen is asked to rate).
        window: the pad's window, which the console covers.
        monotonic: the PIN lockout's time source (tests move it).

    Signals:
        closed(): the console closed (the citizen's screens show again).
    """

    closed = Signal()

    def __init__(
        self,
        controls: PadControls,
        pad: Pad,
        window: PadWindow,
        *,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(window)
        self.setObjectName("console")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.controls = controls
        self.pad = pad
        self.pad_window = window
        self.lockout = PinLockout(monotonic=monotonic)
        self.editor = SettingsEditor(controls)
        self.jobs = Jobs(self)
        self.unlocked = False
        self._was_locked = False
        self.theme: Theme | None = None
        self.pin = PinScreen()
        self.pin.entered.connect(self.on_pin_entered)
        self.pin.chosen.connect(self.on_pin_chosen)
        self.pin.cancelled.connect(self._on_pin_cancelled)
        self.pages: list[Page] = make_pages(self)
        self.main = self._build_main()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.pin)
        self.stack.addWidget(self.main)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        self._refresh = QTimer(self)
        self._refresh.setInterval(REFRESH_MS)
        self._refresh.timeout.connect(self._tick)
        self._idle = QTimer(self)
        self._idle.setSingleShot(True)
        self._idle.setInterval(IDLE_CLOSE_MS)
        self._idle.timeout.connect(lambda: self.close_console("idle for 5 minutes"))
        window.installEventFilter(self)
        pad.screen_changed.connect(self._on_screen_changed)
        self.hide()
        self.retranslate()

    def _build_main(self) -> QWidget:
        main = QWidget()
        self.heading = heading(scale="title")
        self.close_button = touch_button()
        self.close_button.clicked.connect(lambda: self.close_console("closed by the technician"))
        self.notice = text_label()
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.close_button)
        self.nav: list[QPushButton] = []
        nav = QVBoxLayout()
        nav.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.page_stack = QStackedWidget()
        for index, page in enumerate(self.pages):
            button = touch_button(checkable=True)
            button.setProperty("scale", "nav")
            button.clicked.connect(lambda _checked=False, i=index: self.show_page(i))
            nav.addWidget(button)
            self.nav.append(button)
            self.page_stack.addWidget(page)
        body = QHBoxLayout()
        body.addLayout(nav, 1)
        body.addWidget(self.page_stack, 4)
        column = QVBoxLayout(main)
        column.addLayout(top)
        column.addWidget(self.notice)
        column.addLayout(body, 1)
        return main

    # -- opening and closing -----------------------------------------------------------------------------

    @property
    def pin_hash(self) -> str:
        return pin_config(self.controls.config_path, self.controls.config).console.pin_hash

    def open(self) -> None:
        """The hidden gesture: the PIN screen (the first-run screen when no PIN is set) over the window.

        Never while a citizen is choosing a rating (R7): the console would show their presses.
        """
        if self.isVisible():
            return
        if self.pad.rating_in_progress:
            log.warning("console: not opened: a citizen is rating")
            return
        log.info("console: opened by the hidden gesture")
        language = self.controls.config.pad.language
        if self.pad_window.languages.current != language:
            self.pad_window.set_language(language)  # the console follows pad.language
            self.retranslate()  # now, not when Qt delivers its LanguageChange
        self.unlocked = False
        self.pin.start(PinMode.ENTER if self.pin_hash else PinMode.FIRST_RUN)
        self.stack.setCurrentWidget(self.pin)
        self._fit()
        self.show()
        self.raise_()
        self._show_lock()
        self._refresh.start()
        self._idle.start()
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def close_console(self, reason: str) -> None:
        if not self.isVisible():
            return
        self.page().left()
        self.hide()
        self.unlocked = False
        self._refresh.stop()
        self._idle.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        log.info("console: closed (%s)", reason)
        self.pad.dismiss_transient_screens()
        self.closed.emit()

    def shutdown(self) -> None:
        """The pad stops: the console closes and its worker thread ends."""
        self.close_console("the pad stops")
        self.jobs.shutdown()

    def _on_pin_cancelled(self) -> None:
        if self.pin.mode is PinMode.CHANGE:
            self.stack.setCurrentWidget(self.main)
            return
        self.close_console("closed at the PIN screen")

    def _on_screen_changed(self, state: ScreenState) -> None:
        if state.screen in (Screen.PROMPT, Screen.REASONS):
            self.close_console("a citizen is asked to rate")

    # -- the PIN --------------------------------------------------------------------------------------------

    def on_pin_entered(self, pin: str) -> None:
        stored = self.pin_hash
        if not stored:
            self.pin.start(PinMode.FIRST_RUN)
            return
        attempt = self.lockout.attempt(pin, stored)
        if attempt.outcome is PinOutcome.ACCEPTED:
            log.info("console: PIN accepted")
            self._unlock()
        elif attempt.outcome is PinOutcome.WRONG:
            log.warning("console: wrong PIN (%d tries left before the lock)", attempt.tries_left)
            self.pin.show_message(self.tr("PIN 错误，还可尝试 {0} 次").format(attempt.tries_left), "fail")
        else:
            if attempt.checked:
                log.warning(
                    "console: locked for %.0f s after %d wrong PINs",
                    self.lockout.lockout_s,
                    self.lockout.max_tries,
                )
            else:
                log.warning("console: a PIN was typed while locked; not checked")
            self._show_lock()

    def on_pin_chosen(self, pin: str) -> None:
        first_run = self.pin.mode is PinMode.FIRST_RUN
        if self.apply({"console.pin_hash": hash_pin(pin)}) is None:
            return
        log.info("console: technician PIN %s", "set on the first-run screen" if first_run else "changed")
        if first_run:
            self._unlock()
        else:
            self.stack.setCurrentWidget(self.main)
            self.show_notice(self.tr("PIN 已修改"), "ok")

    def change_pin(self) -> None:
        self.pin.start(PinMode.CHANGE)
        self.stack.setCurrentWidget(self.pin)

    def _show_lock(self) -> None:
        locked = self.lockout.locked_for()
        self.pin.set_locked(bool(locked))
        if locked:
            minutes, seconds = divmod(int(locked + 0.999), 60)
            self.pin.show_message(
                self.tr("连续输错 5 次，已锁定。请 {0} 分 {1} 秒后再试").format(minutes, seconds), "fail"
            )
        elif self._was_locked:
            log.info("console: the PIN lock ended")
            self.pin.show_message(self.tr("已解锁，请输入 PIN"))
        self._was_locked = bool(locked)

    def _unlock(self) -> None:
        self.unlocked = True
        self.stack.setCurrentWidget(self.main)
        self.show_notice("")
        self.show_page(0)

    # -- pages ------------------------------------------------------------------------------------------

    def page(self) -> Page:
        widget = self.page_stack.currentWidget()
        assert isinstance(widget, Page)
        return widget

    def page_named(self, name: str) -> Page:
        return next(page for page in self.pages if page.name == name)

    def show_page(self, index: int) -> None:
        if self.unlocked and self.page_stack.currentIndex() != index:
            self.page().left()
        self.page_stack.setCurrentIndex(index)
        for i, button in enumerate(self.nav):
            button.setChecked(i == index)
        page = self.pages[index]
        log.info("console: %s page", page.name)
        page.shown()

    def open_page(self, name: str) -> Page:
        page = self.page_named(name)
        self.show_page(self.pages.index(page))
        return page

    def show_notice(self, text: str, role: str = "") -> None:
        self.notice.setText(text)
        self.notice.setVisible(bool(text))
        set_role(self.notice, role)

    # -- changing settings ----------------------------------------------------------------------------------

    def apply(self, changes: Mapping[str, Any]) -> Applied | None:
        """Validates, writes and applies settings; shows what happened, or the refusal naming the key.

        Returns:
            What became of the change, or None when it was refused (nothing written or applied).
        """
        try:
            applied = self.editor.change(changes)
        except ConfigError as exc:
            reason = _without_value(exc)
            log.warning("console: refused %s: %s", exc.key, reason)
            self.show_notice(self.tr("未保存：{0}").format(f"{exc.key}: {reason}"), "fail")
            return None
        except OSError as exc:
            log.error("console: kiosk.toml cannot be written: %s", exc.strerror)
            self.show_notice(
                self.tr("未保存：无法写入 {0}（{1}）").format(
                    str(self.controls.config_path), exc.strerror or ""
                ),
                "fail",
            )
            return None
        if applied.at_restart:
            self.show_notice(
                self.tr("已保存；{0} 在重启后生效").format(", ".join(applied.at_restart)), "warn"
            )
        else:
            self.show_notice(self.tr("已保存并生效"), "ok")
        self._fit()
        for page in self.pages:
            page.refresh()
        return applied

    # -- Qt ---------------------------------------------------------------------------------------------

    def _tick(self) -> None:
        if not self.unlocked:
            self._show_lock()
            return
        self.page().refresh()

    def _fit(self) -> None:
        window = self.pad_window
        self.setGeometry(window.rect())
        theme = Theme.for_size(window.width(), window.height(), window.large_text)
        if theme != self.theme:
            self.apply_theme(theme)

    def apply_theme(self, theme: Theme) -> None:
        self.theme = theme
        self.setStyleSheet(console_stylesheet(theme))
        self.close_button.setMinimumHeight(theme.touch(90))
        for button in self.nav:
            button.setMinimumHeight(theme.touch(90))
        self.pin.apply_theme(theme)
        for page in self.pages:
            page.apply_theme(theme)

    def retranslate(self) -> None:
        self.heading.setText(self.tr("技术人员控制台"))
        self.close_button.setText(self.tr("返回评价界面"))
        for button, page in zip(self.nav, self.pages, strict=True):
            page.retranslate()
            button.setText(page.heading_text())
        self.pin.retranslate()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if watched is self.pad_window and kind == QEvent.Type.Resize and self.isVisible():
            self._fit()
        elif kind in _INPUT_EVENTS and self.isVisible():
            self._idle.start()
        return False

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


def _without_value(exc: ConfigError) -> str:
    """Why a value was refused, for the log and the screen; a secret's value is never repeated."""
    return "not a valid value" if exc.key in SECRET_KEYS else str(exc).removeprefix(f"{exc.key}: ")
