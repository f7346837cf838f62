"""The sandbox's schema moves forward one migration at a time, keeping what an older file holds."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from province.schema import MIGRATIONS
from province.store import SandboxStore


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
