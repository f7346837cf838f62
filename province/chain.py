"""A device's chain as the province holds it: gaps, breaks, and how far it is held without a gap."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from province.identifiers import ZERO_HASH


@dataclass(frozen=True)
class ChainReport:
    """The province's view of one device's chain.

    Attributes:
        device_id: the device.
        held: how many records hold a place (a seq) in the chain, whatever their status.
        accepted_seq: the highest seq up to which the chain is held without a gap (0 when seq 1 is not).
        breaks: the seqs whose prevHash is not the hash held for seq − 1 (64 zeros for seq 1).
        gaps: missing seqs below the highest one held, as inclusive (first, last) ranges.
    """

    device_id: str
    held: int
    accepted_seq: int
    breaks: tuple[int, ...]
    gaps: tuple[tuple[int, int], ...]

    @property
    def ok(self) -> bool:
        """Whether the chain held so far is whole: no gap and no break."""
        return not self.breaks and not self.gaps

    def to_json(self) -> dict[str, Any]:
        """The report as the sandbox's inspection endpoint serves it."""
        return {
            "ok": self.ok,
            "held": self.held,
            "acceptedSeq": self.accepted_seq,
            "breaks": list(self.breaks),
            "gaps": [list(gap) for gap in self.gaps],
        }


def chain_report(conn: sqlite3.Connection, device_id: str) -> ChainReport:
    """Recomputes a device's chain from the hashes stored for it.

    Args:
        conn: a connection to the sandbox database.
        device_id: the device.
    """
    rows = conn.execute(
        "SELECT seq, hash, prev_hash FROM evaluations WHERE device_id = ? AND placed = 1 ORDER BY seq",
        (device_id,),
    ).fetchall()
    breaks: list[int] = []
    gaps: list[tuple[int, int]] = []
    last_seq, last_hash = 0, ZERO_HASH
    for row in rows:
        if row["seq"] > last_seq + 1:
            gaps.append((last_seq + 1, row["seq"] - 1))
        elif row["prev_hash"] != last_hash:
            breaks.append(row["seq"])
        last_seq, last_hash = row["seq"], row["hash"]
    accepted_seq = gaps[0][0] - 1 if gaps else last_seq
    return ChainReport(device_id, len(rows), accepted_seq, tuple(breaks), tuple(gaps))


def link(conn: sqlite3.Connection, device_id: str, seq: int, prev_hash: str, record_hash: str) -> bool:
    """Judges a record about to take seq in the chain, and re-judges the record after it, if held.

    A record can arrive before the one it follows (its predecessor's first copy had a broken hash, say); its
    link is judged again when the predecessor takes its place.

    Args:
        conn: a connection inside the transaction that stores the record.
        device_id: the device.
        seq: the record's seq.
        prev_hash: the record's prevHash.
        record_hash: the record's own hash.

    Returns:
        Whether the record breaks the chain: its prevHash is not what the province holds for seq − 1.
    """
    if seq == 1:
        expected: str | None = ZERO_HASH
    else:
        row = conn.execute(
            "SELECT hash FROM evaluations WHERE device_id = ? AND seq = ? AND placed = 1",
            (device_id, seq - 1),
        ).fetchone()
        expected = row["hash"] if row else None
    conn.execute(
        "UPDATE evaluations SET chain_break = (prev_hash != ?)"
        " WHERE device_id = ? AND seq = ? AND placed = 1",
        (record_hash, device_id, seq + 1),
    )
    return expected is not None and prev_hash != expected
