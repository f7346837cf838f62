"""The console's job runner: every job's callback runs once, on the Qt thread, however its future ends."""

from __future__ import annotations

import concurrent.futures
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject
from pytestqt.qtbot import QtBot

from kiosk.ui.technician.widgets import Jobs


class FinishingWhileLookedAt(concurrent.futures.Future[Any]):
    """A future that finishes between two looks at it: what a job does when its thread ends it while the
    Qt thread sorts the finished jobs from the running ones."""

    def __init__(self, value: Any) -> None:
        super().__init__()
        self._value = value
        self.looks = 0

    def done(self) -> bool:
        self.looks += 1
        if self.looks == 2 and not super().done():
            self.set_result(self._value)
        return super().done()


class OneFutureExecutor(concurrent.futures.Executor):
    def __init__(self, future: concurrent.futures.Future[Any]) -> None:
        self.future = future

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> concurrent.futures.Future[Any]:
        return self.future


def test_a_job_finishing_while_the_list_is_split_still_gets_its_callback(qtbot: QtBot) -> None:
    owner = QObject()
    future = FinishingWhileLookedAt("done")
    jobs = Jobs(owner, executor=OneFutureExecutor(future))
    results: list[str] = []
    jobs.run(lambda: "unused", results.append, lambda exc: results.append(f"failed: {exc}"))
    qtbot.waitUntil(lambda: not jobs.busy, timeout=5000)
    assert results == ["done"]


def test_results_and_failures_come_back_on_the_qt_thread(qtbot: QtBot) -> None:
    owner = QObject()
    jobs = Jobs(owner)
    seen: list[tuple[str, int]] = []

    def boom() -> str:
        raise ValueError("no")

    jobs.run(lambda: "ok", lambda value: seen.append((value, threading.get_ident())), lambda exc: None)
    jobs.run(boom, lambda value: None, lambda exc: seen.append((str(exc), threading.get_ident())))
    qtbot.waitUntil(lambda: len(seen) == 2, timeout=5000)
    assert sorted(value for value, _ in seen) == ["no", "ok"]
    assert {thread for _, thread in seen} == {threading.get_ident()}
    jobs.shutdown()
