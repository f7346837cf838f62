"""A pad in the Fujian gateway profile against the sandbox's double over loopback: the double in-process,
the pad in-process (headless), an app issued for the demo hall's window."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from kiosk.app import PadApplication
from kiosk.domain.clock import CHINA_TIME
from kiosk.domain.timefmt import format_time
from province.faults import FaultPlan
from province.gateway.apps import GatewayApp
from province.seed import DEMO_HALL, DEMO_WINDOW
from province.server import SandboxServer
from tests.helpers.fixtures import MakePad
from tests.helpers.people import session_body

WAIT_MS = 30_000


@pytest.fixture
def start_double(tmp_path: Path) -> Iterator[Callable[..., SandboxServer]]:
    servers: list[SandboxServer] = []

    def start(faults: str = "", **options: Any) -> SandboxServer:
        server = SandboxServer(
            tmp_path / f"sandbox{len(servers)}.sqlite3",
            faults=FaultPlan.parse(faults) if faults else None,
            **options,
        )
        server.start()
        servers.append(server)
        return server

    yield start
    for server in reversed(servers):
        server.stop()


@pytest.fixture
def double(start_double: Callable[..., SandboxServer]) -> SandboxServer:
    return start_double()


def gateway_keys(server: SandboxServer, app: GatewayApp | None = None, gateway: str = "") -> list[str]:
    """The `--set` overrides of a pad in the gateway profile, for an app of the demo hall's window."""
    app = app or server.store.issue_app(DEMO_HALL, DEMO_WINDOW)
    return [
        'uplink.profile="fujian-gateway"',
        f'uplink.fujian.gateway="{gateway or server.gateway_url}"',
        f'uplink.fujian.app_key="{app.app_key}"',
        f'uplink.fujian.app_code="{app.app_code}"',
        "uplink.timeout_s=5",
    ]


def now_body(project_no: str, **fields: Any) -> dict[str, Any]:
    """A session opened now (the pad checks "not in the future" against its clock)."""
    now = format_time(datetime.now(CHINA_TIME).replace(microsecond=0))
    return session_body(project_no, **{"acceptTime": now, "finishTime": now, **fields})


def new_project_no() -> str:
    return f"FJ{time.time_ns()}"


def gateway_pad(make_pad: MakePad, server: SandboxServer, *extra: str, **options: Any) -> PadApplication:
    return make_pad(*gateway_keys(server), *extra, **options)
