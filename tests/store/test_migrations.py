"""Every migration upgrades a saved database of the version before it (tests/data/ledger-vN)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from kiosk.domain.clock import ManualClock
from kiosk.domain.sessions import SessionState
from kiosk.store.errors import LedgerError
from kiosk.store.ledger import LEDGER_FILE, Ledger, Outcome, SendStatus
from kiosk.store.migrations import LATEST, schema_version
from kiosk.store.verify import verify
from tests.helpers.people import CHEN_MING_ID
from tests.helpers.procs import run_kiosk
from tests.store.conftest import PLACEMENT, START, rate

DATA = Path(__file__).resolve().parents[1] / "data"


def saved(version: int, tmp_path: Path) -> Path:
    source = DATA / f"ledger-v{version}"
    assert source.exists(), f"migration {version + 1} needs a saved ledger of version {version} in {source}"
    target = tmp_path / source.name
    shutil.copytree(source, target)
    return target


# What each saved ledger holds (tests/data/make_fixtures.py): its device, and its records still to send
# once upgraded.
SAVED = {1: ("P-FIXTUREV1000000", 1), 2: ("P-FIXTUREV2000000", 2), 3: ("P-FIXTUREV3000000", 2)}


@pytest.mark.parametrize("version", range(1, LATEST))
def test_each_saved_version_upgrades_to_the_latest(version: int, tmp_path: Path) -> None:
    device_id, pending = SAVED[version]
    data = saved(version, tmp_path)
    before = verify(data)
    assert before.ok, before
    ledger = Ledger.open(data, ManualClock(START))
    try:
        assert schema_version(ledger._db) == LATEST
        assert ledger.device_id == device_id
        after = verify(data)
        assert after.ok and after.records == before.records
        # What was there is still there, readable, and the chain goes on from it.
        assert ledger.record(1) is not None and ledger.record(1)["certNo"] == CHEN_MING_ID  # type: ignore[index]
        assert ledger.send_counts()["pending"] == pending
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


def second_rating_sql(db: sqlite3.Connection, session_id: str | None) -> str:
    """An INSERT of a copy of the last rating that extends the chain and names `session_id`: past every
    check of record_rating, only the database's own rules can refuse it."""
    columns = [row[1] for row in db.execute("PRAGMA table_info(ratings)")]
    values = ", ".join(
        {
            "seq": "seq + 1",
            "prev_hash": "hash",
            "evaluation_id": "evaluation_id || 'x'",
            "session_id": "NULL" if session_id is None else repr(session_id),
        }.get(column, column)
        for column in columns
    )
    return (
        f"INSERT INTO ratings ({', '.join(columns)}) SELECT {values} FROM ratings ORDER BY seq DESC LIMIT 1"
    )


@pytest.mark.parametrize("version", [1, 2])
def test_v3_refuses_a_second_rating_for_a_session_and_keeps_the_protections(
    version: int, tmp_path: Path
) -> None:
    data = saved(version, tmp_path)
    ledger = Ledger.open(data, ManualClock(START))
    try:
        db = ledger._db
        rated = ledger.sessions_for_applicant("111", CHEN_MING_ID)[0]
        assert rated.state is SessionState.RATED
        last = ledger.last_link()
        with pytest.raises(LedgerError, match="already has its record"):
            ledger.record_rating(
                rated, satisfaction=1, pf="1", assess_time="2026-11-27T11:00:00+08:00", placement=PLACEMENT
            )
        with pytest.raises(sqlite3.IntegrityError, match=r"UNIQUE constraint failed: ratings\.session_id"):
            db.execute(second_rating_sql(db, rated.session_id))
        with pytest.raises(sqlite3.IntegrityError, match="belongs to its session"):
            db.execute(second_rating_sql(db, None))
        assert ledger.last_link() == last
        # The append-only and chain triggers came back with the rebuilt table.
        for statement in ("UPDATE ratings SET satisfaction = 1", "DELETE FROM ratings WHERE seq = 1"):
            with pytest.raises(sqlite3.IntegrityError, match="append-only"):
                db.execute(statement)
        with pytest.raises(sqlite3.IntegrityError, match="extend the chain"):
            db.execute(second_rating_sql(db, "a-session-of-no-rating").replace("seq + 1", "seq + 2", 1))
        for statement in ("DELETE FROM sending", "UPDATE sending SET status = 'pending'"):
            with pytest.raises(sqlite3.IntegrityError):
                db.execute(statement)
        assert verify(data).ok
    finally:
        ledger.close()
    code = run_kiosk("store", "verify", "--data-dir", str(data))
    assert (code.returncode, code.stdout.strip()) == (0, f"ok: {last[0]} records")


