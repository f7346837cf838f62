"""Makes the saved ledgers that the migration tests upgrade: `python -m tests.data.make_fixtures`.

Each `ledger-vN/` is a data directory (kiosk.sqlite3 and secrets/) exactly as version N of the schema
left it, holding made-up people only (valid check digits, numbers in test ranges). A fixture is made once,
when its version is the newest, and then kept: later code must upgrade it, never regenerate it.
"""

from __future__ import annotations

import json
import sqlite3
import sys
import uuid
from pathlib import Path
from typing import Any

from kiosk.domain.record import GENESIS_HASH, seal
from kiosk.store.crypto import PersonalDataCipher, load_or_create_master_key
from kiosk.store.migrations import MigrationContext, migrate

HERE = Path(__file__).resolve().parent

PEOPLE = [
    ("陈明", "350102199001011238", "13800138000"),
    ("林晓芳", "350102198507150023", "13800138001"),
    ("王磊", "35010219770302001X", ""),
]


def make_v1(target: Path) -> None:
    """Three sessions (two rated, one timed out) and two chained ratings, one accepted, one pending."""
    target.mkdir(parents=True)
    cipher = PersonalDataCipher(load_or_create_master_key(target / "secrets"))
    db = sqlite3.connect(target / "kiosk.sqlite3", isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    migrate(db, MigrationContext(cipher), target=1)
    db.execute("BEGIN")
    db.execute("INSERT INTO meta VALUES ('device_id', 'P-FIXTUREV1000000')")
    prev = GENESIS_HASH
    for index, (name, cert_no, mobile) in enumerate(PEOPLE):
        session_id = str(uuid.UUID(int=index + 1))
        project_no = f"3501022026112700{index:04d}"
        rated = index < 2
        personal = cipher.seal({"name": name, "certNo": cert_no, "mobile": mobile}, f"session:{session_id}")
        db.execute(
            "INSERT INTO sessions VALUES (?, ?, '', '个体工商户设立登记', '2026-11-27T09:12:00+08:00', '', "
            "'S1024', '林晓', '1', '111', ?, ?, ?, ?, 0, "
            "'2026-11-27T09:12:01+08:00', '2026-11-27T09:13:00+08:00')",
            (
                session_id,
                project_no,
                personal,
                "rated" if rated else "timed_out",
                "5" if rated else None,
                "2026-11-27T09:13:00+08:00" if rated else None,
            ),
        )
        if not rated:
            continue
        evaluation_id = str(uuid.UUID(int=100 + index))
        record = seal(
            {
                "evaluationId": evaluation_id,
                "deviceId": "P-FIXTUREV1000000",
                "seq": index + 1,
                "prevHash": prev,
                "projectNo": project_no,
                "taskCode": "",
                "taskName": "个体工商户设立登记",
                "deptCode": "",
                "deptName": "",
                "areaCode": "",
                "windowNo": "",
                "staffId": "S1024",
                "staffName": "林晓",
                "pf": "5",
                "satisfaction": 5 - index,
                "evalDetail": ["510"] if index == 0 else [],
                "writingEvaluation": "",
                "acceptTime": "2026-11-27T09:12:00+08:00",
                "assessTime": "2026-11-27T09:13:00+08:00",
                "assessNumber": 1,
                "defaultEvaluation": False,
                "userName": name,
                "userProp": "1",
                "certType": "111",
                "certNo": cert_no,
                "mobile": mobile,
                "extraPresses": 0,
            }
        )
        prev = record["hash"]
        db.execute(
            f"INSERT INTO ratings VALUES ({', '.join('?' * 27)})",
            (
                record["seq"],
                evaluation_id,
                session_id,
                record["deviceId"],
                record["prevHash"],
                record["hash"],
                project_no,
                "",
                record["taskName"],
                "",
                "",
                "",
                "",
                "S1024",
                "林晓",
                "5",
                record["satisfaction"],
                json.dumps(record["evalDetail"]),
                "",
                record["acceptTime"],
                record["assessTime"],
                1,
                0,
                "1",
                "111",
                cipher.seal(
                    {"userName": name, "certNo": cert_no, "mobile": mobile}, f"rating:{evaluation_id}"
                ),
                0,
            ),
        )
        db.execute(
            "INSERT INTO sending VALUES (?, ?, ?, '', '2026-11-27T09:13:01+08:00')",
            (record["seq"], "accepted" if index == 0 else "pending", 1 if index == 0 else 0),
        )
    db.execute("COMMIT")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    for leftover in ("kiosk.sqlite3-wal", "kiosk.sqlite3-shm"):
        (target / leftover).unlink(missing_ok=True)


def _sealed_rating(
    cipher: PersonalDataCipher,
    *,
    seq: int,
    prev: str,
    session_id: str,
    project_no: str,
    person: tuple[str, str, str],
    satisfaction: int,
    eval_detail: list[str],
    assess_time: str,
) -> tuple[dict[str, Any], tuple[Any, ...]]:
    """A chained record as the version-2 pad made it, and its ratings row (v1 and v2 share the table)."""
    name, cert_no, mobile = person
    evaluation_id = str(uuid.UUID(int=200 + seq))
    record = seal(
        {
            "evaluationId": evaluation_id,
            "deviceId": V2_DEVICE,
            "seq": seq,
            "prevHash": prev,
            "projectNo": project_no,
            "taskCode": "1135000000359143343350111002000",
            "taskName": "个体工商户设立登记",
            "deptCode": "11350102003622411H",
            "deptName": "鼓楼区市场监督管理局",
            "areaCode": "350102",
            "windowNo": "A07",
            "staffId": "S1024",
            "staffName": "林晓",
            "pf": "1",
            "satisfaction": satisfaction,
            "evalDetail": eval_detail,
            "writingEvaluation": "",
            "acceptTime": "2026-11-27T09:12:00+08:00",
            "assessTime": assess_time,
            "assessNumber": 1,
            "defaultEvaluation": False,
            "userName": name,
            "userProp": "1",
            "certType": "111",
            "certNo": cert_no,
            "mobile": mobile,
            "extraPresses": 1 if seq == 1 else 0,
        }
    )
    row = (
        seq,
        evaluation_id,
        session_id,
        V2_DEVICE,
        prev,
        record["hash"],
        project_no,
        record["taskCode"],
        record["taskName"],
        record["deptCode"],
        record["deptName"],
        record["areaCode"],
        record["windowNo"],
        record["staffId"],
        record["staffName"],
        record["pf"],
        satisfaction,
        json.dumps(eval_detail),
        "",
        record["acceptTime"],
        assess_time,
        1,
        0,
        "1",
        "111",
        cipher.seal({"userName": name, "certNo": cert_no, "mobile": mobile}, f"rating:{evaluation_id}"),
        record["extraPresses"],
    )
    return record, row


V2_DEVICE = "P-FIXTUREV2000000"


def make_v2(target: Path) -> None:
    """What the version-2 pad leaves: five sessions, four chained ratings, presses, keyed hashes.

    - seq 1 (陈明): accepted; the press that chose it and an extra press are logged.
    - seq 2 (林晓芳): rejected by the province, a dead letter.
    - seq 3 (王磊): pending after two failed attempts.
    - seq 4: a second rating for 林晓芳's session, which version 2 did not refuse; pending, never tried.
    - a session whose level was chosen with the reason picker open when the pad stopped (no record yet),
      and a timed-out session.
    """
    target.mkdir(parents=True)
    cipher = PersonalDataCipher(load_or_create_master_key(target / "secrets"))
    db = sqlite3.connect(target / "kiosk.sqlite3", isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA foreign_keys = ON")
    migrate(db, MigrationContext(cipher), target=2)
    db.execute("BEGIN")
    db.execute("INSERT INTO meta VALUES ('device_id', ?)", (V2_DEVICE,))
    # (person, state, channel, rated_at, chosen_level, extra_presses)
    sessions: list[tuple[tuple[str, str, str], str, str | None, str | None, int | None, int]] = [
        (PEOPLE[0], "rated", "1", "2026-11-27T09:31:05+08:00", 5, 1),
        (PEOPLE[1], "rated", "1", "2026-11-27T09:41:05+08:00", 2, 0),
        (PEOPLE[2], "rated", "1", "2026-11-27T09:51:05+08:00", 4, 0),
        (PEOPLE[0], "rated", "1", "2026-11-27T10:01:05+08:00", 2, 0),
        (PEOPLE[1], "timed_out", None, None, None, 0),
    ]
    session_ids = []
    for index, (person, state, channel, rated_at, chosen_level, extra) in enumerate(sessions):
        session_id = str(uuid.UUID(int=index + 11))
        session_ids.append(session_id)
        name, cert_no, mobile = person
        db.execute(
            "INSERT INTO sessions (session_id, project_no, task_code, task_name, accept_time, finish_time, "
            "staff_id, staff_name, user_prop, cert_type, personal, state, channel, rated_at, extra_presses, "
            "created_at, updated_at, cert_hmac, chosen_level, chosen_at) VALUES (?, ?, "
            "'1135000000359143343350111002000', '个体工商户设立登记', '2026-11-27T09:12:00+08:00', "
            "'2026-11-27T09:30:40+08:00', 'S1024', '林晓', '1', '111', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                session_id,
                f"3501022026112710{index:04d}",
                cipher.seal({"name": name, "certNo": cert_no, "mobile": mobile}, f"session:{session_id}"),
                state,
                channel,
                rated_at,
                extra,
                f"2026-11-27T09:{30 + 10 * index:02d}:00+08:00",
                rated_at or "2026-11-27T10:30:00+08:00",
                cipher.lookup_hash("111", cert_no),
                chosen_level,
                rated_at if chosen_level is not None else None,
            ),
        )
    press = "INSERT INTO press_log (at, button, level, armed, address, session_id, counted) VALUES (?, ?, ?, ?, ?, ?, ?)"
    db.execute(press, ("2026-11-27T09:31:04+08:00", 1, 5, 1, 1, session_ids[0], 1))
    db.execute(press, ("2026-11-27T09:31:05+08:00", 1, 5, 0, 1, session_ids[0], 0))
    db.execute(press, ("2026-11-27T09:35:00+08:00", 9, None, 0, 1, None, 0))
    db.execute(press, ("2026-11-27T10:01:05+08:00", 4, 2, 1, 1, session_ids[3], 1))
    # (session index, satisfaction, reasons, assessTime, sending status, attempts, error)
    ratings = [
        (0, 5, [], "2026-11-27T09:31:05+08:00", "accepted", 1, ""),
        (
            1,
            2,
            ["207"],
            "2026-11-27T09:41:05+08:00",
            "dead",
            1,
            '{"code": "invalid_field", "field": "evalDetail"}',
        ),
        (2, 4, [], "2026-11-27T09:51:05+08:00", "pending", 2, ""),
        (1, 2, ["207"], "2026-11-27T09:41:09+08:00", "pending", 0, ""),
    ]
    prev = GENESIS_HASH
    for seq, (index, satisfaction, reasons, assess_time, status, attempts, error) in enumerate(ratings, 1):
        record, row = _sealed_rating(
            cipher,
            seq=seq,
            prev=prev,
            session_id=session_ids[index],
            project_no=f"3501022026112710{index:04d}",
            person=sessions[index][0],
            satisfaction=satisfaction,
            eval_detail=reasons,
            assess_time=assess_time,
        )
        prev = record["hash"]
        db.execute(f"INSERT INTO ratings VALUES ({', '.join('?' * 27)})", row)
        db.execute(
            "INSERT INTO sending (seq, status, attempts, error, updated_at) VALUES (?, ?, ?, ?, ?)",
            (seq, status, attempts, error, "2026-11-27T10:30:00+08:00"),
        )
    db.execute("COMMIT")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    for leftover in ("kiosk.sqlite3-wal", "kiosk.sqlite3-shm"):
        (target / leftover).unlink(missing_ok=True)


V3_DEVICE = "P-FIXTUREV3000000"


def make_v3(target: Path) -> None:
    """What the version-3 pad leaves, made by its own Ledger: four chained ratings and a timed-out session.

    - seq 1 (陈明): accepted.
    - seq 2 (林晓芳): a dead letter.
    - seq 3 (王磊): pending after two failed attempts.
    - seq 4 (陈明, another 办件): pending, never tried (no sending row).
    - a timed-out session of 林晓芳's.
    """
    from datetime import datetime, timedelta, timezone

    from kiosk.domain.clock import ManualClock
    from kiosk.domain.hall import Placement
    from kiosk.domain.sessions import SessionState
    from kiosk.domain.validation import validate_session_request
    from kiosk.store.ledger import Ledger, Outcome
    from kiosk.store.migrations import LATEST, schema_version

    assert LATEST == 3, "a fixture is made while its version is the newest (ledger-v3 is kept, not made)"
    cst = timezone(timedelta(hours=8))
    ledger = Ledger.open(target, ManualClock(datetime(2026, 11, 27, 10, 30, tzinfo=cst)), V3_DEVICE)
    assert schema_version(ledger._db) == 3
    placement = Placement(
        "350102-ZWFW", "鼓楼区政务服务中心", "350102", "A07", "11350102003622411H", "鼓楼区市场监督管理局"
    )
    from kiosk.domain.validation import id_check_character

    # The v1 and v2 fixtures wrote their rows directly; the Ledger checks each ID number's check digit.
    valid = [
        (name, cert_no[:17] + id_check_character(cert_no[:17]), mobile) for name, cert_no, mobile in PEOPLE
    ]
    people = [valid[0], valid[1], valid[2], valid[0], valid[1]]
    sessions = []
    for index, (name, cert_no, mobile) in enumerate(people):
        body = {
            "projectNo": f"3501022026112720{index:04d}",
            "taskCode": "1135000000359143343350111002000",
            "taskName": "个体工商户设立登记",
            "acceptTime": "2026-11-27T09:12:00+08:00",
            "finishTime": "2026-11-27T09:30:40+08:00" if index != 3 else "",
            "applicant": {
                "name": name,
                "userProp": "1",
                "certType": "111",
                "certNo": cert_no,
                "mobile": mobile,
            },
        }
        request = validate_session_request(body, now=datetime(2026, 11, 27, 10, 30, tzinfo=cst))
        sessions.append(ledger.add_session(request, "S1024", "林晓"))
    for index, session in enumerate(sessions[:4]):
        ledger.record_rating(
            session,
            satisfaction=(5, 2, 4, 3)[index],
            pf="5",
            assess_time=f"2026-11-27T09:{31 + index:02d}:05+08:00",
            placement=placement,
            eval_detail=["207"] if index == 1 else [],
        )
    ledger.set_session_state(sessions[4].session_id, SessionState.TIMED_OUT)
    ledger.record_outcomes(
        [
            Outcome(1, "accepted"),
            Outcome(2, "dead", '{"code": "invalid_field", "field": "evalDetail"}'),
        ]
    )
    ledger.count_attempt([3])
    ledger.count_attempt([3])
    ledger._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    ledger.close()
    for leftover in ("kiosk.sqlite3-wal", "kiosk.sqlite3-shm", "kiosk.lock"):
        (target / leftover).unlink(missing_ok=True)


MAKERS = {1: make_v1, 2: make_v2, 3: make_v3}


def main() -> int:
    for version, maker in MAKERS.items():
        target = HERE / f"ledger-v{version}"
        if target.exists():
            print(f"{target.name}: kept (fixtures are never regenerated)")
            continue
        maker(target)
        print(f"{target.name}: made")
    return 0


if __name__ == "__main__":
    sys.exit(main())
