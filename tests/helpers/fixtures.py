"""Fixtures shared across the test packages."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from pytestqt.qtbot import QtBot

from kiosk.app import PadApplication
from kiosk.config import load
from kiosk.devices.base import Evaluator
from kiosk.domain.clock import Clock
from tests.helpers.threads import in_thread

REQUEST_TIMEOUT_S = 10.0
"""A bridge request's timeout: the bridge answers at once, or within `?wait=N` seconds of a long-poll (the
tests' are short; one that waits longer passes its own timeout)."""


class BridgeClient:
    """HTTP to an in-process pad's bridge, from a worker thread while Qt's loop runs.

    Each request has a timeout of its own (`timeout`, seconds, as requests takes it), and the test waits a
    little longer than that for it: a bridge that never answers fails the test with requests' Timeout.
    """

    def __init__(self, qtbot: QtBot, url: str, token: str) -> None:
        self.qtbot, self.url, self.token = qtbot, url, token
        self.session = requests.Session()

    def request(
        self,
        method: str,
        path: str,
        *,
        token: str | None = None,
        timeout: float = REQUEST_TIMEOUT_S,
        **kwargs: Any,
    ) -> requests.Response:
        headers = {
            "Authorization": f"Bearer {self.token if token is None else token}",
            **kwargs.pop("headers", {}),
        }
        return in_thread(
            self.qtbot,
            self.session.request,
            method,
            self.url + path,
            headers=headers,
            timeout=timeout,
            wait_s=timeout + 5,
            **kwargs,
        )

    def post(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("POST", path, **kwargs)

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("DELETE", path, **kwargs)


MakePad = Callable[..., PadApplication]


@pytest.fixture
def make_pad(qtbot: QtBot, tmp_path: Path) -> Iterator[MakePad]:
    """Builds and starts in-process pads (headless, bridge on a free port, no evaluator by default)."""
    started: list[PadApplication] = []

    def make(
        *overrides: str,
        data_dir: Path | None = None,
        evaluator: Evaluator | None = None,
        clock: Clock | None = None,
        timer_factory: Callable[..., Any] | None = None,
        config_path: Path | None = None,
    ) -> PadApplication:
        config = load(config_path, ["bridge.port=0", "evaluator.protocol=none", *overrides])
        app = PadApplication(
            config,
            data_dir or tmp_path / f"pad{len(started)}",
            headless=True,
            clock=clock,
            evaluator=evaluator,
            timer_factory=timer_factory,
            config_path=config_path,
        )
        started.append(app)
        app.start()
        app.client = BridgeClient(qtbot, app.bridge_url, app.token)  # type: ignore[attr-defined]
        return app

    yield make
    for app in reversed(started):
        app.stop()


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[Any]:
    """The provincial sandbox on a free loopback port, with its database in the test's directory."""
    from province.server import SandboxServer

    server = SandboxServer(tmp_path / "sandbox.sqlite3", port=0)
    server.start()
    yield server
    server.stop()
