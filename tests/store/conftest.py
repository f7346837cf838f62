"""Ledgers on real temporary SQLite files (never a mock), with made-up people."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from kiosk.domain.clock import ManualClock
from kiosk.domain.hall import Placement
from kiosk.domain.validation import validate_session_request
from kiosk.store.ledger import Ledger, RecordedRating
from tests.helpers.people import session_body

CST = timezone(timedelta(hours=8))
START = datetime(2026, 11, 27, 9, 30, tzinfo=CST)
PLACEMENT = Placement(
    "350102-ZWFW", "鼓楼区政务服务中心", "350102", "A07", "11350102003622411H", "鼓楼区市场监督管理局"
)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
def ledger(tmp_path: Path, clock: ManualClock) -> Ledger:
    opened = Ledger.open(tmp_path / "data", clock)
    yield opened
    opened.close()


def rate(ledger: Ledger, project_no: str, satisfaction: int = 5, **body: object) -> RecordedRating:
    """Opens a session and records its rating, as the Pad does for a press of levels 3-5."""
    request = validate_session_request(session_body(project_no, **body), now=START + timedelta(hours=1))
    session = ledger.add_session(request, "S1024", "林晓")
    return ledger.record_rating(
        session,
        satisfaction=satisfaction,
        pf="5",
        assess_time="2026-11-27T09:31:05+08:00",
        placement=PLACEMENT,
    )
