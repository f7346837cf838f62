"""`kiosk evaluator simulate` and `kiosk evaluator monitor` as the subprocesses a technician runs."""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import IO

import pytest

ROOT = Path(__file__).resolve().parents[2]
WAIT_S = 15.0


class Process:
    """A `python -m kiosk …` subprocess whose stdout and stderr lines are read on threads."""

    def __init__(self, *args: str, stdin: bool = False) -> None:
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "kiosk", *args],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.out: queue.Queue[str] = queue.Queue()
        self.err_lines: list[str] = []
        assert self.proc.stdout is not None
        assert self.proc.stderr is not None
        threading.Thread(target=self._pump, args=(self.proc.stdout, self.out.put), daemon=True).start()
        threading.Thread(
            target=self._pump, args=(self.proc.stderr, self.err_lines.append), daemon=True
        ).start()

    @staticmethod
    def _pump(stream: IO[str], sink: object) -> None:
        for line in stream:
            sink(line)  # type: ignore[operator]

    def line(self) -> str:
        return self.out.get(timeout=WAIT_S)

    def wait_stderr(self, text: str) -> None:
        deadline = WAIT_S
        step = 0.02
        while deadline > 0:
            if any(text in line for line in list(self.err_lines)):
                return
            threading.Event().wait(step)
            deadline -= step
        raise AssertionError(f"no {text!r} in stderr: {self.err_lines}")

    def type(self, text: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(text)
        self.proc.stdin.flush()

    def end_input(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()

    def stop(self, sig: int = signal.SIGTERM) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        return self.proc.wait(timeout=WAIT_S)

    def rest_of_stdout(self) -> list[str]:
        lines = []
        while not self.out.empty():
            lines.append(self.out.get_nowait())
        return lines

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


@pytest.fixture
def processes() -> Iterator[list[Process]]:
    started: list[Process] = []
    yield started
    for process in started:
        process.kill()


def start(processes: list[Process], *args: str, stdin: bool = False) -> Process:
    process = Process(*args, stdin=stdin)
    processes.append(process)
    return process


@pytest.mark.parametrize("protocol", ["frame", "ascii"])
def test_simulate_and_monitor(tmp_path: Path, processes: list[Process], protocol: str) -> None:
    link = tmp_path / "evaluator"
    sim = start(processes, "evaluator", "simulate", "--protocol", protocol, "--link", str(link), stdin=True)
    assert sim.line() == f"simulate: port={link}\n"
    assert link.is_symlink()

    monitor = start(processes, "evaluator", "monitor", "--port", str(link), "--protocol", protocol)
    monitor.wait_stderr("connected")
    sim.type("1x5\n3")
    lines = [monitor.line() for _ in range(3)]
    presses = [json.loads(line) for line in lines]
    address = 1 if protocol == "frame" else 0
    assert [(p["button"], p["level"], p["address"]) for p in presses] == [
        (1, 5, address),
        (5, 1, address),
        (3, 3, address),
    ]
    for line, press in zip(lines, presses, strict=True):
        assert list(press) == ["button", "level", "address", "at"]
        assert line == json.dumps(press) + "\n"
        assert datetime.fromisoformat(press["at"]).utcoffset() is not None

    sim.end_input()
    assert sim.proc.wait(timeout=WAIT_S) == 0
    assert not link.exists()
    monitor.wait_stderr("disconnected")
    assert monitor.stop(signal.SIGTERM) == 0
    assert monitor.rest_of_stdout() == []


def test_monitor_sends_unmapped_buttons_to_stderr_and_stops_on_sigint(
    tmp_path: Path, processes: list[Process]
) -> None:
    link = tmp_path / "evaluator"
    sim = start(processes, "evaluator", "simulate", "--link", str(link), stdin=True)
    assert sim.line() == f"simulate: port={link}\n"
    monitor = start(processes, "evaluator", "monitor", "--port", str(link), "--map", "1=5,2=1")
    monitor.wait_stderr("connected")
    sim.type("3")
    monitor.wait_stderr("button 3 is not in the button map")
    sim.type("2")
    assert json.loads(monitor.line())["level"] == 1
    assert monitor.stop(signal.SIGINT) == 0
    assert monitor.rest_of_stdout() == []
    assert sim.stop(signal.SIGINT) == 0


def test_simulate_without_link_prints_its_pty_and_stops_on_sigterm(processes: list[Process]) -> None:
    sim = start(processes, "evaluator", "simulate", stdin=True)
    line = sim.line()
    assert line.startswith("simulate: port=/dev/pts/")
    assert sim.stop(signal.SIGTERM) == 0


def test_simulate_ends_at_end_of_input_even_with_no_one_listening(processes: list[Process]) -> None:
    sim = start(processes, "evaluator", "simulate", stdin=True)
    sim.line()
    sim.type("12")
    sim.end_input()
    assert sim.proc.wait(timeout=WAIT_S) == 0


def test_simulate_reads_a_terminal_key_by_key_and_restores_it(processes: list[Process]) -> None:
    import termios

    import serial

    from kiosk.devices import frame_codec
    from kiosk.devices.frame_codec import FrameDecoder

    master, slave = os.openpty()
    before = termios.tcgetattr(slave)
    proc = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "evaluator", "simulate"],
        cwd=ROOT,
        stdin=slave,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        port = serial.Serial(line.strip().removeprefix("simulate: port="), timeout=0.2)
        try:
            os.write(master, b"4")  # no newline: cbreak hands the key over at once
            decoder = FrameDecoder()
            keys: list[frame_codec.Frame] = []
            deadline = time.monotonic() + WAIT_S
            while not keys and time.monotonic() < deadline:
                keys = [f for f in decoder.feed(port.read(1), 0.0) if f.cmd == frame_codec.KEY]
            assert keys, "no KEY frame"
            assert keys[0].data == b"\x04"
        finally:
            port.close()
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=WAIT_S) == 0
        assert termios.tcgetattr(slave) == before
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(master)
        os.close(slave)
