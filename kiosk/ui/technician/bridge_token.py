"""The console's bridge page: the counter system's address and token (shown in full here only, as the
bridge spec says), and a new token at a technician's word (asked twice: the case system then needs it)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer

from kiosk.ui.technician.widgets import Page, heading, set_role, text_label, touch_button

if TYPE_CHECKING:
    from kiosk.ui.technician.host import ConsoleHost

log = logging.getLogger("kiosk.technician")

CONFIRM_MS = 6000


class BridgePage(Page):
    def __init__(self, console: ConsoleHost) -> None:
        super().__init__()
        self.console = console
        self.url_title = heading()
        self.url = text_label()
        self.token_title = heading()
        self.token = text_label()
        self.token.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        for label in (self.url, self.token):
            label.setProperty("mono", True)
        self.note = text_label(role="muted")
        self.regenerate = touch_button()
        self.regenerate.clicked.connect(self.on_regenerate)
        self.result = text_label()
        self._confirming = False
        self._confirm_timer = QTimer(self)
        self._confirm_timer.setSingleShot(True)
        self._confirm_timer.setInterval(CONFIRM_MS)
        self._confirm_timer.timeout.connect(self._stop_confirming)
        for widget in (
            self.url_title,
            self.url,
            self.token_title,
            self.token,
            self.note,
            self.regenerate,
            self.result,
        ):
            self.body.addWidget(widget)

    def on_regenerate(self) -> None:
        """The first touch asks for confirmation; a second within six seconds makes the new token."""
        if not self._confirming:
            self._confirming = True
            self._confirm_timer.start()
            self.retranslate()
            return
        self._stop_confirming()
        self.console.controls.regenerate_token()
        log.info("console: bridge token regenerated (the old one is refused from now on)")
        self.result.setText(self.tr("已生成新令牌：请把它填入柜台业务系统，旧令牌已失效"))
        set_role(self.result, "warn")
        self.refresh()

    def _stop_confirming(self) -> None:
        self._confirm_timer.stop()
        self._confirming = False
        self.retranslate()

    def shown(self) -> None:
        self.result.setText("")
        self.refresh()

    def left(self) -> None:
        self._stop_confirming()

    def refresh(self) -> None:
        app = self.console.controls
        self.url.setText(app.bridge_url + "/api/v1")
        self.token.setText(app.token)

    def retranslate(self) -> None:
        self.title.setText(self.tr("柜台对接"))
        self.url_title.setText(self.tr("柜台业务系统调用的地址"))
        self.token_title.setText(self.tr("令牌（Authorization: Bearer）"))
        self.note.setText(self.tr("令牌只在此处完整显示；柜台业务系统每次请求都须带上它"))
        self.regenerate.setText(
            self.tr("确认生成新令牌？旧令牌将立即失效") if self._confirming else self.tr("生成新令牌")
        )
