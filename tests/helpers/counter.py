"""A window for the case system's side: a `kiosk run` pad with a simulated evaluator on a pseudo-terminal,
and small static web servers of the tests' own on loopback, each its own origin (another port is another
origin), to serve the case system's pages."""

from __future__ import annotations

import functools
import http.server
import json
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

from tests.helpers.procs import Child, headless_pad, kiosk_command

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "docs" / "examples"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class StaticSite:
    """Serves a directory on 127.0.0.1 from a thread: a web origin of its own.

    Args:
        directory: what it serves.
    """

    def __init__(self, directory: Path) -> None:
        handler = functools.partial(_QuietHandler, directory=str(directory))
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, name="static-site", daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


@dataclass
class CounterPad:
    """A running pad whose evaluator is a simulator the test presses."""

    pad: Child
    simulator: Child
    url: str
    token: str
    data: Path

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def api(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        """A call from the case system's server side (no Origin), with the token."""
        return requests.request(
            method, f"{self.url}/api/v1{path}", headers=self.headers, timeout=30, **kwargs
        )

    def status(self) -> dict[str, Any]:
        answer = self.api("GET", "/status")
        assert answer.status_code == 200, answer.text
        result: dict[str, Any] = answer.json()
        return result

    def press(self, keys: str) -> None:
        """Presses buttons on the simulated evaluator (1 = 非常满意 with the default map)."""
        assert self.simulator.proc.stdin is not None
        self.simulator.proc.stdin.write(keys)
        self.simulator.proc.stdin.flush()

    def wait_connected(self, timeout: float = 20.0) -> None:
        wait_until(lambda: self.status()["evaluator"]["state"] == "connected", "the evaluator", timeout)

    def stop(self) -> list[int]:
        return [self.pad.terminate(), self.simulator.terminate()]


def start_counter_pad(tmp: Path, *overrides: str) -> CounterPad:
    """`kiosk evaluator simulate` and `kiosk run --headless` on it (frame protocol), bridge on a free port."""
    link = tmp / "ttyEVAL"
    simulator = Child(kiosk_command("evaluator", "simulate", "--link", str(link)))
    simulator.read_line(r"^simulate: port=(\S+)$")
    data = tmp / "pad"
    pad = headless_pad(data, "evaluator.protocol=frame", f'evaluator.port="{link}"', *overrides)
    url = pad.read_line(r"^kiosk: ready bridge=(\S+) data=").group(1)
    made = CounterPad(pad, simulator, url, (data / "bridge.token").read_text().strip(), data)
    made.wait_connected()
    return made


def toml_list(values: Sequence[str]) -> str:
    """A TOML list of strings for `--set`."""
    return json.dumps(list(values))


def wait_until(condition: Callable[[], Any], what: str, timeout: float = 20.0) -> Any:
    """Polls a condition over HTTP until it holds; its value, or an AssertionError naming `what`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")
