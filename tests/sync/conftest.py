"""The uplink against real provincial services on loopback: the sandbox (in-process, or behind a script for
corner cases), a real Ledger on a temporary directory, and the real UplinkWorker thread with its client."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QObject, Slot
from pytestqt.qtbot import QtBot

from kiosk.domain.clock import ManualClock
from kiosk.domain.hall import Placement
from kiosk.domain.validation import validate_session_request
from kiosk.store.ledger import LEDGER_FILE, Ledger, RecordedRating
from kiosk.sync.backoff import Backoff
from kiosk.sync.client import UplinkClient
from kiosk.sync.events import UplinkEvents
from kiosk.sync.status import UplinkStatus
from kiosk.sync.worker import UplinkWorker
from province.faults import FaultPlan
from province.server import SandboxServer
from province.store import SandboxStore
from tests.helpers.people import session_body
from tests.sync.scripted import ScriptedProvince

CST = timezone(timedelta(hours=8))
START = datetime(2026, 11, 27, 9, 30, tzinfo=CST)
HALL, WINDOW = "350102-ZWFW", "A07"
PLACEMENT = Placement(
    HALL, "鼓楼区政务服务中心", "350102", WINDOW, "11350102003622411H", "鼓楼区市场监督管理局"
)
# Generous bounds: they only catch a hang; a slow, shared machine must never fail a test.
WAIT_S = 45.0


def fast_backoff() -> Backoff:
    """The spec's doubling and jitter, at a scale that keeps a test with many failures short."""
    return Backoff(first_s=0.02, cap_s=0.2)


def rate(
    ledger: Ledger, project_no: str, satisfaction: int = 5, eval_detail: Sequence[str] = ()
) -> RecordedRating:
    """Opens a session for a 办件 and records its rating, as the Pad does (a made-up applicant)."""
    request = validate_session_request(session_body(project_no), now=START + timedelta(hours=1))
    session = ledger.add_session(request, "S1024", "林晓")
    return ledger.record_rating(
        session,
        satisfaction=satisfaction,
        pf="5",
        assess_time="2026-11-27T09:31:05+08:00",
        placement=PLACEMENT,
        eval_detail=eval_detail,
    )


def enrol_directly(ledger: Ledger, store: SandboxStore) -> bytes:
    """Enrols the pad's device with the sandbox without a code, and gives the pad its secret."""
    secret = store.add_device(ledger.device_id, HALL, WINDOW)
    ledger.store_device_secret(secret)
    return secret


@dataclass(frozen=True)
class Sending:
    """A record's row of the ledger's `sending` table."""

    status: str
    attempts: int
    error: str


def sending(ledger: Ledger) -> dict[int, Sending]:
    """The sending state of every record, read from the ledger's file by a second, read-only connection."""
    path = Path(ledger_path(ledger))
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        rows = db.execute("SELECT seq, status, attempts, error FROM sending ORDER BY seq").fetchall()
    return {seq: Sending(status, attempts, error) for seq, status, attempts, error in rows}


def ledger_path(ledger: Ledger) -> str:
    row = ledger._db.execute("PRAGMA database_list").fetchone()
    return str(row[2])


class Recorder(QObject):
    """Keeps what the uplink told the Pad, delivered queued on the Qt thread as in the app."""

    def __init__(self, events: UplinkEvents) -> None:
        super().__init__()
        self.states: list[str] = []
        self.reports = 0
        """How many times the uplink reported its state (the same state again too: once per attempt)."""
        self.alerts: list[tuple[str, object]] = []
        self.configs: list[Any] = []
        self.projects: list[tuple[str, object]] = []
        self.secrets: list[bytes] = []
        self.sent: list[int] = []
        self.status = UplinkStatus()
        events.status_changed.connect(self.on_status_changed)
        events.alert.connect(self.on_alert)
        events.config_received.connect(self.on_config_received)
        events.project_answered.connect(self.on_project_answered)
        events.enrolled.connect(self.on_enrolled)
        events.sent.connect(self.on_sent)

    @Slot(object)
    def on_status_changed(self, status: UplinkStatus) -> None:
        self.reports += 1
        self.status = status
        if not self.states or self.states[-1] != status.state:
            self.states.append(status.state)

    @Slot(str, object)
    def on_alert(self, key: str, text: object) -> None:
        self.alerts.append((key, text))

    @Slot(object)
    def on_config_received(self, config: object) -> None:
        self.configs.append(config)

    @Slot(str, object)
    def on_project_answered(self, project_no: str, answer: object) -> None:
        self.projects.append((project_no, answer))

    @Slot(bytes)
    def on_enrolled(self, secret: bytes) -> None:
        self.secrets.append(bytes(secret))

    @Slot(int)
    def on_sent(self, count: int) -> None:
        self.sent.append(count)

    def alert_texts(self, key: str) -> list[object]:
        """The alerts of one source as technicians read them in the log (code and detail), None where it
        ended."""
        return [None if alert is None else str(alert) for k, alert in self.alerts if k == key]


