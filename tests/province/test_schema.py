"""The sandbox's migrations: a version-1 database (before look-ups and notices) is brought up to date."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from province.lookup import LookupRequest
from province.schema import MIGRATIONS
from province.store import SandboxStore
from tests.helpers.people import resident_id

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
        assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS) == 2
    finally:
        conn.close()


def test_a_new_database_is_at_the_latest_version(tmp_path: Path) -> None:
    with SandboxStore(tmp_path / "new.sqlite3") as store:
        assert len(store.notices("350102-ZWFW")) == 2
