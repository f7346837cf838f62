"""The citizen's cases at a self-service terminal: the rateable ones first, each a card to touch; the rated
and expired ones shown with the reason they cannot be rated. The holder's name is masked (R3)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QPushButton, QScrollArea, QScroller, QVBoxLayout, QWidget

from kiosk.domain.cases import CaseState
from kiosk.domain.clock import Clock
from kiosk.domain.terminal import CaseView
from kiosk.ui.buttons import CardButton
from kiosk.ui.screens.base import ScreenWidget, wrapping_label


class CasesScreen(ScreenWidget):
    """Signals:
    case_chosen(str): a rateable case was touched (its 办件编号).
    back(): the citizen leaves.
    """

    case_chosen = Signal(str)
    back = Signal()

    def __init__(self, clock: Clock, parent: QWidget | None = None) -> None:
        super().__init__(clock, parent)
        self.shown: tuple[CaseView, ...] = ()
        self.title = wrapping_label()
        self.hint = wrapping_label()
        self.hint.setProperty("role", "muted")
        self.case_buttons: list[CardButton] = []
        inner = QWidget()
        inner.setObjectName("screen")
        self.list = QVBoxLayout(inner)
        self.list.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.scroller = QScrollArea()
        self.scroller.setWidgetResizable(True)
        self.scroller.setWidget(inner)
        self.scroller.setFrameShape(QScrollArea.Shape.NoFrame)
        self.scroller.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        QScroller.grabGesture(self.scroller.viewport(), QScroller.ScrollerGestureType.TouchGesture)
        self.leave = QPushButton()
        self.leave.clicked.connect(self.back)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.hint)
        layout.addWidget(self.scroller, 1)
        layout.addWidget(self.leave)
        self.retranslate()

    def refonts(self) -> None:
        theme = self.theme
        self.title.setFont(theme.font(56, bold=True))
        self.hint.setFont(theme.font(32))
        self.leave.setFont(theme.font(40, bold=True))
        self.leave.setMinimumHeight(theme.touch(110))
        self.list.setSpacing(theme.px(16))
        for button in self.case_buttons:
            button.setFont(theme.font(34))
            button.set_metrics(0, theme.px(18), theme.touch(120))

    def retranslate(self) -> None:
        self.leave.setText(self.tr("返回"))
        super().retranslate()

    def render_state(self) -> None:
        state = self.state
        assert state is not None
        if state.holder_masked:
            self.title.setText(self.tr("{0} 的办件").format(state.holder_masked))
        else:
            self.title.setText(self.tr("您的办件"))
        rateable = sum(case.rateable for case in state.cases)
        self.hint.setText(self.tr("请选择要评价的办件") if rateable else self.tr("这些办件都不能再评价了"))
        self._fill(state.cases)

    def _fill(self, cases: tuple[CaseView, ...]) -> None:
        if cases != self.shown:
            for button in self.case_buttons:
                self.list.removeWidget(button)
                button.setText("")  # gone now, not once the event loop deletes it
                button.hide()
                button.deleteLater()
            self.case_buttons = []
            for case in cases:
                button = CardButton()
                button.setObjectName(f"case{case.project_no}")
                button.setEnabled(case.rateable)
                button.clicked.connect(lambda _checked=False, p=case.project_no: self.case_chosen.emit(p))
                self.list.addWidget(button)
                self.case_buttons.append(button)
            self.shown = cases
            self.refonts()
        for button, case in zip(self.case_buttons, cases, strict=True):
            button.setText(self._case_text(case))

    def _case_text(self, case: CaseView) -> str:
        first = case.task_name or self.tr("办件 {0}").format(case.project_no)
        where = "  ".join(part for part in (case.dept_name, case.day) if part)
        why = {
            CaseState.RATEABLE: self.tr("可以评价"),
            CaseState.RATED: self.tr("已评价，不能再次评价"),
            CaseState.EXPIRED: self.tr("已超过 7 天评价期限"),
        }[case.state]
        return "\n".join(part for part in (first, where, why) if part)
