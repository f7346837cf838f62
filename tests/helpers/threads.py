"""Running a blocking call (an HTTP request) off the Qt thread while the test's event loop runs."""

from __future__ import annotations

import concurrent.futures
from collections.abc import Callable
from typing import Any, TypeVar

from pytestqt.qtbot import QtBot

T = TypeVar("T")
_pool = concurrent.futures.ThreadPoolExecutor(max_workers=8, thread_name_prefix="test-client")


def in_thread(qtbot: QtBot, fn: Callable[..., T], *args: Any, timeout: float = 15.0, **kwargs: Any) -> T:
    """Calls fn in a worker thread and keeps Qt's event loop running until it returns."""
    future = _pool.submit(fn, *args, **kwargs)
    qtbot.waitUntil(future.done, timeout=int(timeout * 1000))
    return future.result()


def submit(fn: Callable[..., T], *args: Any, **kwargs: Any) -> concurrent.futures.Future[T]:
    return _pool.submit(fn, *args, **kwargs)
