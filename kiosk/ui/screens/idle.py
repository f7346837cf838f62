"""The idle screen: hall and window, the staff member's card, date and time, the window's results (R11),
and the 扫码评价 hint."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPainter, QPixmap
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.domain.clock import Clock
from kiosk.domain.hall import StaffMember
from kiosk.ui.notices import NoticeBoard
from kiosk.ui.screens.base import ScreenWidget, wrapping_label
from kiosk.ui.terminal_texts import message_text
from kiosk.ui.theme import ACCENT, level_label


def avatar(member: StaffMember, side: int) -> QPixmap:
    """The staff member's photo, or a plain disc with the first character of their name."""
    pixmap = QPixmap()
    if member.photo_png and pixmap.loadFromData(member.photo_png):
        return pixmap.scaled(
            QSize(side, side), Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
        )
    pixmap = QPixmap(side, side)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(ACCENT)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawEllipse(QRectF(0, 0, side, side))
    painter.setPen(QColor("white"))
    font = painter.font()
    font.setPixelSize(int(side * 0.45))
    painter.setFont(font)
    painter.drawText(QRectF(0, 0, side, side), Qt.AlignmentFlag.AlignCenter, (member.name or "#")[:1])
    painter.end()
    return pixmap


class IdleScreen(ScreenWidget):
    """Who serves here and the window's results; the hall's notices; on a self-service terminal, how to
    find one's case (lay the ID card, scan the receipt, or type its number).

    Signals:
        keypad_requested(): the citizen chose to type the 办件编号 (a terminal).
    """

    keypad_requested = Signal()

    def __init__(self, clock: Clock, parent: QWidget | None = None) -> None:
        super().__init__(clock, parent)
        self.place = wrapping_label()
        self.time = wrapping_label()
        self.date = wrapping_label()
        self.date.setProperty("role", "muted")
        self._build_staff_card()
        self._build_results()
        self.hint = wrapping_label()
        self.hint.setProperty("role", "muted")
        self._build_terminal()
        self.notices = NoticeBoard()
        self._fonts_for_terminal = False
        self.left = QVBoxLayout()
        self.left.addWidget(self.place)
        self.left.addWidget(self.time)
        self.left.addWidget(self.date)
        self.left.addStretch(1)
        self.left.addWidget(self.instruction)
        self.left.addWidget(self.message)
        self.left.addWidget(self.keypad_button)
        self.left.addWidget(self.card)
        self.right = QVBoxLayout()
        self.right.addStretch(1)
        self.right.addWidget(self.results_card)
        self.right.addWidget(self.notices)
        self.right.addStretch(1)
        self.right.addWidget(self.hint)
        self.columns = QGridLayout(self)
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._update_time)
        self._tick.start()
        self.retranslate()

    def _build_terminal(self) -> None:
        """A self-service terminal's way in: what to do, what went wrong, and the number pad's button."""
        self.instruction = wrapping_label()
        self.message = wrapping_label()
        self.message.setProperty("role", "alert")
        self.keypad_button = QPushButton()
        self.keypad_button.setObjectName("keypad")
        self.keypad_button.clicked.connect(self.keypad_requested)

    def _build_staff_card(self) -> None:
        """Who serves at this window: photo, name, title, staff number."""
        self.card = QFrame()
        self.card.setObjectName("card")
        self.photo = QLabel()
        self.photo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.staff_name = wrapping_label(align=Qt.AlignmentFlag.AlignLeft)
        self.staff_title = wrapping_label(align=Qt.AlignmentFlag.AlignLeft)
        self.staff_title.setProperty("role", "muted")
        self.staff_no = wrapping_label(align=Qt.AlignmentFlag.AlignLeft)
        self.staff_no.setProperty("role", "muted")
        card_text = QVBoxLayout()
        card_text.addWidget(self.staff_name)
        card_text.addWidget(self.staff_title)
        card_text.addWidget(self.staff_no)
        card_layout = QHBoxLayout(self.card)
        card_layout.addWidget(self.photo)
        card_layout.addLayout(card_text, 1)

    def _build_results(self) -> None:
        """The window's results (R11): counts per level and the rate of good ratings."""
        self.results_title = wrapping_label()
        self.results = QGridLayout()
        self.result_labels: dict[int, QLabel] = {}
        for row, satisfaction in enumerate((5, 4, 3, 2, 1)):
            name = wrapping_label(align=Qt.AlignmentFlag.AlignLeft)
            count = wrapping_label(align=Qt.AlignmentFlag.AlignRight)
            self.results.addWidget(name, row, 0)
            self.results.addWidget(count, row, 1)
            self.result_labels[satisfaction] = count
            self.result_labels[-satisfaction] = name
        self.good_rate = wrapping_label()
        self.results_card = QFrame()
        self.results_card.setObjectName("card")
        results_layout = QVBoxLayout(self.results_card)
        results_layout.addWidget(self.results_title)
        results_layout.addLayout(self.results)
        results_layout.addWidget(self.good_rate)

    @property
    def _terminal(self) -> bool:
        return self.state is not None and self.state.role == "terminal"

    def refonts(self) -> None:
        theme = self.theme
        # A terminal's column holds what to do as well: its place and clock give it room.
        self.place.setFont(theme.font(36 if self._terminal else 44, bold=True))
        self.time.setFont(theme.font(72 if self._terminal else 120, bold=True))
        self.date.setFont(theme.font(36))
        self.staff_name.setFont(theme.font(48, bold=True))
        self.staff_title.setFont(theme.font(32))
        self.staff_no.setFont(theme.font(32))
        self.results_title.setFont(theme.font(34, bold=True))
        for label in self.result_labels.values():
            label.setFont(theme.font(30))
        self.good_rate.setFont(theme.font(34, bold=True))
        self.hint.setFont(theme.font(32))
        self.instruction.setFont(theme.font(48, bold=True))
        self.message.setFont(theme.font(34))
        self.keypad_button.setFont(theme.font(40, bold=True))
        self.keypad_button.setMinimumHeight(theme.touch(120))
        self.notices.apply_theme(theme)
        card_style = f"QFrame#card {{ background: white; border-radius: {theme.px(20)}px; padding: {theme.px(12)}px; }}"
        self.card.setStyleSheet(card_style)
        self.results_card.setStyleSheet(card_style)
        self.notices.setStyleSheet(card_style)
        self.columns.setContentsMargins(*(theme.px(40),) * 4)
        self.columns.setSpacing(theme.px(40))
        self.arrange(force=True)
        if self.state is not None:
            self.render_state()

    def lay_out(self, portrait: bool) -> None:
        """Two columns on a landscape panel (who serves here | the window's results), one on a portrait one."""
        for column in (self.left, self.right):
            self.columns.removeItem(column)
        self.columns.addLayout(self.left, 0, 0)
        self.columns.addLayout(self.right, *((1, 0) if portrait else (0, 1)))

    def retranslate(self) -> None:
        self.hint.setText(self.tr("办理完成后，可在窗口评价或扫描二维码评价"))
        self.keypad_button.setText(self.tr("输入办件编号"))
        super().retranslate()

    def render_state(self) -> None:
        state = self.state
        assert state is not None
        if self._terminal != self._fonts_for_terminal:
            self._fonts_for_terminal = self._terminal
            self._place_terminal_widgets()
            self.refonts()
            return
        window = self.tr("{0} 号窗口").format(state.window_no) if state.window_no else ""
        self.place.setText("  ".join(part for part in (state.hall_name, window, state.dept_name) if part))
        self._render_terminal()
        # On the smallest panel in large text, the results leave no room beside them: the notices give way.
        cramped = self.theme.large_text and self.theme.unit < 0.8 and not self._terminal
        self.notices.show_notices(() if cramped else state.notices)
        member = state.staff
        self.card.setVisible(member is not None)
        if member is not None:
            self.photo.setPixmap(avatar(member, self.theme.px(160)))
            self.staff_name.setText(member.name or self.tr("工作人员"))
            self.staff_title.setText(member.title)
            self.staff_no.setText(self.tr("工号：{0}").format(member.staff_id))
        results = state.results
        # R11's results are a window's; a self-service terminal shows what to do and the notices instead.
        shown = results is not None and results.shown and not self._terminal
        self.results_card.setVisible(shown)
        if results is not None and shown:
            self.results_title.setText(
                self.tr("本窗口近 {0} 日评价（{1} 至 {2}）").format(
                    (results.last_day - results.first_day).days + 1,
                    results.first_day.isoformat(),
                    results.last_day.isoformat(),
                )
            )
            for satisfaction in (5, 4, 3, 2, 1):
                self.result_labels[-satisfaction].setText(level_label(satisfaction, self.language))
                self.result_labels[satisfaction].setText(str(results.counts.get(satisfaction, 0)))
            self.good_rate.setText(self.tr("好评率 {0:.1f}%").format(results.good_rate * 100))
        self._update_time()

    def _render_terminal(self) -> None:
        state = self.state
        assert state is not None
        terminal = state.role == "terminal"
        self.hint.setVisible(not terminal)
        self.instruction.setVisible(terminal)
        self.keypad_button.setVisible(terminal and state.lookup_available)
        if state.lookup_available:
            self.instruction.setText(self.tr("请将身份证放在读卡区，或扫描办件回执"))
        else:
            self.instruction.setText(self.tr("本终端暂不能查询办件，请到办理窗口评价"))
        text = message_text(state.message) if terminal else ""
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def _place_terminal_widgets(self) -> None:
        """A terminal's way in goes to the wide column, above the notices; a window's staff card stays."""
        way_in: tuple[QWidget, ...] = (self.instruction, self.message, self.keypad_button)
        for widget in way_in:
            self.left.removeWidget(widget)
            self.right.removeWidget(widget)
        column, first = (self.right, 1) if self._terminal else (self.left, self.left.indexOf(self.card))
        for offset, moved in enumerate(way_in):
            column.insertWidget(first + offset, moved)

    def _update_time(self) -> None:
        now = self.clock.now()
        self.time.setText(now.strftime("%H:%M"))
        self.date.setText(now.strftime("%Y-%m-%d"))
