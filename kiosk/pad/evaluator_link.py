"""The Pad's evaluator: the driver in use, replaced in place when the technician changes its settings; its
presses and states reach the Pad here, on the Qt thread, and the uplink's heartbeat gets a copy of it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Slot

from kiosk.devices.base import Evaluator, EvaluatorView, Press
from kiosk.pad.alerts import Alerts
from kiosk.threads import Shared


class EvaluatorLink(QObject):
    """Follows one evaluator driver at a time for the Pad (a QObject, so that the driver's queued signals
    end in slots on the Qt thread).

    Args:
        evaluator: the first driver.
        alerts: where `evaluator_disconnected` and `evaluator_unresponsive` are raised.
        pressed: takes each press.
        parent: the Pad.
    """

    def __init__(
        self, evaluator: Evaluator, alerts: Alerts, pressed: Callable[[Press], None], parent: QObject
    ) -> None:
        super().__init__(parent)
        self.evaluator = evaluator
        self._alerts = alerts
        self._pressed = pressed
        self.view: Shared[EvaluatorView] = Shared(evaluator.view())
        """The evaluator as the uplink's heartbeat reports it: a copy, for other threads."""
        self._listen(evaluator)

    def _listen(self, evaluator: Evaluator) -> None:
        evaluator.press_received.connect(self.on_press)
        evaluator.state_changed.connect(self.on_state)
        evaluator.status_received.connect(self.on_status)

    def use(self, evaluator: Evaluator) -> None:
        """Follows a new driver; the old one's signals no longer reach the Pad."""
        old = self.evaluator
        old.press_received.disconnect(self.on_press)
        old.state_changed.disconnect(self.on_state)
        old.status_received.disconnect(self.on_status)
        self.evaluator = evaluator
        self._listen(evaluator)
        self.on_state(evaluator.state.value)

    @Slot(object)
    def on_press(self, press: Press) -> None:
        self._pressed(press)

    @Slot(str)
    def on_state(self, state: str) -> None:
        self.view.publish(self.evaluator.view())
        if state in ("disconnected", "unresponsive"):
            self._alerts.set("evaluator", f"evaluator_{state}")
        else:
            self._alerts.set("evaluator", None)

    @Slot(object)
    def on_status(self, _status: object) -> None:
        self.view.publish(self.evaluator.view())  # the firmware it reported
