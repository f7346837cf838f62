"""Running the real `kiosk` command as a child process, as a service manager or a technician would."""

from __future__ import annotations

import os
import re
import selectors
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def kiosk_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "kiosk", *args]


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["PYTHONUNBUFFERED"] = "1"
    return env


class Child:
    """A child process whose stdout is read line by line without blocking forever."""

    def __init__(self, args: Sequence[str], cwd: Path = ROOT) -> None:
        self.args = list(args)
        self.proc = subprocess.Popen(
            self.args,
            cwd=cwd,
            env=child_env(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            bufsize=1,
        )
        self.lines: list[str] = []

    def read_line(self, pattern: str, timeout: float = 30.0) -> re.Match[str]:
        """Reads stdout until a line matches `pattern`; fails with the child's stderr otherwise."""
        assert self.proc.stdout is not None
        selector = selectors.DefaultSelector()
        selector.register(self.proc.stdout, selectors.EVENT_READ)
        deadline = time.monotonic() + timeout
        try:
            while time.monotonic() < deadline:
                if not selector.select(timeout=0.2):
                    if self.proc.poll() is not None:
                        break
                    continue
                line = self.proc.stdout.readline()
                if not line:
                    break
                self.lines.append(line.rstrip("\n"))
                match = re.search(pattern, line)
                if match:
                    return match
        finally:
            selector.close()
        raise AssertionError(
            f"no line matching {pattern!r} from {self.args}; stdout {self.lines}; {self.stderr()}"
        )

    def stderr(self) -> str:
        if self.proc.poll() is None:
            return "(still running)"
        assert self.proc.stderr is not None
        return "stderr: " + self.proc.stderr.read()[-4000:]

    def terminate(self, timeout: float = 15.0) -> int:
        """SIGTERM, then the exit code (a hang is a failure, and the child is killed)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise AssertionError(f"{self.args} did not stop within {timeout} s of SIGTERM") from None

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def run_kiosk(*args: str, timeout: float = 60.0) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        kiosk_command(*args),
        cwd=ROOT,
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def headless_pad(data: Path, *overrides: str) -> Child:
    """`kiosk run --headless` on `data`, bridge on a free port, no evaluator unless an override says."""
    settings = ["bridge.port=0", "evaluator.protocol=none", *overrides]
    return Child(
        kiosk_command("run", "--headless", "--data-dir", str(data), *(f"--set={s}" for s in settings))
    )
