"""The window's results (rules.md R11): ratings per level over a period, from what the ledger holds."""

from __future__ import annotations

from datetime import datetime

from kiosk.store.db import LedgerDb


def level_counts(db: LedgerDb, start: datetime, end: datetime) -> dict[int, int]:
    """Ratings per level assessed in [start, end), superseded ones left out (they do not count)."""
    with db.read() as conn:
        rows = conn.execute(
            "SELECT satisfaction, COUNT(*) AS n FROM ratings "
            "WHERE unixepoch(assess_time) >= ? AND unixepoch(assess_time) < ? "
            "AND seq NOT IN (SELECT seq FROM sending WHERE status = 'superseded') "
            "GROUP BY satisfaction",
            (int(start.timestamp()), int(end.timestamp())),
        ).fetchall()
    return {int(r["satisfaction"]): int(r["n"]) for r in rows}
