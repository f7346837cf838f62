"""The console's staff page: the hall and window the province placed the pad at, and its staff roster."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from kiosk.ui.technician.widgets import Page, text_label

if TYPE_CHECKING:
    from kiosk.ui.technician.host import ConsoleHost


class StaffPage(Page):
    def __init__(self, console: ConsoleHost) -> None:
        super().__init__()
        self.console = console
        self.place = text_label()
        self.summary = text_label(role="muted")
        self.table = QTableWidget(0, 4)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(300)
        for widget in (self.place, self.summary, self.table):
            self.body.addWidget(widget)
        self._shown: tuple[object, str] | None = None

    def refresh(self) -> None:
        pad = self.console.pad
        placement = pad.placement
        if (placement, pad.staff_id) == self._shown:
            return
        self._shown = (placement, pad.staff_id)
        where = " · ".join(p for p in (placement.hall_name, placement.dept_name) if p)
        window = self.tr("{0} 号窗口").format(placement.window_no) if placement.window_no else ""
        self.place.setText(
            " · ".join(p for p in (where, window) if p) or self.tr("省平台尚未下发本窗口的信息")
        )
        staff = placement.staff
        self.summary.setText(
            self.tr("名单来自省平台，共 {0} 人").format(len(staff))
            if staff
            else self.tr("省平台尚未下发人员名单")
        )
        self.table.setRowCount(len(staff))
        for row, member in enumerate(staff):
            signed_in = self.tr("当前登录") if member.staff_id == pad.staff_id else ""
            for column, text in enumerate((member.staff_id, member.name, member.title, signed_in)):
                self.table.setItem(row, column, QTableWidgetItem(text))

    def retranslate(self) -> None:
        self.title.setText(self.tr("人员名单"))
        self.table.setHorizontalHeaderLabels(
            [self.tr("工号"), self.tr("姓名"), self.tr("职务"), self.tr("状态")]
        )
        self._shown = None
        self.refresh()

    def refonts(self) -> None:
        self.table.setMinimumHeight(self.theme.px(400))
