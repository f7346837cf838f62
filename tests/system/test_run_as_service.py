"""`kiosk run` as systemd runs it: READY=1 after the ready line, watchdog pings while it runs, STOPPING=1 on
SIGTERM, and a second pad on the same data directory refused with exit 1."""

from __future__ import annotations

import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.procs import Child, kiosk_command, run_kiosk
from tests.packaging.bundle import BUNDLE_EXE, why_no_bundle

READY = r"^kiosk: ready bridge=http://127\.0\.0\.1:\d+ data="


class FakeSystemd:
    """systemd's end of $NOTIFY_SOCKET, read all the time as systemd does, on a thread of its own."""

    def __init__(self, path: str) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(path)
        self.sock.settimeout(0.1)
        self.messages: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        while not self._stop.is_set():
            try:
                self.messages.append(self.sock.recv(4096).decode().split("\n")[0])
            except TimeoutError:
                continue

    def wait_for(self, message: str, count: int = 1, timeout: float = 30.0) -> None:
        """Polls what arrived until `message` came `count` times."""
        deadline = time.monotonic() + timeout
        while self.messages.count(message) < count:
            assert time.monotonic() < deadline, f"not {count} x {message} from the pad; got {self.messages}"
            time.sleep(0.05)

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.sock.close()


@pytest.fixture
def systemd(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeSystemd]:
    """The environment a Type=notify unit with WatchdogSec= gives the pad (pings every 0.2 s here)."""
    with tempfile.TemporaryDirectory(prefix="sdn") as tmp:
        path = str(Path(tmp) / "notify")
        fake = FakeSystemd(path)
        monkeypatch.setenv("NOTIFY_SOCKET", path)
        monkeypatch.setenv("WATCHDOG_USEC", "400000")
        yield fake
        fake.close()


@pytest.mark.parametrize(
    "kiosk",
    [
        pytest.param(kiosk_command(), id="source"),
        pytest.param(
            [str(BUNDLE_EXE)],
            id="bundle",
            marks=pytest.mark.skipif(bool(why_no_bundle()), reason=why_no_bundle() or "-"),
        ),
    ],
)
def test_ready_pings_and_stopping_reach_systemd(
    systemd: FakeSystemd, tmp_path: Path, kiosk: list[str]
) -> None:
    args = ["--data-dir", str(tmp_path), "--set", "bridge.port=0", "--set", "evaluator.protocol=none"]
    child = Child([*kiosk, "run", "--headless", *args])
    try:
        child.read_line(READY)
        systemd.wait_for("READY=1")
        systemd.wait_for("WATCHDOG=1", count=3)  # every 0.2 s while the pad's event loop turns
    finally:
        code = child.terminate()
    assert code == 0, child.stderr()
    systemd.wait_for("STOPPING=1")
    assert systemd.messages[0] == "READY=1"


def test_a_second_pad_on_the_same_directory_exits_1(tmp_path: Path) -> None:
    args = ("--data-dir", str(tmp_path), "--set", "bridge.port=0", "--set", "evaluator.protocol=none")
    first = Child(kiosk_command("run", "--headless", *args))
    try:
        first.read_line(READY)
        second = run_kiosk("run", "--headless", *args)
        assert second.returncode == 1
        assert f"another kiosk (pid {first.proc.pid}) is already running on {tmp_path}" in second.stderr
    finally:
        assert first.terminate() == 0, first.stderr()
