"""A hall's public notices (政务公开, Art. 12), served to its pads in `config.notices`."""

from __future__ import annotations

import base64
import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")


@dataclass(frozen=True)
class Notice:
    """One notice: shown on the idle screens of the hall's pads from `from_date` to `until_date` inclusive.

    Attributes:
        notice_id: the hall's own id for it.
        title: a short title.
        body: the text.
        from_date: the first day, YYYY-MM-DD.
        until_date: the last day, YYYY-MM-DD.
        image_png: an optional PNG.
    """

    notice_id: str
    title: str
    body: str
    from_date: str
    until_date: str
    image_png: bytes | None = None

    def to_json(self) -> dict[str, str]:
        """The notice as `config.notices` carries it."""
        answer = {"id": self.notice_id, "title": self.title, "body": self.body}
        if self.image_png:
            answer["image"] = base64.b64encode(self.image_png).decode("ascii")
        return answer | {"from": self.from_date, "until": self.until_date}


def hall_notices(conn: sqlite3.Connection, hall_code: str) -> list[Notice]:
    """The hall's notices, in the order it gave them."""
    rows = conn.execute(
        "SELECT * FROM notices WHERE hall_code = ? ORDER BY position, notice_id", (hall_code,)
    ).fetchall()
    return [
        Notice(
            row["notice_id"], row["title"], row["body"], row["from_date"], row["until_date"], row["image_png"]
        )
        for row in rows
    ]


def replace_notices(conn: sqlite3.Connection, hall_code: str, notices: Sequence[Notice]) -> None:
    """Makes these the hall's notices, in this order.

    Raises:
        ValueError: for a date that is not YYYY-MM-DD, a period that ends before it starts, or an id twice.
    """
    if len({notice.notice_id for notice in notices}) != len(notices):
        raise ValueError("two notices have the same id")
    for notice in notices:
        if not (_DATE.match(notice.from_date) and _DATE.match(notice.until_date)):
            raise ValueError(f"notice {notice.notice_id}: dates are YYYY-MM-DD")
        if notice.until_date < notice.from_date:
            raise ValueError(f"notice {notice.notice_id}: until is before from")
    conn.execute("DELETE FROM notices WHERE hall_code = ?", (hall_code,))
    conn.executemany(
        "INSERT INTO notices (hall_code, notice_id, position, title, body, image_png, from_date, until_date)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (hall_code, n.notice_id, i, n.title, n.body, n.image_png, n.from_date, n.until_date)
            for i, n in enumerate(notices)
        ],
    )


def notices_json(notices: Sequence[Notice]) -> list[dict[str, Any]]:
    """`config.notices`."""
    return [notice.to_json() for notice in notices]