def test_v3_keeps_what_was_answered_and_still_sends_what_was_not(tmp_path: Path) -> None:
    data = saved(2, tmp_path)
    ledger = Ledger.open(data, ManualClock(START))
    try:
        db = ledger._db
        # Seq 4 was never tried: its pending row went. Seq 3 keeps its two failed attempts.
        rows = db.execute("SELECT seq, status, attempts FROM sending ORDER BY seq").fetchall()
        assert [tuple(row) for row in rows] == [(1, "accepted", 1), (2, "dead", 1), (3, "pending", 2)]
        # The rebuilt table was written back to the database file: the WAL does not keep its size.
        assert (data / f"{LEDGER_FILE}-wal").stat().st_size == 0
        assert ledger.send_counts() == {
            "pending": 2,
            "accepted": 1,
            "duplicate": 0,
            "superseded": 0,
            "dead": 1,
        }
        assert ledger.queue_depth() == 2
        assert ledger.answered_prefix() == 2
        assert [p.record["seq"] for p in ledger.pending_batch(10, 512 * 1024)] == [3, 4]
        assert [(d.seq, d.code, d.field) for d in ledger.dead_letters()] == [
            (2, "invalid_field", "evalDetail")
        ]

        ledger.count_attempt([3, 4])
        rows = db.execute("SELECT seq, status, attempts FROM sending WHERE seq > 2 ORDER BY seq").fetchall()
        assert [tuple(row) for row in rows] == [(3, "pending", 3), (4, "pending", 1)]
        assert ledger.queue_depth() == 2 and ledger.answered_prefix() == 2

        ledger.record_outcomes([Outcome(3, SendStatus.ACCEPTED.value)])
        assert ledger.answered_prefix() == 3
        assert [p.record["seq"] for p in ledger.pending_batch(10, 512 * 1024)] == [4]
        ledger.record_outcomes([Outcome(4, SendStatus.SUPERSEDED.value)])
        assert ledger.queue_depth() == 0 and ledger.pending_batch(10, 512 * 1024) == []
        assert ledger.answered_prefix() == 4
        assert ledger.send_counts() == {
            "pending": 0,
            "accepted": 2,
            "duplicate": 0,
            "superseded": 1,
            "dead": 1,
        }
        with pytest.raises(LedgerError):
            ledger.record_outcomes([Outcome(4, SendStatus.ACCEPTED.value)])
        assert verify(data).ok
    finally:
        ledger.close()


def test_v3_carries_over_a_second_rating_that_v2_let_through(tmp_path: Path) -> None:
    data = saved(2, tmp_path)
    before = verify(data)
    ledger = Ledger.open(data, ManualClock(START))
    try:
        db = ledger._db
        second = db.execute("SELECT seq, session_id FROM duplicate_ratings").fetchall()
        first_session = db.execute("SELECT session_id FROM ratings WHERE seq = 2").fetchone()[0]
        # Seq 4 keeps its place in the chain and its record; its link to the session is kept beside it.
        assert [tuple(row) for row in second] == [(4, first_session)]
        assert db.execute("SELECT session_id FROM ratings WHERE seq = 4").fetchone()[0] is None
        record = ledger.record(4)
        assert record is not None and record["prevHash"] == ledger.record(3)["hash"]  # type: ignore[index]
        assert (
            db.execute("SELECT rating_seq FROM sessions WHERE session_id = ?", (first_session,)).fetchone()[0]
            == 2
        )
        assert verify(data).records == before.records == 4
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            db.execute("DELETE FROM duplicate_ratings")
    finally:
        ledger.close()


