"""The windowed terminal demo's panel: lays and lifts the made-up ID cards on the simulated reader, and
scans the receipts' barcodes on the simulated scanner, as citizens at the terminal would."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.devices.card_reader_simulator import SimulatedCardReader, made_up_card
from kiosk.devices.scanner_simulator import SimulatedScanner
from kiosk.domain.masking import mask_name


class TerminalDemoPanel(QWidget):
    """Buttons for the demo citizens: the card holder's card, an expired card, and each other case's
    receipt (its check, the last four digits of the made-up applicant's mobile, is on the button).

    Args:
        cases: the demo's cases, as reported to the province (kiosk/demo_terminal.py).
        reader: the simulated ID card reader.
        scanner: the simulated barcode scanner.
        overview_url: the province's overview page.
    """

    def __init__(
        self,
        cases: Sequence[dict[str, Any]],
        reader: SimulatedCardReader,
        scanner: SimulatedScanner,
        overview_url: str,
    ) -> None:
        super().__init__()
        self.setWindowTitle("kiosk demo: ID card reader and scanner")
        self.reader = reader
        self.scanner = scanner
        holder = cases[0]["applicant"]
        card = made_up_card(holder["certNo"], holder["name"])
        expired = made_up_card(holder["certNo"], holder["name"], valid_to="20200101")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Made-up people and cases; nothing here is a real person's."))
        self._button(layout, f"Lay {mask_name(holder['name'])}'s ID card", lambda: self._lay(card))
        self._button(layout, "Lay an expired ID card", lambda: self._lay(expired))
        self._button(layout, "Lift the card", reader.lift)
        for case in cases[1::2]:
            project_no, check = case["projectNo"], case["applicant"]["mobile"][-4:]
            self._button(
                layout,
                f"Scan the receipt of {project_no} (then type {check})",
                lambda p=project_no: scanner.scan(p),
            )
        self._button(
            layout, "Open the province's overview page", lambda: QDesktopServices.openUrl(QUrl(overview_url))
        )

    def _lay(self, card: Any) -> None:
        self.reader.lift()
        self.reader.lay(card)

    @staticmethod
    def _button(layout: QVBoxLayout, text: str, action: Any) -> None:
        button = QPushButton(text)
        button.setMinimumHeight(48)
        button.clicked.connect(lambda _checked=False: action())
        layout.addWidget(button)
