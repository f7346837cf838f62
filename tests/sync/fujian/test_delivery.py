"""The gateway profile's sender against the sandbox's double over loopback: faults, a second rating of a case,
and a restart between a call and its answer (province-fujian.md "Sending one rating", "Exactly once")."""

from __future__ import annotations

import sqlite3
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import datetime, timedelta

import requests

from kiosk.domain.clock import CHINA_TIME, ManualClock, ProvinceClock
from kiosk.store.ledger import Ledger
from kiosk.sync.backoff import Backoff
from kiosk.sync.fujian.case_xml import CaseFormat, CaseTemplate, render_case
from kiosk.sync.fujian.profile import GatewaySettings
from province.seed import DEMO_HALL, DEMO_WINDOW
from province.server import SandboxServer
from tests.sync.conftest import ledger_path
from tests.sync.fujian.conftest import StartGateway, rate

# Names a Case must carry intact: markup characters, a supplementary-plane character (𠮷, U+20BB7).
NAMES = ("陈<明>&", "𠮷野", "林'晓\"芳", "王磊")


def statuses(ledger: Ledger) -> dict[int, str]:
    with sqlite3.connect(f"file:{ledger_path(ledger)}?mode=ro", uri=True) as db:
        return dict(db.execute("SELECT seq, status FROM sending WHERE status != 'pending'").fetchall())


def elements(case_xml: str) -> dict[str, str]:
    """A Case's elements by name, their text as a parser reads it (stripped, as the double stores them)."""
    return {child.tag: (child.text or "").strip() for child in ET.fromstring(case_xml.encode())}


def test_200_ratings_through_expiring_tokens_errors_and_lost_answers_are_stored_once_each(
    start_double: Callable[..., SandboxServer], start_gateway: StartGateway
) -> None:
    double = start_double("error=0.2,drop=0.1,token_expiry=20")
    app = double.store.issue_app(DEMO_HALL, DEMO_WINDOW)
    # Three calls in ten fail: a backoff at the scale of the loopback calls keeps the test short.
    run = start_gateway(
        double.gateway_url, app.app_key, app.app_code, backoff=Backoff(first_s=0.005, cap_s=0.04)
    )

    made = [run.rate(f"FAULTS{index:04d}", 5 - index % 3, NAMES[index % len(NAMES)]) for index in range(200)]
    run.wait(lambda: run.ledger.queue_depth() == 0, timeout_ms=120_000)

    faults = double.store.fault_counts()
    assert faults.get("error", 0) > 0 and faults.get("drop", 0) > 0 and faults.get("token_expiry", 0) > 0
    taken = double.store.gateway_ratings_for(app.app_key)
    assert len(taken) == 200
    assert sorted(rating.project_no for rating in taken) == [f"FAULTS{i:04d}" for i in range(200)]
    # Each record answered once: accepted, or found stored after its answer was lost; never superseded by
    # a copy of itself, never a dead letter.
    answered = statuses(run.ledger)
    assert len(answered) == 200
    assert set(answered.values()) <= {"accepted", "duplicate"}
    assert "duplicate" in answered.values()  # a lost answer, found with getEvaluationDetail
    # Every element the double read back is the record's own value, as the pad rendered it.
    by_project = {rating.project_no: rating for rating in taken}
    template = CaseTemplate.default()
    for recorded in made:
        record = run.ledger.record(recorded.seq)
        assert record is not None
        fields = by_project[record["projectNo"]].case_fields
        expected = elements(
            render_case(template, record, finish_time="2026-11-27T09:30:40+08:00", network="3")
        )
        assert fields == expected
        assert fields["userName"] == record["userName"]
        assert fields["certKey"] == record["certNo"]
        assert fields["alternate"] == str(record["satisfaction"])
        if answered[recorded.seq] == "accepted":
            assert run.ledger.province_id(recorded.seq) == by_project[record["projectNo"]].evaluate_unid


