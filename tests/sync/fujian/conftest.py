"""A pad in the Fujian gateway profile against the sandbox's double over loopback: the double in-process,
the pad in-process (headless), an app issued for the demo hall's window."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication
from pytestqt.qtbot import QtBot

from kiosk.app import PadApplication
from kiosk.domain.clock import CHINA_TIME, ProvinceClock, SystemClock
from kiosk.domain.timefmt import format_time
from kiosk.domain.validation import validate_session_request
from kiosk.store.ledger import Ledger, RecordedRating
from kiosk.sync.backoff import Backoff
from kiosk.sync.events import UplinkEvents
from kiosk.sync.fujian.profile import GatewaySettings, GatewayUplink, gateway_uplink
from province.faults import FaultPlan
from province.gateway.apps import GatewayApp
from province.seed import DEMO_HALL, DEMO_WINDOW
from province.server import SandboxServer
from tests.helpers.fixtures import MakePad
from tests.helpers.people import applicant, session_body
from tests.sync.conftest import PLACEMENT, START, Recorder, fast_backoff

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


def tokens_issued(server: SandboxServer) -> int:
    """How many access tokens the double issued (every call of a pad begins with one)."""
    with sqlite3.connect(f"file:{server.store.path}?mode=ro", uri=True) as conn:
        return int(conn.execute("SELECT COUNT(*) FROM gateway_tokens").fetchone()[0])


def gateway_pad(make_pad: MakePad, server: SandboxServer, *extra: str, **options: Any) -> PadApplication:
    return make_pad(*gateway_keys(server), *extra, **options)


def rate(
    ledger: Ledger, project_no: str, satisfaction: int = 5, name: str = "陈明", **body: Any
) -> RecordedRating:
    """A session for a 办件 and its rating, as the Pad makes them (finished 2026-11-27T09:30:40+08:00)."""
    request = validate_session_request(
        session_body(project_no, applicant=applicant(name=name), **body), now=START + timedelta(hours=1)
    )
    session = ledger.add_session(request, "S1024", "林晓")
    return ledger.record_rating(
        session,
        satisfaction=satisfaction,
        pf="5",
        assess_time="2026-11-27T09:31:05+08:00",
        placement=PLACEMENT,
        eval_detail=["207"] if satisfaction == 2 else [],
    )


@dataclass
class GatewayRun:
    """A started gateway worker on a test's ledger, and what it told the Pad."""

    uplink: GatewayUplink
    recorder: Recorder
    ledger: Ledger
    qtbot: QtBot
    clock: ProvinceClock

    def rate(self, project_no: str, satisfaction: int = 5, name: str = "陈明", **body: Any) -> RecordedRating:
        """A session for a 办件 and its rating, as the Pad makes them; the sender is woken."""
        recorded = rate(self.ledger, project_no, satisfaction, name, **body)
        self.uplink.worker.wake()
        return recorded

    def wait(self, condition: Callable[[], bool], timeout_ms: int = WAIT_MS) -> None:
        self.qtbot.waitUntil(condition, timeout=timeout_ms)
        QCoreApplication.sendPostedEvents()


StartGateway = Callable[..., GatewayRun]


@pytest.fixture
def start_gateway(qtbot: QtBot, ledger: Ledger) -> Iterator[StartGateway]:
    """Starts the gateway profile's worker (fast backoff) on the test's ledger; stops it afterwards."""
    runs: list[GatewayRun] = []

    def start(
        gateway: str,
        app_key: str,
        app_code: str,
        *,
        clock: ProvinceClock | None = None,
        backoff: Backoff | None = None,
        **settings: Any,
    ) -> GatewayRun:
        events = UplinkEvents()
        recorder = Recorder(events)
        province_clock = clock or ProvinceClock(SystemClock())
        uplink = gateway_uplink(
            ledger,
            GatewaySettings(gateway, app_key, app_code, **{"timeout_s": 5.0, **settings}),
            events,
            clock=province_clock,
            backoff=backoff or fast_backoff(),
        )
        run = GatewayRun(uplink, recorder, ledger, qtbot, province_clock)
        runs.append(run)
        uplink.worker.start()
        return run

    yield start
    for run in reversed(runs):
        run.uplink.worker.stop(timeout=15)
        thread = run.uplink.worker._thread
        assert thread is None or not thread.is_alive(), "the uplink thread did not stop"
