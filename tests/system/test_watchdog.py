"""The sd_notify client and the watchdog pinger, against a real AF_UNIX datagram socket in systemd's place."""

from __future__ import annotations

import os
import socket
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from kiosk.system.watchdog import SystemdNotifier, WatchdogPinger, watchdog_interval_s


class FakeSystemd:
    """The manager's end of $NOTIFY_SOCKET: a bound datagram socket the test reads from."""

    def __init__(self, address: str | bytes, name: str) -> None:
        self.name = name
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(address)

    def receive(self, timeout: float = 2.0) -> str:
        self.sock.settimeout(timeout)
        return self.sock.recv(4096).decode()

    def pending(self) -> list[str]:
        """Every datagram already waiting, without blocking."""
        self.sock.setblocking(False)
        messages = []
        try:
            while True:
                messages.append(self.sock.recv(4096).decode())
        except BlockingIOError:
            return messages


def wait_for_pings(qtbot: QtBot, systemd: FakeSystemd, count: int) -> None:
    """Runs Qt's event loop until `count` more WATCHDOG=1 pings arrived, and nothing else."""
    got: list[str] = []

    def enough() -> bool:
        got.extend(systemd.pending())
        return got.count("WATCHDOG=1") >= count

    qtbot.waitUntil(enough)
    assert set(got) == {"WATCHDOG=1"}


@pytest.fixture
def systemd() -> Iterator[FakeSystemd]:
    # A short directory of its own: a socket path must fit in 108 bytes.
    with tempfile.TemporaryDirectory(prefix="sdn") as tmp:
        path = str(Path(tmp) / "notify")
        fake = FakeSystemd(path, path)
        yield fake
        fake.sock.close()


def test_ready_with_status_then_stopping(systemd: FakeSystemd) -> None:
    notifier = SystemdNotifier.from_environment({"NOTIFY_SOCKET": systemd.name})
    assert notifier.enabled
    assert notifier.ready("bridge http://127.0.0.1:8765")
    assert systemd.receive() == "READY=1\nSTATUS=bridge http://127.0.0.1:8765"
    assert notifier.stopping()
    assert systemd.receive() == "STOPPING=1"
    notifier.close()


def test_an_abstract_socket_name_is_reached() -> None:
    name = f"kiosk-test-{os.getpid()}-{time.monotonic_ns()}"
    fake = FakeSystemd(b"\0" + name.encode(), "@" + name)
    try:
        notifier = SystemdNotifier(fake.name)
        assert notifier.ready()
        assert fake.receive() == "READY=1"
        notifier.close()
    finally:
        fake.sock.close()


def test_without_notify_socket_everything_is_a_no_op(qtbot: QtBot) -> None:
    notifier = SystemdNotifier.from_environment({})
    assert not notifier.enabled
    assert not notifier.ready()
    assert not notifier.ping()
    pinger = WatchdogPinger(notifier, interval_s=0.05)
    pinger.start()
    assert not pinger.active


def test_a_vanished_manager_is_logged_once_not_raised(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    notifier = SystemdNotifier(str(tmp_path / "gone"))
    assert not notifier.ready()
    assert not notifier.ping()
    assert len([r for r in caplog.records if "cannot notify" in r.getMessage()]) == 1


def test_a_manager_that_stops_reading_never_blocks_the_sender(systemd: FakeSystemd) -> None:
    notifier = SystemdNotifier(systemd.name)
    start = time.monotonic()
    sent = [notifier.ping() for _ in range(200)]  # far more than an AF_UNIX datagram queue holds
    assert time.monotonic() - start < 2
    assert sent[0] and not sent[-1]
    notifier.close()


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"WATCHDOG_USEC": "30000000"}, 15.0),
        ({"WATCHDOG_USEC": "30000000", "WATCHDOG_PID": str(os.getpid())}, 15.0),
        ({"WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "1"}, None),
        ({"WATCHDOG_USEC": "0"}, None),
        ({}, None),
    ],
)
def test_the_interval_is_half_of_watchdog_usec_for_this_process(
    env: dict[str, str], expected: float | None
) -> None:
    assert watchdog_interval_s(env) == expected


def test_no_watchdog_asked_for_means_no_pings(
    qtbot: QtBot, systemd: FakeSystemd, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("WATCHDOG_USEC", raising=False)
    pinger = WatchdogPinger(SystemdNotifier(systemd.name))
    pinger.start()
    assert not pinger.active  # no timer: no ping will ever come
    assert systemd.pending() == []  # nor one at once


def test_pings_stop_while_the_event_loop_is_frozen_and_resume_after(
    qtbot: QtBot, systemd: FakeSystemd
) -> None:
    pinger = WatchdogPinger(SystemdNotifier(systemd.name), interval_s=0.05)
    pinger.start()
    assert pinger.active
    assert systemd.pending() == ["WATCHDOG=1"]  # one at once
    wait_for_pings(qtbot, systemd, 3)  # then from the timer, while the event loop turns

    # A hung pad: the Qt thread blocked for ten intervals (this sleep is the fault, not a wait for one).
    time.sleep(0.5)
    assert systemd.pending() == []

    wait_for_pings(qtbot, systemd, 2)  # the loop turns again: so do the pings
    pinger.stop()
    assert not pinger.active  # a stopped timer pings no more
    assert systemd.pending() == []


def test_an_unhealthy_pad_gets_no_pings(qtbot: QtBot, systemd: FakeSystemd) -> None:
    healthy = [True]
    asked: list[bool] = []

    def is_healthy() -> bool:
        asked.append(healthy[0])
        return healthy[0]

    pinger = WatchdogPinger(SystemdNotifier(systemd.name), interval_s=0.05, is_healthy=is_healthy)
    pinger.start()
    assert systemd.pending() == ["WATCHDOG=1"]
    healthy[0] = False
    qtbot.waitUntil(lambda: asked.count(False) >= 3)  # the timer ran out three times, unhealthy
    assert systemd.pending() == []
    healthy[0] = True
    wait_for_pings(qtbot, systemd, 1)
    pinger.stop()
