"""`kiosk store verify` against tampering done with the sqlite3 tool, triggers dropped first."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from kiosk.domain.clock import ManualClock
from kiosk.store.ledger import LEDGER_FILE, Ledger
from tests.helpers.procs import run_kiosk
from tests.store.conftest import START, rate

DROP_TRIGGERS = (
    "DROP TRIGGER ratings_append_only_update; DROP TRIGGER ratings_append_only_delete; "
    "DROP TRIGGER ratings_chain; DROP TRIGGER sending_keep;"
)


@pytest.fixture
def five(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    ledger = Ledger.open(data, ManualClock(START))
    for n in range(5):
        rate(ledger, f"P-{n}", 5 - n)
    ledger.close()
    return data


def sqlite(data: Path, sql: str) -> None:
    assert shutil.which("sqlite3"), "the sqlite3 tool is installed by scripts/system-deps.sh"
    subprocess.run(["sqlite3", str(data / LEDGER_FILE), DROP_TRIGGERS + sql], check=True, capture_output=True)


def verify_cli(data: Path) -> tuple[int, str]:
    result = run_kiosk("store", "verify", "--data-dir", str(data))
    return result.returncode, result.stdout.strip()


def test_an_intact_ledger_verifies(five: Path) -> None:
    assert verify_cli(five) == (0, "ok: 5 records")


def test_an_empty_data_directory_verifies(tmp_path: Path) -> None:
    assert verify_cli(tmp_path) == (0, "ok: 0 records")


@pytest.mark.parametrize(
    ("sql", "seq"),
    [
        ("UPDATE ratings SET satisfaction = 1 WHERE seq = 3;", 3),
        ("UPDATE ratings SET task_name = '个体工商户注销登记' WHERE seq = 2;", 2),
        ("UPDATE ratings SET eval_detail = '[\"207\"]' WHERE seq = 4;", 4),
        ("UPDATE ratings SET assess_time = '2026-11-27T09:31:06+08:00' WHERE seq = 5;", 5),
        ("UPDATE ratings SET default_evaluation = 1 WHERE seq = 1;", 1),
        ("UPDATE ratings SET extra_presses = 2 WHERE seq = 2;", 2),
        ("UPDATE ratings SET personal = x'00' || personal WHERE seq = 3;", 3),
        ("DELETE FROM ratings WHERE seq = 2; DELETE FROM sending WHERE seq = 2;", 2),
        ("DELETE FROM ratings WHERE seq = 5;", 5),
        (
            "UPDATE ratings SET session_id = (SELECT session_id FROM sessions LIMIT 1) || 'x' WHERE seq = 3;",
            3,
        ),
        ("UPDATE ratings SET hash = 'ab' || substr(hash, 3) WHERE seq = 4;", 4),
    ],
)
def test_any_change_is_found_and_names_the_seq(five: Path, sql: str, seq: int) -> None:
    sqlite(five, sql)
    code, output = verify_cli(five)
    assert code == 1
    assert output.startswith(f"chain broken at seq {seq}:"), output


def test_a_corrupt_file_fails_the_integrity_check(five: Path) -> None:
    path = five / LEDGER_FILE
    subprocess.run(
        ["sqlite3", str(path), "PRAGMA wal_checkpoint(TRUNCATE);"], check=True, capture_output=True
    )
    raw = bytearray(path.read_bytes())
    page = 4096
    for start in range(page, len(raw), page):
        raw[start : start + 8] = b"\xff" * 8  # every b-tree page header but the first: not a page type
    path.write_bytes(bytes(raw))
    code, output = verify_cli(five)
    assert code == 1
    assert output.startswith(("integrity check failed", "cannot read", "chain broken")), output
