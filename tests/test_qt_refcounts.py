"""Guards the PySide6 pin: 6.12.0 over-releases True on every signal emit and None on every void call
under Python 3.11, so a pad that runs for days would abort ("bool_dealloc"). A version that does that
must never be installed again."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, QTimer, Signal
from pytestqt.qtbot import QtBot


class _Probe(QObject):
    fired = Signal(object)
    named = Signal(str)


def test_emits_and_void_calls_keep_true_and_none_alive(qtbot: QtBot) -> None:
    probe = _Probe()
    received: list[object] = []
    probe.fired.connect(received.append)
    timer = QTimer()
    true_before, none_before = sys.getrefcount(True), sys.getrefcount(None)
    for n in range(200):
        probe.fired.emit(n)
        probe.named.emit("x")
        probe.setObjectName("probe")
        timer.start(1000)
        timer.stop()
    assert len(received) == 200
    # Other threads may hold or drop a few references meanwhile; a leak would show hundreds.
    assert sys.getrefcount(True) - true_before > -50
    assert sys.getrefcount(None) - none_before > -50
