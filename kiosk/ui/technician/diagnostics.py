"""The console's diagnostics page: the doctor's checks on the running pad (the lines `kiosk doctor` prints,
in the words support reads), and the diagnostics bundle written to a folder the technician chooses."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog, QListWidget, QListWidgetItem

from kiosk.technician.checks import Check, Status
from kiosk.technician.doctor import report_lines
from kiosk.technician.export import export_bundle, export_folders, live_counters
from kiosk.technician.live import diagnose_live
from kiosk.ui.technician.widgets import STATUS_COLOURS, Page, heading, set_role, text_label, touch_button

if TYPE_CHECKING:
    from PySide6.QtGui import QColor

    from kiosk.ui.technician.host import ConsoleHost

log = logging.getLogger("kiosk.technician")


class DiagnosticsPage(Page):
    def __init__(self, console: ConsoleHost) -> None:
        super().__init__()
        self.console = console
        self.checks: list[Check] = []
        self.run_checks = touch_button()
        self.run_checks.clicked.connect(self.diagnose)
        self.report_note = text_label(role="muted")
        self.report = QListWidget()
        self.report.setWordWrap(True)
        self.report.setProperty("scale", "small")
        self.report.setMinimumHeight(360)
        self.export_title = heading()
        self.folders = QListWidget()
        self.folders.setMinimumHeight(160)
        self.browse = touch_button()
        self.browse.clicked.connect(self.browse_folder)
        self.export = touch_button()
        self.export.clicked.connect(self.export_selected)
        self.result = text_label()
        for widget in (
            self.run_checks, self.report_note, self.report, self.export_title, self.folders, self.browse,
            self.export, self.result,
        ):  # fmt: skip
            self.body.addWidget(widget)

    # -- the checks ---------------------------------------------------------------------------------------

    def diagnose(self) -> None:
        """The doctor's checks on the running pad, off the Qt thread (the ledger's verification reads it all)."""
        if self.console.jobs.busy:
            return
        live = self.console.controls.snapshot()  # copied here, on the Qt thread; the job reads only the copy
        self.run_checks.setEnabled(False)
        self.report.clear()
        self.report.addItem(self.tr("正在检查……"))
        self.console.jobs.run(lambda: diagnose_live(live), self.show_checks, self._failed)

    def show_checks(self, checks: list[Check]) -> None:
        self.checks = checks
        self.run_checks.setEnabled(True)
        self.report.clear()
        for check in checks:
            item = QListWidgetItem(check.line())
            item.setForeground(_colour(check.status))
            self.report.addItem(item)
        log.info("console: doctor's checks run (%s)", ", ".join(f"{c.name} {c.status}" for c in checks))

    def _failed(self, error: BaseException) -> None:
        self.run_checks.setEnabled(True)
        self.export.setEnabled(True)
        log.error("console: diagnostics failed: %s", error.__class__.__name__)
        self.result.setText(self.tr("失败：{0}").format(f"{error.__class__.__name__}: {error}"))
        set_role(self.result, "fail")

    # -- the bundle ---------------------------------------------------------------------------------------

    def shown(self) -> None:
        self.folders.clear()
        for folder in export_folders(self.console.controls.data_dir):
            self.folders.addItem(str(folder))
        self.folders.setCurrentRow(0)
        if not self.checks and not self.console.jobs.busy:
            self.diagnose()

    def browse_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self,
            self.tr("选择导出文件夹"),
            "/",
            QFileDialog.Option.DontUseNativeDialog | QFileDialog.Option.ShowDirsOnly,
        )
        if folder:
            self.folders.insertItem(0, folder)
            self.folders.setCurrentRow(0)

    def export_selected(self) -> None:
        if self.folders.currentRow() >= 0:
            self.export_to(Path(self.folders.currentItem().text()))

    def export_to(self, folder: Path) -> None:
        """Writes the bundle (config without secrets, logs, counters, the doctor's report) into `folder`."""
        if self.console.jobs.busy:
            return
        app = self.console.controls
        live = app.snapshot()  # copied here, on the Qt thread; the job reads only the copy
        at = app.now()

        def work() -> Path:
            folder.mkdir(parents=True, exist_ok=True)
            lines = report_lines(diagnose_live(live))
            return export_bundle(
                folder,
                live.data_dir,
                live.config_path,
                lines,
                live_counters(live),
                device_id=live.ledger.device_id,
                at=at,
            )

        self.export.setEnabled(False)
        self.result.setText(self.tr("正在导出……"))
        set_role(self.result, "")
        self.console.jobs.run(work, self._exported, self._failed)

    def _exported(self, path: Path) -> None:
        self.export.setEnabled(True)
        self.last_export = path
        log.info("console: diagnostics bundle exported to %s", path)
        self.result.setText(self.tr("已导出：{0}").format(str(path)))
        set_role(self.result, "ok")

    last_export: Path | None = None

    def retranslate(self) -> None:
        self.title.setText(self.tr("诊断"))
        self.run_checks.setText(self.tr("运行诊断"))
        self.report_note.setText(
            self.tr("与 kiosk doctor 相同的检查，每行：检查了什么：发现了什么 — 该做什么")
        )
        self.export_title.setText(self.tr("导出诊断包（配置不含密钥、日志、计数、诊断报告；不含个人信息）"))
        self.browse.setText(self.tr("其他文件夹……"))
        self.export.setText(self.tr("导出到所选文件夹"))

    def refonts(self) -> None:
        self.report.setMinimumHeight(self.theme.px(420))
        self.folders.setMinimumHeight(self.theme.px(180))


def _colour(status: Status) -> QColor:
    from PySide6.QtGui import QColor

    return QColor(STATUS_COLOURS[status.value])
