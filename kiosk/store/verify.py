"""`kiosk store verify`: the ledger checked from what is stored, not from what the pad believes."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from kiosk.domain.record import GENESIS_HASH, record_hash
from kiosk.store.crypto import MASTER_KEY_FILE, PersonalDataCipher
from kiosk.store.db import LEDGER_FILE
from kiosk.store.errors import LedgerError
from kiosk.store.ledger import SECRETS_DIR
from kiosk.store.migrations import LATEST, schema_version
from kiosk.store.rows import row_to_record


@dataclass(frozen=True)
class Verification:
    records: int
    problem: str = ""

    @property
    def ok(self) -> bool:
        return not self.problem

    def __str__(self) -> str:
        return f"ok: {self.records} records" if self.ok else self.problem


def verify(data_dir: Path) -> Verification:
    """Checks SQLite's integrity, the schema, gapless seq, and every hash and prevHash, each hash
    recomputed from the stored columns and the decrypted personal fields; and that nothing which names a
    record (its sending state, its session) names one that is not there."""
    path = data_dir / LEDGER_FILE
    if not path.exists():
        return Verification(0)
    try:
        db = sqlite3.connect(f"file:{path}?mode=rw", uri=True, isolation_level=None)
    except sqlite3.Error as exc:
        return Verification(0, f"cannot open {path}: {exc}")
    db.row_factory = sqlite3.Row
    # A tampered column may hold bytes that are not UTF-8; read them anyway, so the hash check names the seq.
    db.text_factory = lambda raw: raw.decode("utf-8", "surrogateescape")
    try:
        return _verify(db, data_dir)
    except sqlite3.Error as exc:
        return Verification(0, f"cannot read the ledger: {exc}")
    finally:
        db.close()


def _verify(db: sqlite3.Connection, data_dir: Path) -> Verification:  # noqa: PLR0911, PLR0912 - one check after another, each returning the first problem
    integrity = [row[0] for row in db.execute("PRAGMA integrity_check").fetchall()]
    if integrity != ["ok"]:
        return Verification(0, f"integrity check failed: {'; '.join(integrity[:3])}")
    version = schema_version(db)
    if version > LATEST:
        return Verification(0, f"schema version {version} is newer than this kiosk ({LATEST})")
    if version == 0:
        return Verification(0)
    key_path = data_dir / SECRETS_DIR / MASTER_KEY_FILE
    cipher: PersonalDataCipher | None = None
    if key_path.exists():
        cipher = PersonalDataCipher(key_path.read_bytes())
    expected_seq, prev_hash, count = 1, GENESIS_HASH, 0
    sent = {row[0] for row in db.execute("SELECT seq FROM sending")}
    # Up to version 2 every record had its sending row; from version 3 a pending one has none, and its
    # session names it instead.
    every_record_sent = version < 3
    for row in db.execute("SELECT * FROM ratings ORDER BY seq"):
        seq = row["seq"]
        if seq != expected_seq:
            return Verification(
                count, f"chain broken at seq {expected_seq}: record missing (next stored is {seq})"
            )
        if cipher is None:
            return Verification(count, f"chain broken at seq {seq}: the key in {SECRETS_DIR}/ is missing")
        try:
            record = row_to_record(row, cipher)
        except LedgerError:
            return Verification(count, f"chain broken at seq {seq}: personal data altered or moved")
        except (ValueError, TypeError) as exc:
            return Verification(
                count, f"chain broken at seq {seq}: unreadable field ({exc.__class__.__name__})"
            )
        if record["prevHash"] != prev_hash:
            return Verification(
                count, f"chain broken at seq {seq}: prevHash does not match the hash of seq {seq - 1}"
            )
        try:
            recomputed = record_hash(record)
        except (ValueError, TypeError) as exc:
            return Verification(count, f"chain broken at seq {seq}: record cannot be hashed ({exc})")
        if recomputed != record["hash"]:
            return Verification(
                count, f"chain broken at seq {seq}: stored fields do not match the record's hash"
            )
        if every_record_sent and seq not in sent:
            return Verification(count, f"chain broken at seq {seq}: its sending state is missing")
        prev_hash, expected_seq, count = record["hash"], seq + 1, count + 1
    orphans = sorted(seq for seq in sent if seq >= expected_seq)
    if orphans:
        return Verification(
            count, f"chain broken at seq {orphans[0]}: record missing (its sending state remains)"
        )
    if not every_record_sent:
        named = db.execute(
            "SELECT s.rating_seq, r.seq IS NULL AS missing FROM sessions s "
            "LEFT JOIN ratings r ON r.seq = s.rating_seq "
            "WHERE s.rating_seq IS NOT NULL AND (r.seq IS NULL OR r.session_id IS NOT s.session_id) "
            "ORDER BY s.rating_seq LIMIT 1"
        ).fetchone()
        if named is not None:
            problem = (
                "record missing (its session remains)" if named["missing"] else "record and session disagree"
            )
            return Verification(count, f"chain broken at seq {named['rating_seq']}: {problem}")
    return Verification(count)
