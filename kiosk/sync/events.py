"""What the uplink thread tells the Pad: queued signals, each ending in a slot of the Pad on the Qt thread."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class UplinkEvents(QObject):
    """What the uplink thread tells the Pad; every signal is delivered queued on the Qt thread.

    Signals:
        enrolled(bytes): the device secret, once enrolment succeeded.
        config_received(ProvinceConfig): a new configuration from the province.
        status_changed(UplinkStatus): the uplink's state, last answer, acceptedSeq, refusal and clock offset,
            whenever one of them changes.
        project_answered(str, dict): what the province said of a 办件 (R6 asks).
        alert(str, object): a technician alert of one source (`uplink`, `chain`, `clock`): an Alert, or
            None when it is over.
        sent(int): how many records the province answered in the last batch.
    """

    enrolled = Signal(bytes)
    config_received = Signal(object)
    status_changed = Signal(object)
    project_answered = Signal(str, object)
    alert = Signal(str, object)
    sent = Signal(int)
