"""What a page of the technician's console may use of the console that holds it: the pad's controls, the
Pad and its window, the job thread, and the console's notices. The pages take this, never the console
itself, so that the console can build them without a circle."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from kiosk.pad import Pad
    from kiosk.technician.controls import PadControls
    from kiosk.technician.settings import Applied
    from kiosk.ui.technician.widgets import Jobs, Page
    from kiosk.ui.window import PadWindow


class ConsoleHost(Protocol):
    """The console, as its pages see it.

    Attributes:
        controls: what the console may do with the running pad.
        pad: the Pad.
        pad_window: the pad's window (its language).
        jobs: runs blocking work off the Qt thread.
        unlocked: whether the technician's PIN was accepted.
    """

    controls: PadControls
    pad: Pad
    pad_window: PadWindow
    jobs: Jobs
    unlocked: bool

    def apply(self, changes: Mapping[str, Any]) -> Applied | None:
        """Validates, writes and applies settings; None when they were refused (the console says why)."""
        ...

    def show_notice(self, text: str, role: str = "") -> None: ...

    def page(self) -> Page:
        """The page shown now."""
        ...

    def change_pin(self) -> None: ...

    def close_console(self, reason: str) -> None: ...
