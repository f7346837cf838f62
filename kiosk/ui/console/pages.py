"""The console's pages, in the order the navigation shows them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.ui.console.bridge_token import BridgePage
from kiosk.ui.console.diagnostics import DiagnosticsPage
from kiosk.ui.console.display import DisplayPage
from kiosk.ui.console.enrolment import EnrolmentPage
from kiosk.ui.console.evaluator import EvaluatorPage
from kiosk.ui.console.staff import StaffPage
from kiosk.ui.console.system import SystemPage
from kiosk.ui.console.uplink import UplinkPage
from kiosk.ui.console.widgets import Page

if TYPE_CHECKING:
    from kiosk.ui.console.console import TechnicianConsole


def make_pages(console: TechnicianConsole) -> list[Page]:
    return [
        EnrolmentPage(console),
        EvaluatorPage(console),
        UplinkPage(console),
        BridgePage(console),
        StaffPage(console),
        DisplayPage(console),
        DiagnosticsPage(console),
        SystemPage(console),
    ]
