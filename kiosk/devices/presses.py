"""What every evaluator family shares about a press: the button map and the host's arming.

The host, not the device, is the authority on whether a press counts (rules R7, R8), so each driver keeps
the armed state the Pad asked for and stamps it on every Press; the Pad never rates one with armed=False.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from kiosk.devices.base import Counters, Press
from kiosk.domain.clock import Clock

log = logging.getLogger(__name__)


class Arming:
    """The armed state the host wants, readable from the driver's thread and set from the Qt thread.

    Args:
        monotonic: the time source for arm timeouts.
    """

    def __init__(self, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._armed = False
        self._until: float | None = None  # None: no timeout
        self.ever_armed = False

    def arm(self, timeout_s: int) -> None:
        """The host wants the device armed, for timeout_s seconds (0: until disarmed)."""
        with self._lock:
            self._armed = True
            self._until = self._monotonic() + timeout_s if timeout_s > 0 else None
            self.ever_armed = True

    def disarm(self) -> None:
        """The host wants the device dark."""
        with self._lock:
            self._armed = False
            self._until = None

    def armed(self) -> bool:
        """Whether a press now counts: armed, and the arm timeout (if any) not yet passed."""
        with self._lock:
            return self._armed and (self._until is None or self._monotonic() < self._until)

    def remaining_s(self) -> int | None:
        """What to send to restore the armed state: None when disarmed, 0 for no timeout, else the seconds
        left (at least 1, so a restore never turns a timed arm into an endless one)."""
        with self._lock:
            if not self._armed:
                return None
            if self._until is None:
                return 0
            left = self._until - self._monotonic()
            return max(1, round(left)) if left > 0 else None


class ButtonMap:
    """Turns a device's button number into a Press, counting what the diagnostics must show.

    Args:
        buttons: button number to level (evaluator.buttons).
        clock: stamps each press (`clock.now()`, aware).
        counters: the port's counters (unmapped buttons, presses while disarmed).
        address: the device's bus address for Press.address (0 for families without one).
    """

    def __init__(self, buttons: dict[int, int], clock: Clock, counters: Counters, address: int = 0) -> None:
        self._buttons = dict(buttons)
        self._clock = clock
        self._counters = counters
        self._address = address

    def press(self, button: int, armed: bool) -> Press:
        """The Press for one counted press of `button`.

        Args:
            button: the number the device reported.
            armed: whether the host had the device armed.
        """
        at = self._clock.now()
        level = self._buttons.get(button)
        if level is None:
            self._counters.add("unmapped_buttons")
            log.warning(
                "evaluator: button %d is not in the button map %s: not a rating", button, self._buttons
            )
        if not armed:
            self._counters.add("presses_while_disarmed")
            log.info("evaluator: button %d pressed while disarmed: heard, never rated", button)
        return Press(button=button, level=level, armed=armed, at=at, address=self._address)


def warn_if_not_compliant(compliant: bool, buttons: dict[int, int]) -> None:
    """Logs the Art. 5 warning for a button map with fewer than five levels."""
    if not compliant:
        levels = sorted(set(buttons.values()))
        log.warning("evaluator: the button map gives levels %s only: not compliant with Art. 5", levels)
