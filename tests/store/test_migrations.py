"""Every migration upgrades a saved database of the version before it (tests/data/ledger-vN)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from kiosk.domain.clock import ManualClock
from kiosk.store.errors import LedgerError
from kiosk.store.ledger import LEDGER_FILE, Ledger
from kiosk.store.migrations import LATEST, schema_version
from kiosk.store.verify import verify
from tests.helpers.people import CHEN_MING_ID
from tests.store.conftest import START, rate

DATA = Path(__file__).resolve().parents[1] / "data"


def saved(version: int, tmp_path: Path) -> Path:
    source = DATA / f"ledger-v{version}"
    assert source.exists(), f"migration {version + 1} needs a saved ledger of version {version} in {source}"
    target = tmp_path / source.name
    shutil.copytree(source, target)
    return target


@pytest.mark.parametrize("version", range(1, LATEST))
def test_each_saved_version_upgrades_to_the_latest(version: int, tmp_path: Path) -> None:
    data = saved(version, tmp_path)
    before = verify(data)
    assert before.ok, before
    ledger = Ledger.open(data, ManualClock(START))
    try:
        assert schema_version(ledger._db) == LATEST
        assert ledger.device_id == "P-FIXTUREV1000000"
        after = verify(data)
        assert after.ok and after.records == before.records
        # What was there is still there, readable, and the chain goes on from it.
        assert ledger.record(1) is not None and ledger.record(1)["certNo"] == CHEN_MING_ID  # type: ignore[index]
        assert ledger.send_counts()["pending"] == 1
        recorded = rate(ledger, "P-AFTER-UPGRADE")
        assert recorded.seq == before.records + 1
        assert verify(data).ok
    finally:
        ledger.close()


def test_v2_backfills_keyed_hashes_and_adds_triggers(tmp_path: Path) -> None:
    data = saved(1, tmp_path)
    ledger = Ledger.open(data, ManualClock(START))
    try:
        found = ledger.sessions_for_applicant("111", CHEN_MING_ID)
        assert [s.project_no for s in found] == ["35010220261127000000"]
        with pytest.raises(sqlite3.IntegrityError):
            ledger._db.execute("DELETE FROM ratings")
        assert ledger.presses() == []
    finally:
        ledger.close()


def test_a_newer_ledger_is_refused(tmp_path: Path) -> None:
    data = saved(1, tmp_path)
    db = sqlite3.connect(data / LEDGER_FILE)
    db.execute(f"PRAGMA user_version = {LATEST + 1}")
    db.close()
    with pytest.raises(LedgerError, match="newer than this kiosk"):
        Ledger.open(data, ManualClock(START))
