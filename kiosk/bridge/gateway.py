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


class PadGateway(QObject):
    """Runs functions of the Pad on the Qt thread for other threads, and lets them wait for a session
    to change. Create it on the Qt thread.

    Args:
        pad: the Pad; only ever touched on the Qt thread.
    """

    _posted = Signal(object)

    def __init__(self, pad: Pad) -> None:
        super().__init__()
        self._pad = pad
        self._waiters: dict[str, list[concurrent.futures.Future[None]]] = {}
        self._posted.connect(self._run, Qt.ConnectionType.QueuedConnection)
        pad.session_changed.connect(self._on_session_changed)

    def submit(self, fn: Callable[[Pad], T]) -> concurrent.futures.Future[T]:
        """Queues `fn(pad)` for the Qt thread; safe from any thread."""
        future: concurrent.futures.Future[T] = concurrent.futures.Future()
        self._posted.emit((fn, future))
        return future

    async def call(self, fn: Callable[[Pad], T], timeout: float = CALL_TIMEOUT_S) -> T:
        """Runs `fn(pad)` on the Qt thread and awaits its result (or its exception)."""
        return await asyncio.wait_for(asyncio.wrap_future(self.submit(fn)), timeout)

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