def test_a_case_rated_elsewhere_first_is_superseded(
    double: SandboxServer, start_gateway: StartGateway
) -> None:
    app = double.store.issue_app(DEMO_HALL, DEMO_WINDOW)
    reported = requests.post(
        f"{double.url}/projects",
        json={
            "projectNo": "ELSEWHERE-1",
            "taskCode": "1135000000359143343350111002000",
            "taskName": "个体工商户设立登记",
            "acceptTime": "2026-11-27T09:12:00+08:00",
            "applicant": {
                "name": "陈明", "userProp": "1", "certType": "111",
                "certNo": "350102199001011238", "mobile": "13800138000",
            },
        },
        timeout=10,
    )  # fmt: skip
    assert reported.status_code in (200, 201), reported.text
    rated = requests.post(
        f"{double.url}/projects/ELSEWHERE-1/evaluation", json={"satisfaction": 4, "pf": "6"}, timeout=10
    )
    assert rated.status_code in (200, 201), rated.text
    run = start_gateway(double.gateway_url, app.app_key, app.app_code)

    run.rate("ELSEWHERE-1", 5)
    run.rate("OWN-2", 4)
    run.wait(lambda: run.ledger.queue_depth() == 0)

    assert statuses(run.ledger) == {1: "superseded", 2: "accepted"}
    assert double.store.first_rating("ELSEWHERE-1").pf == "6"  # type: ignore[union-attr]


def test_after_a_start_the_head_of_the_queue_is_asked_about_before_it_is_sent(
    double: SandboxServer, start_gateway: StartGateway, ledger: Ledger
) -> None:
    app = double.store.issue_app(DEMO_HALL, DEMO_WINDOW)
    # As if the pad had stopped after the gateway stored the rating and before its answer was written: the
    # gateway holds the case, and the pad's record is still queued.
    stored = rate(ledger, "RESTART-1", 5)
    record = ledger.record(stored.seq)
    assert record is not None
    client = GatewaySettings(double.gateway_url, app.app_key, app.app_code).client()
    case = CaseFormat(CaseTemplate.default(), "3").rating(record, "2026-11-27T09:30:40+08:00")
    assert client.call("getSaveEvaluation", case).code == "200"
    client.close()
    rate(ledger, "RESTART-2", 3)

    run = start_gateway(double.gateway_url, app.app_key, app.app_code)
    run.wait(lambda: ledger.queue_depth() == 0)

    # Asked first: the gateway holds seq 1 (as this very rating: duplicate, not superseded); seq 2 it does
    # not hold, and it was sent.
    assert statuses(ledger) == {1: "duplicate", 2: "accepted"}
    assert ledger.province_id(1) == double.store.gateway_rating("RESTART-1").evaluate_unid  # type: ignore[union-attr]
    assert len(double.store.gateway_ratings_for(app.app_key)) == 2


def test_token_timestamps_follow_the_gateways_time_learned_from_its_answers(
    double: SandboxServer, start_gateway: StartGateway
) -> None:
    app = double.store.issue_app(DEMO_HALL, DEMO_WINDOW)
    # The pad's own clock is a day behind: its first token call is refused (the timestamp is 300 s out at
    # most), and that answer's Date header tells it the gateway's time.
    behind = ProvinceClock(ManualClock(datetime.now(CHINA_TIME) - timedelta(days=1)))
    run = start_gateway(double.gateway_url, app.app_key, app.app_code, clock=behind)

    run.rate("CLOCK-1", 5)
    run.wait(lambda: run.ledger.queue_depth() == 0)

    offset = behind.offset_s
    assert offset is not None and abs(offset - 86400) < 60
    kept = run.ledger.clock_offset()
    assert kept is not None and abs(kept - offset) < 1
    assert ("clock", "clock") in [
        (source, getattr(alert, "code", None)) for source, alert in run.recorder.alerts
    ]
