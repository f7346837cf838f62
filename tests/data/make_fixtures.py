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


MAKERS = {1: make_v1}


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