@dataclass
class Uplink:
    """A started worker, its client and what it told the Pad."""

    worker: UplinkWorker
    client: UplinkClient
    recorder: Recorder
    ledger: Ledger
    qtbot: QtBot
    made: list[RecordedRating] = field(default_factory=list)

    def rate(self, project_no: str, satisfaction: int = 5, eval_detail: Sequence[str] = ()) -> RecordedRating:
        """Records a rating and wakes the sender, as the app does on `rating_recorded`."""
        recorded = rate(self.ledger, project_no, satisfaction, eval_detail)
        self.made.append(recorded)
        self.worker.wake()
        return recorded

    def wait(self, condition: Callable[[], bool], timeout_s: float = WAIT_S) -> None:
        """Runs Qt's loop (delivering the queued signals) until the condition holds; then delivers every
        signal emitted before, so the recorder is at least as far as what the condition saw."""
        self.qtbot.waitUntil(condition, timeout=int(timeout_s * 1000))
        QCoreApplication.sendPostedEvents()

    def wait_drained(self, timeout_s: float = WAIT_S) -> None:
        self.wait(lambda: self.ledger.queue_depth() == 0, timeout_s)


StartUplink = Callable[..., Uplink]


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
def ledger(tmp_path: Path, clock: ManualClock) -> Iterator[Ledger]:
    opened = Ledger.open(tmp_path / "pad", clock)
    assert Path(ledger_path(opened)).name == LEDGER_FILE
    yield opened
    opened.close()


@pytest.fixture
def start_uplink(qtbot: QtBot, ledger: Ledger, clock: ManualClock) -> Iterator[StartUplink]:
    """Starts the real worker thread on the test's ledger; stops it afterwards, and checks it stopped."""
    started: list[Uplink] = []

    def start(
        url: str,
        *,
        enroll_code: str = "",
        heartbeat_s: float = 60,
        backoff: Backoff | None = None,
        config_interval_s: float = 3600,
        evaluator_status: Callable[[], dict[str, Any]] | None = None,
        timeout_s: float = 5.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> Uplink:
        client = UplinkClient(url, ledger.device_id, ledger.device_secret, timeout_s=timeout_s)
        events = UplinkEvents()
        recorder = Recorder(events)
        worker = UplinkWorker(
            ledger,
            client,
            events,
            enroll_code=enroll_code,
            heartbeat_s=heartbeat_s,
            clock=clock,
            monotonic=monotonic,
            backoff=backoff or fast_backoff(),
            config_interval_s=config_interval_s,
            evaluator_status=evaluator_status or (lambda: {}),
        )
        uplink = Uplink(worker, client, recorder, ledger, qtbot)
        started.append(uplink)
        worker.start()
        return uplink

    yield start
    for uplink in reversed(started):
        uplink.worker.stop(timeout=15)
        thread = uplink.worker._thread
        assert thread is None or not thread.is_alive(), "the uplink thread did not stop"


@pytest.fixture
def start_sandbox(tmp_path: Path) -> Iterator[Callable[..., SandboxServer]]:
    """Starts in-process sandboxes (a fault plan, a fixed port, a shared file); stops them afterwards."""
    servers: list[SandboxServer] = []

    def start(*, port: int = 0, faults: str = "", path: Path | None = None) -> SandboxServer:
        server = SandboxServer(
            path or tmp_path / "sandbox.sqlite3",
            port=port,
            faults=FaultPlan.parse(faults) if faults else None,
        )
        server.start()
        servers.append(server)
        return server

    yield start
    for server in reversed(servers):
        server.stop()


@pytest.fixture
def start_scripted(tmp_path: Path) -> Iterator[Callable[..., ScriptedProvince]]:
    """Starts the sandbox behind a script (with the service's own clock, when given); stops it afterwards."""
    started: list[ScriptedProvince] = []

    def start(clock: Callable[[], float] = time.time) -> ScriptedProvince:
        province = ScriptedProvince(tmp_path / f"scripted{len(started)}.sqlite3", clock=clock)
        started.append(province)
        province.start()
        return province

    yield start
    for province in reversed(started):
        province.stop()


@pytest.fixture
def scripted(start_scripted: Callable[..., ScriptedProvince]) -> ScriptedProvince:
    """The sandbox behind a script, started; a test adds rules and reads the requests it saw."""
    return start_scripted()
