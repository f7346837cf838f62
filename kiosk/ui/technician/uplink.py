"""The console's province page: reachability, clock offset, the queue, the dead letters with their reasons
(masked: the province's words may quote a field), the province's acceptedSeq against the device's own, and the
province's address."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHeaderView,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
)

from kiosk.domain.clock import CLOCK_ALERT_S
from kiosk.domain.masking import redact
from kiosk.technician.checks import Check, check_clock, check_province_answer
from kiosk.technician.probes import UplinkAnswer, probe_uplink
from kiosk.ui.technician.widgets import Page, add_row, heading, set_role, text_label, touch_button

if TYPE_CHECKING:
    from kiosk.ui.technician.host import ConsoleHost

DEAD_LETTERS_SHOWN = 200


class UplinkPage(Page):
    """The uplink's live state, read from the running pad every second."""

    def __init__(self, console: ConsoleHost) -> None:
        super().__init__()
        self.console = console
        self.values = {
            key: text_label()
            for key in ("url", "state", "last", "offset", "queue", "dead", "accepted", "answered", "last_seq")
        }
        form = QFormLayout()
        self.names = {key: add_row(form, label) for key, label in self.values.items()}
        self.check_now = touch_button()
        self.check_now.clicked.connect(self.probe)
        self.probe_result = text_label()
        self.dead_title = heading()
        self.dead = QTableWidget(0, 5)
        self.dead.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.dead.verticalHeader().hide()
        self.dead.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.dead.horizontalHeader().setStretchLastSection(True)
        self.dead.setMinimumHeight(240)
        self.url_title = heading()
        self.url = QLineEdit()
        self.save_url = touch_button()
        self.save_url.clicked.connect(self.save_address)
        self.body.addLayout(form)
        self.body.addWidget(self.check_now)
        self.body.addWidget(self.probe_result)
        self.body.addWidget(self.dead_title)
        self.body.addWidget(self.dead)
        self.body.addWidget(self.url_title)
        self.body.addWidget(self.url)
        self.body.addWidget(self.save_url)

    def probe(self) -> None:
        """Asks the province now, off the Qt thread: its certificate, reachable? clock?"""
        app = self.console.controls
        if app.gateway_profile:
            self.check_now.setEnabled(False)
            self.probe_result.setText(self.tr("正在连接省平台……"))
            self.console.jobs.run(app.province_checks, self._show_checks, self._probe_failed)
            return
        url = app.config.uplink.url
        if not url:
            self.probe_result.setText(self.tr("未设置省平台地址"))
            set_role(self.probe_result, "warn")
            return
        device_id, secret, timeout = (
            app.ledger.device_id,
            app.ledger.device_secret(),
            app.config.uplink.timeout_s,
        )
        self.check_now.setEnabled(False)
        self.probe_result.setText(self.tr("正在连接省平台……"))
        set_role(self.probe_result, "")
        transport = app.transport

        def probe() -> tuple[list[Check], UplinkAnswer]:
            # The TLS line first: the certificate's subject and expiry, or why the pad cannot use it.
            return app.province_checks(), probe_uplink(url, device_id, secret, timeout, transport=transport)

        self.console.jobs.run(
            probe, lambda found: self._probed(url, secret is not None, *found), self._probe_failed
        )

    def _probed(self, url: str, enrolled: bool, tls: list[Check], answer: UplinkAnswer) -> None:
        checks = [*tls, check_province_answer(url, enrolled, answer)]
        if answer.reachable:
            checks.append(check_clock(answer.offset_s, answer.offset_exact))
        self._show_checks(checks)

    def _probe_failed(self, error: BaseException) -> None:
        self.check_now.setEnabled(True)
        self.probe_result.setText(error.__class__.__name__)
        set_role(self.probe_result, "fail")

    def _show_checks(self, checks: list[Check]) -> None:
        self.check_now.setEnabled(True)
        self.probe_result.setText("\n".join(check.line() for check in checks))
        worst = (
            "fail"
            if any(c.status == "fail" for c in checks)
            else "warn"
            if any(c.status == "warn" for c in checks)
            else "ok"
        )
        set_role(self.probe_result, worst)

    def save_address(self) -> None:
        url = self.url.text().strip()
        if url != self.console.controls.config.uplink.url:
            self.console.apply({"uplink.url": url})
        else:
            self.console.show_notice(self.tr("没有改动"))

    def shown(self) -> None:
        self.url.setText(self.console.controls.config.uplink.url)
        self.load_dead_letters()
        self.refresh()

    def load_dead_letters(self) -> None:
        """The dead letters: seq, evaluationId and the province's reason, never a personal field."""
        letters = self.console.controls.ledger.dead_letters(DEAD_LETTERS_SHOWN)
        self.dead.setRowCount(len(letters))
        for row, letter in enumerate(letters):
            cells = (str(letter.seq), letter.evaluation_id, letter.code, letter.field, redact(letter.message))
            for column, text in enumerate(cells):
                self.dead.setItem(row, column, QTableWidgetItem(text))

    def refresh(self) -> None:
        app = self.console.controls
        has_uplink = app.has_uplink
        ledger = app.ledger
        counts = ledger.send_counts()
        states = {
            "online": (self.tr("在线：省平台可达"), "ok"),
            "retrying": (self.tr("无法连接省平台，正在重试"), "fail"),
            "enrolling": (self.tr("等待注册"), "warn"),
            "blocked": (self.tr("已暂停：省平台拒绝了本设备"), "fail"),
            "offline": (self.tr("离线：未设置省平台地址"), "warn"),
        }
        uplink = (
            self.console.pad.uplink
        )  # the worker's last published status: its own fields stay on its thread
        state, role = states.get(uplink.state, (uplink.state, ""))
        if has_uplink and uplink.blocked_reason:
            state += f" ({uplink.blocked_reason})"
        v = self.values
        v["url"].setText(
            (app.config.uplink.fujian.gateway if app.gateway_profile else app.config.uplink.url)
            or self.tr("未设置")
        )
        v["state"].setText(state)
        set_role(v["state"], role)
        v["last"].setText(uplink.last_sync_at or self.tr("从未"))
        offset = uplink.clock_offset_s if has_uplink else None
        if offset is not None:
            v["offset"].setText(self.tr("{0:+.1f} 秒").format(offset))
            set_role(v["offset"], "ok" if abs(offset) <= CLOCK_ALERT_S else "warn")
        else:
            v["offset"].setText(self.tr("未知"))
        v["queue"].setText(str(counts.get("pending", 0)))
        v["dead"].setText(str(counts.get("dead", 0)))
        set_role(v["dead"], "warn" if counts.get("dead", 0) else "")
        if self.dead.rowCount() != counts.get("dead", 0):
            self.load_dead_letters()
        accepted = uplink.accepted_seq if has_uplink else None
        answered = ledger.answered_prefix()
        v["accepted"].setText(self.tr("尚未报告") if accepted is None else str(accepted))
        set_role(v["accepted"], "fail" if "chain" in self.console.pad.alerts else "")
        v["answered"].setText(str(answered))
        v["last_seq"].setText(str(ledger.last_link()[0]))

    def retranslate(self) -> None:
        self.title.setText(self.tr("省平台"))
        names = {
            "url": self.tr("地址"),
            "state": self.tr("状态"),
            "last": self.tr("最近应答"),
            "offset": self.tr("时钟偏差（省平台减本机）"),
            "queue": self.tr("待发送"),
            "dead": self.tr("死信（被拒绝的评价）"),
            "accepted": self.tr("省平台确认到（acceptedSeq）"),
            "answered": self.tr("本机已获应答到"),
            "last_seq": self.tr("本机最新序号"),
        }
        for key, label in self.names.items():
            label.setText(names[key])
        self.check_now.setText(self.tr("立即检查连接"))
        self.dead_title.setText(self.tr("死信：省平台拒绝的评价，保留在本机，不再发送"))
        self.dead.setHorizontalHeaderLabels(
            [self.tr("序号"), self.tr("评价编号"), self.tr("原因代码"), self.tr("字段"), self.tr("说明")]
        )
        self.url_title.setText(self.tr("省平台地址（uplink.url，重启后生效）"))
        self.save_url.setText(self.tr("保存地址"))

    def refonts(self) -> None:
        self.url.setMinimumHeight(self.theme.touch(80))
        self.dead.setMinimumHeight(self.theme.px(260))
