"""The hall's notices on the idle screen (政务公开, Art. 12): one after another, 8 s each."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout

from kiosk.domain.notices import Notice
from kiosk.ui.screens.base import wrapping_label
from kiosk.ui.theme import Theme

NOTICE_MS = 8000


class NoticeBoard(QFrame):
    """Shows the notices in force, in turn; hidden while there are none."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("card")
        self.notices: tuple[Notice, ...] = ()
        self.index = 0
        self.title = wrapping_label(align=Qt.AlignmentFlag.AlignLeft)
        self.body = wrapping_label(align=Qt.AlignmentFlag.AlignLeft)
        self.image = QLabel()
        self.image.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.count = wrapping_label(align=Qt.AlignmentFlag.AlignRight)
        self.count.setProperty("role", "muted")
        text = QVBoxLayout()
        text.addWidget(self.title)
        text.addWidget(self.body)
        text.addWidget(self.count)
        layout = QHBoxLayout(self)
        layout.addWidget(self.image)
        layout.addLayout(text, 1)
        self._timer = QTimer(self)
        self._timer.setInterval(NOTICE_MS)
        self._timer.timeout.connect(self.next)
        self.hide()

    def apply_theme(self, theme: Theme) -> None:
        self.theme = theme
        self.title.setFont(theme.font(34, bold=True))
        self.body.setFont(theme.font(28))
        self.count.setFont(theme.font(24))

    def show_notices(self, notices: tuple[Notice, ...]) -> None:
        """The notices in force now; the one shown stays when the set has not changed."""
        if notices == self.notices:
            return
        self.notices = notices
        self.index = 0
        self.setVisible(bool(notices))
        if len(notices) > 1:
            self._timer.start()
        else:
            self._timer.stop()
        self._show()

    def next(self) -> None:
        if self.notices:
            self.index = (self.index + 1) % len(self.notices)
            self._show()

    def _show(self) -> None:
        if not self.notices:
            self.title.setText("")
            self.body.setText("")
            self.image.clear()
            return
        notice = self.notices[self.index]
        self.title.setText(notice.title)
        self.body.setText(notice.body)
        self.count.setText(f"{self.index + 1} / {len(self.notices)}" if len(self.notices) > 1 else "")
        pixmap = QPixmap()
        if notice.image_png and pixmap.loadFromData(notice.image_png, "PNG"):
            side = getattr(self, "theme", Theme()).px(160)
            self.image.setPixmap(pixmap.scaled(side, side, Qt.AspectRatioMode.KeepAspectRatio))
            self.image.show()
        else:
            self.image.clear()
            self.image.hide()
