"""Fixtures: a real sandbox on loopback, and devices enrolled with it over HTTP."""

from __future__ import annotations

import base64
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from province.faults import FaultPlan
from province.server import SandboxServer
from tests.province.helpers import HALL, WINDOW, DeviceClient, enrol, new_device_id


class FakeClock:
    """A clock a test moves by hand (unix seconds)."""

    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def enrolled_device(server: SandboxServer, window: str = WINDOW) -> DeviceClient:
    """A new device, enrolled with a fresh code the way a pad enrols, that signs with its server's clock."""
    code = server.store.issue_code(HALL, window)
    device_id = new_device_id()
    answer = enrol(server.url, code, device_id)
    assert answer.status_code == 201, answer.text
    key = base64.b64decode(answer.json()["deviceSecret"])
    return DeviceClient(server.url, device_id, key, clock=server.store.clock)


@pytest.fixture(scope="session")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxServer]:
    """One sandbox for the session; tests keep apart by using their own devices and 办件."""
    server = SandboxServer(tmp_path_factory.mktemp("sandbox") / "sandbox.sqlite3")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def device(sandbox: SandboxServer) -> DeviceClient:
    """A device freshly enrolled with the session's sandbox."""
    return enrolled_device(sandbox)


@pytest.fixture
def start_sandbox(tmp_path: Path) -> Iterator[Callable[..., SandboxServer]]:
    """Starts sandboxes of the test's own (a held clock, faults, a shared file); stops them afterwards."""
    servers: list[SandboxServer] = []

    def start(
        *,
        path: Path | None = None,
        faults: FaultPlan | None = None,
        clock: Callable[[], float] = time.time,
    ) -> SandboxServer:
        server = SandboxServer(path or tmp_path / "sandbox.sqlite3", faults=faults, clock=clock)
        server.start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()
