"""The ledger on a real SQLite file: chain, append-only triggers, press log, encryption, sending state."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from kiosk.domain.clock import ManualClock
from kiosk.domain.record import GENESIS_HASH, record_hash
from kiosk.domain.sessions import SessionState
from kiosk.store.errors import LedgerError, StorageUnavailable
from kiosk.store.ledger import Ledger, Outcome, PressEntry, SendStatus, new_device_id
from kiosk.store.verify import verify
from tests.helpers.people import CHEN_MING_ID, CHEN_MING_MOBILE
from tests.store.conftest import rate


def test_records_chain_from_genesis(ledger: Ledger) -> None:
    first = rate(ledger, "P-1")
    second = rate(ledger, "P-2", 3)
    one, two = ledger.record(1), ledger.record(2)
    assert one is not None and two is not None
    assert (first.seq, second.seq) == (1, 2)
    assert one["prevHash"] == GENESIS_HASH and two["prevHash"] == one["hash"] == first.hash
    assert record_hash(two) == two["hash"] == second.hash
    assert two["deptCode"] == "11350102003622411H" and two["windowNo"] == "A07"
    assert one["certNo"] == CHEN_MING_ID and one["mobile"] == CHEN_MING_MOBILE
    assert str(verify(ledger_dir(ledger))) == "ok: 2 records"


def ledger_dir(ledger: Ledger) -> Path:
    path = ledger._db.execute("PRAGMA database_list").fetchone()[2]
    return Path(path).parent


def test_device_id_is_made_once_and_kept(tmp_path: Path, clock: ManualClock) -> None:
    first = Ledger.open(tmp_path, clock)
    device_id = first.device_id
    first.close()
    assert device_id.startswith("P-") and len(device_id) == 18
    again = Ledger.open(tmp_path, clock)
    assert again.device_id == device_id
    again.close()
    with pytest.raises(LedgerError, match="belongs to"):
        Ledger.open(tmp_path, clock, preset_device_id="FJ-OTHER")
    preset = Ledger.open(tmp_path / "other", clock, preset_device_id="FJ-350102-0001")
    assert preset.device_id == "FJ-350102-0001"
    preset.close()
    assert new_device_id() != new_device_id()


def test_ratings_refuse_update_and_delete(ledger: Ledger) -> None:
    rate(ledger, "P-1")
    # A record has sending state once it is answered (or tried): that state is kept too.
    ledger.record_outcomes([Outcome(1, SendStatus.ACCEPTED.value)])
    db = ledger._db
    for statement in (
        "UPDATE ratings SET satisfaction = 1 WHERE seq = 1",
        "UPDATE ratings SET task_name = 'x'",
        "DELETE FROM ratings WHERE seq = 1",
        "DELETE FROM sending",
    ):
        with pytest.raises(sqlite3.IntegrityError):
            db.execute(statement)
    with pytest.raises(sqlite3.IntegrityError, match="chain"):
        db.execute(
            "INSERT INTO ratings SELECT seq + 2, evaluation_id || 'x', session_id, device_id, prev_hash, "
            "hash, project_no, task_code, task_name, dept_code, dept_name, area_code, window_no, staff_id, "
            "staff_name, "
            "pf, satisfaction, eval_detail, writing_evaluation, accept_time, assess_time, assess_number, "
            "default_evaluation, user_prop, cert_type, personal, extra_presses FROM ratings"
        )


def test_press_log_is_append_only_and_binds_presses(ledger: Ledger) -> None:
    rate(ledger, "P-1")
    press = PressEntry("2026-11-27T09:31:05+08:00", 2, 4, True, 1)
    ledger.log_press(press)
    ledger.log_press(PressEntry("2026-11-27T09:31:06+08:00", 9, None, False, 1))
    rows = ledger.presses()
    assert [(r["button"], r["level"], r["armed"], r["counted"]) for r in rows] == [
        (2, 4, 1, 0),
        (9, None, 0, 0),
    ]
    with pytest.raises(sqlite3.IntegrityError):
        ledger._db.execute("DELETE FROM press_log")
    with pytest.raises(sqlite3.IntegrityError):
        ledger._db.execute("UPDATE press_log SET level = 5")


def test_a_chosen_level_survives_until_its_record(ledger: Ledger) -> None:
    from tests.helpers.people import session_body
    from tests.store.conftest import START, validate_session_request

    request = validate_session_request(session_body("P-9"), now=START)
    session = ledger.add_session(request, "", "")
    press = PressEntry("2026-11-27T09:31:05+08:00", 4, 2, True, 1)
    ledger.choose_level(session.session_id, 2, "5", press.at, press)
    pending = ledger.chosen_without_record()
    assert [(s.session_id, level) for s, level in pending] == [(session.session_id, 2)]
    assert ledger.presses(session.session_id)[0]["counted"] == 1
    stored = ledger.session(session.session_id)
    assert stored is not None and stored.state is SessionState.RATED and stored.rated_at == press.at


def test_sending_state_lives_apart_and_final_answers_stay(ledger: Ledger) -> None:
    for n in range(3):
        rate(ledger, f"P-{n}")
    assert [p.record["seq"] for p in ledger.pending_batch(10, 512 * 1024)] == [1, 2, 3]
    assert [p.record["seq"] for p in ledger.pending_batch(2, 512 * 1024)] == [1, 2]
    # The first record always goes, however small the byte limit, so that it gets its answer.
    assert [p.record["seq"] for p in ledger.pending_batch(10, 10)] == [1]
    ledger.record_outcomes([Outcome(1, SendStatus.ACCEPTED.value), Outcome(2, SendStatus.DEAD.value, "x")])
    assert ledger.send_counts() == {"pending": 1, "accepted": 1, "duplicate": 0, "superseded": 0, "dead": 1}
    assert ledger.answered_prefix() == 2
    with pytest.raises(LedgerError):
        ledger.record_outcomes([Outcome(1, SendStatus.PENDING.value)])
    assert ledger.queue_depth() == 1


def test_personal_data_is_sealed_and_found_by_keyed_hash(ledger: Ledger) -> None:
    rate(ledger, "P-1")
    db = ledger._db
    for table in ("sessions", "ratings"):
        for row in db.execute(f"SELECT * FROM {table}"):
            for value in tuple(row):
                text = value.decode("latin-1") if isinstance(value, bytes) else str(value)
                assert CHEN_MING_ID not in text and CHEN_MING_MOBILE not in text and "陈明" not in text
    hmac_value = db.execute("SELECT cert_hmac FROM sessions").fetchone()[0]
    assert (
        len(hmac_value) == 64
        and hmac_value != __import__("hashlib").sha256(CHEN_MING_ID.encode()).hexdigest()
    )
    assert [s.project_no for s in ledger.sessions_for_applicant("111", CHEN_MING_ID)] == ["P-1"]
    assert ledger.sessions_for_applicant("111", "350102199001011246") == []


def test_a_blob_moved_to_another_row_does_not_open(ledger: Ledger) -> None:
    rate(ledger, "P-1")
    rate(ledger, "P-2")
    db = ledger._db
    db.execute("DROP TRIGGER ratings_append_only_update")
    db.execute("UPDATE ratings SET personal = (SELECT personal FROM ratings WHERE seq = 1) WHERE seq = 2")
    assert str(verify(ledger_dir(ledger))) == "chain broken at seq 2: personal data altered or moved"


def test_secrets_have_private_modes(ledger: Ledger) -> None:
    secrets = ledger_dir(ledger) / "secrets"
    assert secrets.stat().st_mode & 0o777 == 0o700
    assert (secrets / "master.key").stat().st_mode & 0o777 == 0o600


def test_device_secret_is_encrypted(ledger: Ledger) -> None:
    secret = bytes(range(32))
    ledger.store_device_secret(secret)
    assert ledger.device_secret() == secret
    stored = ledger.get_meta("device_secret") or ""
    assert secret.hex() not in stored and __import__("base64").b64encode(secret).decode() not in stored


def test_a_session_takes_one_rating_and_the_database_itself_refuses_a_second(ledger: Ledger) -> None:
    from tests.helpers.people import session_body
    from tests.store.conftest import PLACEMENT, START, validate_session_request

    session = ledger.add_session(validate_session_request(session_body("P-ONE"), now=START), "", "")
    first = ledger.record_rating(
        session, satisfaction=5, pf="5", assess_time="2026-11-27T09:31:05+08:00", placement=PLACEMENT
    )
    with pytest.raises(LedgerError):
        ledger.record_rating(
            session, satisfaction=1, pf="5", assess_time="2026-11-27T09:31:06+08:00", placement=PLACEMENT
        )
    # Nothing of the refused rating was kept, and the chain goes on from the first.
    assert ledger.last_link() == (first.seq, first.hash)
    assert rate(ledger, "P-NEXT").seq == first.seq + 1
    # Not the ledger's code but the database refuses it: a row that extends the chain and names the same
    # session, written with SQL past every check of record_rating.
    db = ledger._db
    columns = [row[1] for row in db.execute("PRAGMA table_info(ratings)")]
    values = ", ".join(
        {
            "seq": "seq + 1",
            "prev_hash": "hash",
            "evaluation_id": "evaluation_id || 'x'",
            "session_id": repr(session.session_id),
        }.get(column, column)
        for column in columns
    )
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
        db.execute(
            f"INSERT INTO ratings ({', '.join(columns)}) SELECT {values} FROM ratings ORDER BY seq DESC LIMIT 1"
        )
    assert str(verify(ledger_dir(ledger))) == "ok: 2 records"


def test_the_storage_probe_needs_room_for_a_rating_not_just_a_byte(ledger: Ledger) -> None:
    db = ledger._db
    rate(ledger, "P-PROBE-1")
    ledger.probe_write()
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    # The file may grow by one page only: a tiny write still fits in the pages it has, a rating does not.
    db.execute(f"PRAGMA max_page_count = {db.execute('PRAGMA page_count').fetchone()[0] + 1}")
    ledger.set_meta("tiny", "x")
    with pytest.raises(StorageUnavailable):
        ledger.probe_write()  # so the pad keeps refusing sessions, and says so, until there is room
    db.execute("PRAGMA max_page_count = 1073741823")
    ledger.probe_write()
    rate(ledger, "P-PROBE-2")  # and once the probe passes, a rating is taken
    probes = db.execute("SELECT COUNT(*) FROM meta WHERE key LIKE 'probe:%'").fetchone()[0]
    assert probes == 1  # each probe replaces the last
