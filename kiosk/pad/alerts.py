"""Technician alerts: one code per source (storage, evaluator, uplink, chain, clock), which the screens and
the console translate; details go to the log, never onto a screen."""

from __future__ import annotations

import logging
from collections.abc import Callable

from kiosk.sync.status import Alert

log = logging.getLogger(__name__)

TECHNICIAN_ONLY = frozenset({"clock"})
"""Alerts for technicians only (the console, kiosk doctor, the bridge's status), never on the citizen's
screen: the pad keeps working normally while they last (rules.md R13)."""


class Alerts:
    """The alerts raised now, by source.

    Args:
        changed: told of every change, with the codes in force.
    """

    def __init__(self, changed: Callable[[tuple[str, ...]], None]) -> None:
        self._by_source: dict[str, str] = {}
        self._changed = changed

    def set(self, source: str, code: str | None) -> None:
        """Raises the alert of one source, or ends it (None)."""
        if code is None:
            if self._by_source.pop(source, None) is None:
                return
        elif self._by_source.get(source) == code:
            return
        else:
            self._by_source[source] = code
        self._changed(self.codes())

    def report(self, source: str, alert: Alert | None) -> None:
        """An alert from another layer (`uplink`, `chain`, `clock`), or its end (None): its detail goes to
        the log, the screens show its code in their own language."""
        if alert is not None:
            log.warning("alert %s: %s", source, alert)
        self.set(source, None if alert is None else alert.code)

    def __contains__(self, source: object) -> bool:
        return source in self._by_source

    def codes(self) -> tuple[str, ...]:
        return tuple(self._by_source.values())

    def for_screen(self) -> tuple[str, ...]:
        """The codes the citizen's screen shows."""
        return tuple(code for code in self._by_source.values() if code not in TECHNICIAN_ONLY)

    def by_source(self) -> dict[str, str]:
        return dict(self._by_source)
