"""The base of the evaluator families that talk over a serial port (frame, ascii).

It owns the PortLink (thread, reconnect), the host's arming, the button map and the state the Pad sees;
each family adds its codec. Everything below "link thread" runs on the PortLink's thread; the public
methods run on the Qt thread and only queue work there.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from kiosk.devices.base import Evaluator, EvaluatorState
from kiosk.devices.port import PortLink, ReconnectDelay
from kiosk.devices.presses import Arming, ButtonMap, warn_if_not_compliant
from kiosk.domain.clock import Clock
from kiosk.domain.prompts import Prompt

log = logging.getLogger(__name__)

HEARTBEAT_TIMEOUT_S = 15.0


class SerialEvaluator(Evaluator):
    """An evaluator on a serial port, driven by one PortLink thread.

    Args:
        port: the port's name (device path, `hwid:…` or pyserial URL).
        baud: the baud rate.
        address: the device's bus address (0 for families without one).
        buttons: button number to level.
        clock: stamps presses.
        heartbeat_timeout_s: silence after which a device that has sent heartbeats is unresponsive.
        delay: the reconnect schedule (tests shorten it).
        monotonic: the time source of every timer.

    Signals:
        press_received(Press): a counted press (from the link thread, queued to the Qt thread).
        state_changed(str): connected, disconnected or unresponsive.
        status_received(DeviceStatus): the device described itself.
    """

    def __init__(
        self,
        port: str,
        *,
        baud: int,
        address: int,
        buttons: dict[int, int] | None,
        clock: Clock,
        heartbeat_timeout_s: float = HEARTBEAT_TIMEOUT_S,
        delay: ReconnectDelay | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(port, buttons)
        self.address = address
        self._monotonic = monotonic
        self._heartbeat_timeout_s = heartbeat_timeout_s
        self._arming = Arming(monotonic)
        self._press = ButtonMap(self.buttons, clock, self.counters, address)
        self._link = PortLink(
            port, baud, self, self.counters, delay=delay, monotonic=monotonic, name=self.protocol
        )
        self._reported: EvaluatorState | None = None
        self._status_seen_at: float | None = None  # None: no heartbeat yet, nothing to miss

    # Qt thread.

    def start(self) -> None:
        """Opens the port on the link thread; returns at once."""
        self._owner.check()
        warn_if_not_compliant(self.compliant, self.buttons)
        self._link.start()

    def stop(self) -> None:
        """Stops the link thread and closes the port, within about a second."""
        self._owner.check()
        self._link.stop()
        self._report(EvaluatorState.DISCONNECTED)

    def arm(self, timeout_s: int = 0) -> None:
        """Lights the buttons; presses count from now on, for timeout_s seconds (0: until disarmed)."""
        self._owner.check()
        self._arming.arm(timeout_s)
        self._link.call_soon(lambda: self._send_arm(timeout_s))

    def disarm(self) -> None:
        """Darkens the buttons; presses from now on are heard but never rated."""
        self._owner.check()
        self._arming.disarm()
        self._link.call_soon(self._send_disarm)

    def play(self, prompt: Prompt) -> None:
        """Asks the device to play a voice prompt."""
        self._owner.check()
        self._link.call_soon(lambda: self._send_play(int(prompt)))

    # Link thread: the family's commands, sent only while the port is open.

    def _send_arm(self, timeout_s: int) -> None:
        raise NotImplementedError

    def _send_disarm(self) -> None:
        raise NotImplementedError

    def _send_play(self, prompt: int) -> None:
        raise NotImplementedError

    def _restore_arming(self) -> None:
        """After (re)opening: arm the device again if the host wants it armed, darken it if not."""
        remaining = self._arming.remaining_s()
        if remaining is not None:
            self._send_arm(remaining)
        elif self._arming.ever_armed:
            self._send_disarm()

    # Link thread: LinkSession.

    def on_link_up(self, now: float) -> None:
        """The port is open: greet the device, restore its arming, report connected."""
        self._link.check_thread()
        self._status_seen_at = None
        self._greet(now)
        self._restore_arming()
        self._report(EvaluatorState.CONNECTED)

    def on_link_down(self, reason: str) -> None:
        """The port is closed: forget what was in flight, report disconnected."""
        self._link.check_thread()
        self._forget()
        self._report(EvaluatorState.DISCONNECTED)

    def on_link_data(self, data: bytes, now: float) -> None:
        """Bytes arrived; the family decodes them."""
        raise NotImplementedError

    def on_link_tick(self, now: float) -> None:
        """Heartbeat watch: a device that has sent heartbeats and then falls silent is unresponsive."""
        self._link.check_thread()
        if (
            self._status_seen_at is not None
            and self._reported == EvaluatorState.CONNECTED
            and now - self._status_seen_at >= self._heartbeat_timeout_s
        ):
            log.warning("evaluator: no heartbeat for %.0f s", now - self._status_seen_at)
            self._report(EvaluatorState.UNRESPONSIVE)

    def _greet(self, now: float) -> None:
        """What the family sends first on a newly opened port."""

    def _forget(self) -> None:
        """Drops what belongs to the closed port (partial input, commands in flight)."""

    def _heard(self, now: float, heartbeat: bool) -> None:
        """The device spoke: it is connected again if it was unresponsive; a heartbeat resets the watch."""
        if heartbeat or self._status_seen_at is not None:
            self._status_seen_at = now
        if self._reported == EvaluatorState.UNRESPONSIVE:
            self._report(EvaluatorState.CONNECTED)

    def _report(self, state: EvaluatorState) -> None:
        if state == self._reported:
            return
        self._reported = state
        log.info("evaluator: %s", state.value)
        self.state_changed.emit(state.value)
