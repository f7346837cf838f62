"""Running a blocking call (an HTTP request) off the Qt thread while the test's event loop runs."""

from __future__ import annotations

import concurrent.futures
from collections.abc import Callable
from typing import Any, TypeVar

from pytestqt.qtbot import QtBot

T = TypeVar("T")
_pool = concurrent.futures.ThreadPoolExecutor(max_workers=8, thread_name_prefix="test-client")

WAIT_S = 15.0
"""How long in_thread keeps the event loop running for a call, unless told otherwise."""


def in_thread(qtbot: QtBot, fn: Callable[..., T], *args: Any, wait_s: float = WAIT_S, **kwargs: Any) -> T:
    """Calls fn(*args, **kwargs) in a worker thread and keeps Qt's event loop running until it returns.

    Args:
        wait_s: how long to wait for fn before the test fails. Every other keyword goes to fn, `timeout`
            included: an HTTP request's own timeout should be shorter than wait_s, so that a hung request
            fails with the request's error rather than with a bare wait.
    """
    future = _pool.submit(fn, *args, **kwargs)
    qtbot.waitUntil(future.done, timeout=int(wait_s * 1000))
    return future.result()


def submit(fn: Callable[..., T], *args: Any, **kwargs: Any) -> concurrent.futures.Future[T]:
    return _pool.submit(fn, *args, **kwargs)
