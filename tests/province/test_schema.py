"""The sandbox's schema moves forward one migration at a time, keeping what an older file holds: a
version-1 file gains the pages', the gateway's and the look-ups' tables."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from province.lookup import LookupRequest
from province.schema import MIGRATIONS
from province.store import SandboxStore
from tests.helpers.people import resident_id


def _v1_file(path: Path) -> None:
    """A database as the first release of the sandbox left it, with a rating from another channel."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN")
    MIGRATIONS[0](conn)
    conn.execute("PRAGMA user_version = 1")
    conn.execute(
        "INSERT INTO other_ratings (project_no, satisfaction, pf, eval_detail, assess_time, received_at)"
        " VALUES ('P-OLD', 5, '3', '[]', '2026-11-27T09:31:05+08:00', 0)"
    )
    conn.execute("COMMIT")
    conn.close()


def test_a_v1_file_gains_the_gateway_tables_and_keeps_its_ratings(tmp_path: Path) -> None:
    path = tmp_path / "sandbox.sqlite3"
    _v1_file(path)

    with SandboxStore(path) as store:
        rating = store.first_rating("P-OLD")
        app = store.issue_app("350102-ZWFW", "A07")
        assert store.gateway_app(app.app_key) == app

    assert rating is not None
    assert (rating.satisfaction, rating.pf) == (5, "3")
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)


CERT_NO = resident_id("350104", "19850607", "031")


def version_1_database(path: Path) -> None:
    """A file as the first sandbox made it, holding one 办件 reported then."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("BEGIN")
        MIGRATIONS[0](conn)
        conn.execute("PRAGMA user_version = 1")
        conn.execute(
            "INSERT INTO projects (project_no, task_code, task_name, accept_time, applicant, reported_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (
                "P-OLD-1",
                "T1",
                "个体工商户设立登记",
                "2026-12-03T09:00:00+08:00",
                json.dumps({"name": "林小梅", "userProp": "1", "certType": "111", "certNo": CERT_NO}),
                0.0,
            ),
        )
        conn.execute("COMMIT")
    finally:
        conn.close()


def test_a_version_1_database_gains_case_fields_notices_and_lookups(tmp_path: Path) -> None:
    path = tmp_path / "sandbox.sqlite3"
    version_1_database(path)

    with SandboxStore(path, clock=lambda: 1796349600.0) as store:  # 2026-12-04T10:00:00+08:00
        device_secret = store.add_device("T-MIGRATED", "350102-ZWFW", "A07")
        cases = store.lookup("T-MIGRATED", LookupRequest("cert", cert_type="111", cert_no=CERT_NO))
        notices = store.notices("350102-ZWFW")

    assert len(device_secret) == 32
    assert [(case["projectNo"], case["state"], case["finishTime"], case["windowNo"]) for case in cases] == [
        ("P-OLD-1", "rateable", "", "")
    ]
    assert [notice.notice_id for notice in notices] == ["N-2026-001", "N-2026-002"]
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    finally:
        conn.close()


def test_a_new_database_is_at_the_latest_version(tmp_path: Path) -> None:
    with SandboxStore(tmp_path / "new.sqlite3") as store:
        assert len(store.notices("350102-ZWFW")) == 2
