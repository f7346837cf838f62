"""Presses are evidence (rules.md R8): every press is logged raw; only a press on an armed evaluator, of a
button the map names, while a session awaits a rating, chooses that session's level (R7)."""

from __future__ import annotations

import logging

from kiosk.devices.base import Press
from kiosk.domain.levels import Channel
from kiosk.domain.timefmt import format_time
from kiosk.pad.picker import PickerFlow
from kiosk.pad.session_flow import SessionFlow
from kiosk.store.ledger import Ledger, PressEntry

log = logging.getLogger(__name__)


def press_entry(press: Press) -> PressEntry:
    """A press as the press log keeps it."""
    return PressEntry(format_time(press.at), press.button, press.level, press.armed, press.address)


class PressLog:
    """Takes the evaluator's presses for the Pad (on its thread).

    Args:
        ledger: where every press is logged.
        flow: the counter's sessions (a counted press chooses the awaiting one's level).
        picker: the open picker, whose session a press that does not count is logged against.
    """

    def __init__(self, ledger: Ledger, flow: SessionFlow, picker: PickerFlow) -> None:
        self._ledger = ledger
        self._flow = flow
        self._picker = picker

    def take(self, press: Press) -> None:
        """Chooses the awaiting session's level, or logs the press as not counted.

        Raises:
            StorageUnavailable: the press could not be stored (then it chose nothing).
        """
        entry = press_entry(press)
        session = self._flow.awaiting
        if session is not None and press.armed and press.level is not None:
            self._flow.choose(session, press.level, Channel.TERMINAL, press.at, entry)
            return
        target = session or self._picker.session
        self._ledger.log_press(entry, target.session_id if target else None, extra=target is not None)
        log.info(
            "press of button %s not counted (%s)",
            press.button,
            "unmapped" if press.level is None else "disarmed" if not press.armed else "no session",
        )
