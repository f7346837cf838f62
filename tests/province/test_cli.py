"""`kiosk sandbox …` as a technician runs it: a separate process, its ready line, its signals, its codes."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.province.helpers import enrol, new_device_id

READY = re.compile(r"sandbox: ready url=(http://127\.0\.0\.1:(\d+)/api/v1)\n")


def _kiosk(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "kiosk", *map(str, args)]
    return subprocess.run(command, capture_output=True, text=True, timeout=30, check=False, cwd=cwd)


class RunningSandbox:
    """`kiosk sandbox --port 0` in its own process, with stderr to a file (a full pipe would stall it)."""

    def __init__(self, db: Path, *extra: str) -> None:
        self.log = db.with_suffix(".log").open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "kiosk", "sandbox", "--port", "0", "--db", str(db), *extra],
            stdout=subprocess.PIPE,
            stderr=self.log,
            text=True,
        )
        assert self.process.stdout is not None
        self.ready_line = self.process.stdout.readline()

    def stop(self, signum: int = signal.SIGTERM) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signum)
        code = self.process.wait(timeout=10)
        self.log.close()
        return code


@pytest.fixture
def running(tmp_path: Path) -> Iterator[RunningSandbox]:
    sandbox = RunningSandbox(tmp_path / "sandbox.sqlite3")
    yield sandbox
    sandbox.stop()


def test_serves_and_prints_the_ready_line(running: RunningSandbox) -> None:
    ready = READY.fullmatch(running.ready_line)
    assert ready, running.ready_line
    assert int(ready.group(2)) > 0
    assert requests.get(f"{ready.group(1)}/sandbox/stats", timeout=10).status_code == 200


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_stops_it_with_exit_0(tmp_path: Path, signum: int) -> None:
    sandbox = RunningSandbox(tmp_path / "sandbox.sqlite3")
    assert READY.fullmatch(sandbox.ready_line)
    assert sandbox.stop(signum) == 0
    assert sandbox.process.stdout is not None
    assert sandbox.process.stdout.read() == ""  # stdout carries the ready line and nothing else


def test_issue_code_prints_a_code_that_enrols(running: RunningSandbox, tmp_path: Path) -> None:
    ready = READY.fullmatch(running.ready_line)
    assert ready
    db = tmp_path / "sandbox.sqlite3"

    issued = _kiosk("sandbox", "issue-code", "--db", db, "--hall", "350102-ZWFW", "--window", "A07")

    assert issued.returncode == 0, issued.stderr
    code = issued.stdout.strip()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", code)
    assert enrol(ready.group(1), code, new_device_id()).status_code == 201
    assert enrol(ready.group(1), code, new_device_id()).status_code == 403


def test_issue_code_defaults_to_the_current_directory(tmp_path: Path) -> None:
    issued = _kiosk("sandbox", "issue-code", "--hall", "350102-ZWFW", "--window", "A07", cwd=tmp_path)
    assert issued.returncode == 0, issued.stderr
    assert (tmp_path / "sandbox.sqlite3").exists()


def test_issue_code_for_an_unknown_window_exits_1(tmp_path: Path) -> None:
    issued = _kiosk(
        "sandbox", "issue-code", "--db", tmp_path / "s.sqlite3", "--hall", "350102-ZWFW", "--window", "Z9"
    )
    assert issued.returncode == 1
    assert "no window 'Z9' in hall '350102-ZWFW'" in issued.stderr
    assert issued.stdout == ""


@pytest.mark.parametrize(
    ("args", "flag"),
    [
        (["sandbox", "--faults", "error=2"], "--faults"),
        (["sandbox", "--faults", "boom"], "--faults"),
        (["sandbox", "--port", "99999"], "--port"),
        (["sandbox", "--db", "/nonexistent/dir/s.sqlite3"], "--db"),
        (["sandbox", "--bogus"], "--bogus"),
        (["sandbox", "issue-code", "--hall", "350102-ZWFW"], "--window"),
    ],
)
def test_bad_usage_exits_2_naming_the_flag(args: list[str], flag: str) -> None:
    result = _kiosk(*args)
    assert result.returncode == 2
    assert flag in result.stderr
    assert result.stdout == ""


def test_faults_from_the_command_line(tmp_path: Path) -> None:
    sandbox = RunningSandbox(tmp_path / "sandbox.sqlite3", "--faults", "error=1")
    try:
        ready = READY.fullmatch(sandbox.ready_line)
        assert ready
        assert enrol(ready.group(1), "K7Q2-9XDM", new_device_id()).status_code == 500
        stats = requests.get(f"{ready.group(1)}/sandbox/stats", timeout=10).json()
        assert stats["faults"]["error"] == 1
    finally:
        assert sandbox.stop() == 0