def test_v3_keeps_the_sessions_the_pad_resumes(tmp_path: Path) -> None:
    data = saved(2, tmp_path)
    ledger = Ledger.open(data, ManualClock(START))
    try:
        # The level chosen with the reason picker open when the pad stopped still becomes its record.
        [(session, level)] = ledger.chosen_without_record()
        assert (session.project_no, level) == ("35010220261127100003", 2)
        assert [s.project_no for s in ledger.sessions_in_state(SessionState.TIMED_OUT)] == [
            "35010220261127100004"
        ]
        assert len(ledger.sessions_in_state(SessionState.RATED)) == 4
        recorded = ledger.record_rating(
            session, satisfaction=level, pf="1", assess_time="2026-11-27T10:01:05+08:00", placement=PLACEMENT
        )
        assert recorded.seq == 5 and ledger.chosen_without_record() == []
        # Open sessions are found by the index that holds only them.
        for state in ("awaiting", "timed_out"):
            plan = db_plan(
                ledger, f"SELECT * FROM sessions WHERE state = '{state}' ORDER BY created_at, rowid"
            )
            assert "USING INDEX sessions_open" in " ".join(str(row[3]) for row in plan)
    finally:
        ledger.close()


def db_plan(ledger: Ledger, sql: str) -> list[sqlite3.Row]:
    return ledger._db.execute(f"EXPLAIN QUERY PLAN {sql}").fetchall()


def test_v3_is_one_transaction(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A failure after the rebuild leaves the version-2 ledger exactly as it was."""
    from sqlite_utils.db import Table

    data = saved(2, tmp_path)
    schema = (
        sqlite3.connect(data / LEDGER_FILE).execute("SELECT sql FROM sqlite_master ORDER BY name").fetchall()
    )
    rebuild = Table.transform

    def rebuild_then_fail(self: Table, **kwargs: object) -> Table:
        rebuild(self, **kwargs)  # type: ignore[arg-type]
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(Table, "transform", rebuild_then_fail)
    with pytest.raises(LedgerError, match="disk I/O error"):
        Ledger.open(data, ManualClock(START))
    db = sqlite3.connect(data / LEDGER_FILE)
    assert schema_version(db) == 2
    assert db.execute("SELECT sql FROM sqlite_master ORDER BY name").fetchall() == schema
    assert db.execute("SELECT COUNT(*) FROM sending").fetchone()[0] == 4
    db.close()
    assert verify(data).ok


def test_v4_keeps_the_answers_and_adds_the_province_id(tmp_path: Path) -> None:
    data = saved(3, tmp_path)
    ledger = Ledger.open(data, ManualClock(START))
    try:
        # What v3 held is as it was: the answers, the attempts, the record never tried.
        assert ledger.send_counts() == {
            "pending": 2, "accepted": 1, "duplicate": 0, "superseded": 0, "dead": 1,
        }  # fmt: skip
        assert [letter.code for letter in ledger.dead_letters()] == ["invalid_field"]
        assert ledger.province_id(1) == ""
        assert ledger.province_id(3) is None
        # The sender reads each pending record with its session's finishTime (seq 4's case has none).
        batch = ledger.pending_batch(10, 1 << 20)
        assert [(p.record["seq"], p.finish_time) for p in batch] == [
            (3, "2026-11-27T09:30:40+08:00"),
            (4, ""),
        ]
        ledger.record_outcomes([Outcome(3, SendStatus.ACCEPTED.value, province_id="E-0003")])
        assert ledger.province_id(3) == "E-0003"
        with pytest.raises(sqlite3.IntegrityError):
            ledger._db.execute("UPDATE sending SET status = 'pending' WHERE seq = 3")
    finally:
        ledger.close()
