"""The console's pages, in the order the navigation shows them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.ui.technician.bridge_token import BridgePage
from kiosk.ui.technician.diagnostics import DiagnosticsPage
from kiosk.ui.technician.display import DisplayPage
from kiosk.ui.technician.enrolment import EnrolmentPage
from kiosk.ui.technician.evaluator import EvaluatorPage
from kiosk.ui.technician.gateway import GatewayPage
from kiosk.ui.technician.staff import StaffPage
from kiosk.ui.technician.system import SystemPage
from kiosk.ui.technician.uplink import UplinkPage
from kiosk.ui.technician.widgets import Page

if TYPE_CHECKING:
    from kiosk.ui.technician.host import ConsoleHost


def make_pages(console: ConsoleHost) -> list[Page]:
    # The Fujian gateway has no enrolment: its page takes the app's key and code instead.
    first: Page = GatewayPage(console) if console.controls.gateway_profile else EnrolmentPage(console)
    return [
        first,
        EvaluatorPage(console),
        UplinkPage(console),
        BridgePage(console),
        StaffPage(console),
        DisplayPage(console),
        DiagnosticsPage(console),
        SystemPage(console),
    ]
