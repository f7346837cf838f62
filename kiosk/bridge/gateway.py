"""How the bridge's server thread reaches the Pad: every call runs on the Qt thread, queued."""

from __future__ import annotations

import asyncio
import concurrent.futures
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Qt, Signal

from kiosk.pad import Pad

T = TypeVar("T")
CALL_TIMEOUT_S = 10.0


class PadUnresponsive(Exception):
    """The Qt thread did not take a call in time; the call was withdrawn and will never run."""


class PadGateway(QObject):
    """Runs functions of the Pad on the Qt thread for other threads, and lets them wait for a session
    to change. Create it on the Qt thread.

    Args:
        pad: the Pad; only ever touched on the Qt thread.
        call_timeout_s: how long a call may wait for the Qt thread before it is withdrawn.
    """

    _posted = Signal(object)

    def __init__(self, pad: Pad, call_timeout_s: float = CALL_TIMEOUT_S) -> None:
        super().__init__()
        self._pad = pad
        self.call_timeout_s = call_timeout_s
        self._waiters: dict[str, list[concurrent.futures.Future[None]]] = {}
        self._posted.connect(self._run, Qt.ConnectionType.QueuedConnection)
        pad.session_changed.connect(self._on_session_changed)

    def submit(self, fn: Callable[[Pad], T]) -> concurrent.futures.Future[T]:
        """Queues `fn(pad)` for the Qt thread; safe from any thread."""
        future: concurrent.futures.Future[T] = concurrent.futures.Future()
        self._posted.emit((fn, future))
        return future

    async def call(self, fn: Callable[[Pad], T]) -> T:
        """Runs `fn(pad)` on the Qt thread and awaits its result (or its exception).

        Raises:
            PadUnresponsive: the Qt thread did not take the call within `call_timeout_s`; it is withdrawn,
                so it never runs later and nothing changes.
        """
        future = self.submit(fn)
        try:
            # Shielded: on a timeout the call is withdrawn here, explicitly, or awaited if it has begun.
            return await asyncio.wait_for(asyncio.shield(asyncio.wrap_future(future)), self.call_timeout_s)
        except TimeoutError:
            if future.cancel():
                raise PadUnresponsive(
                    f"the pad did not take the request within {self.call_timeout_s:g} s; nothing was changed"
                ) from None
            # The Qt thread took it just now: what it does is the answer.
            return await asyncio.wrap_future(future)

    def _run(self, job: tuple[Callable[[Pad], Any], concurrent.futures.Future[Any]]) -> None:
        fn, future = job
        if not future.set_running_or_notify_cancel():
            return
        try:
            future.set_result(fn(self._pad))
        except BaseException as exc:
            future.set_exception(exc)

    def watch(self, session_id: str) -> concurrent.futures.Future[None]:
        """A future resolved when the session next changes. Call on the Qt thread (inside `call`), so that
        no change can slip between reading the state and starting to watch."""
        future: concurrent.futures.Future[None] = concurrent.futures.Future()
        self._waiters.setdefault(session_id, []).append(future)
        return future

    def _on_session_changed(self, session_id: str) -> None:
        for future in self._waiters.pop(session_id, []):
            if not future.done():
                future.set_result(None)

    def forget(self, session_id: str, future: concurrent.futures.Future[None]) -> None:
        """Stops watching (the long-poll timed out). Call on the Qt thread."""
        waiters = self._waiters.get(session_id, [])
        if future in waiters:
            waiters.remove(future)
        if not waiters:
            self._waiters.pop(session_id, None)
