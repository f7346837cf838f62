"""Halls, windows, their departments and staff rosters, and each hall's settings for its pads."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

# uplink `config.settings` when the hall sets nothing (the pad's own defaults, cli.md). qrUrlTemplate has no
# default here: the service builds it from its own address.
DEFAULT_SETTINGS: dict[str, Any] = {"rateTimeoutS": 60, "defaultAfterDays": 7, "heartbeatS": 60}
SETTING_KEYS = frozenset({*DEFAULT_SETTINGS, "qrUrlTemplate"})


@dataclass(frozen=True)
class WindowPlace:
    """Where a window stands: its hall and the department that serves there."""

    hall_code: str
    hall_name: str
    area_code: str
    window_no: str
    dept_code: str
    dept_name: str


@dataclass(frozen=True)
class StaffMember:
    """One member of a window's roster; `photo_png` is None when the hall has no photo."""

    staff_id: str
    name: str
    title: str
    photo_png: bytes | None = None


def window_place(conn: sqlite3.Connection, hall_code: str, window_no: str) -> WindowPlace | None:
    """The window `window_no` of hall `hall_code`, or None when the sandbox has no such window."""
    row = conn.execute(
        "SELECT h.code, h.name, h.area_code, w.window_no, d.code AS dept_code, d.name AS dept_name"
        " FROM windows w JOIN halls h ON h.code = w.hall_code JOIN departments d ON d.code = w.dept_code"
        " WHERE w.hall_code = ? AND w.window_no = ?",
        (hall_code, window_no),
    ).fetchone()
    return WindowPlace(*row) if row else None


def roster(conn: sqlite3.Connection, hall_code: str, window_no: str) -> list[StaffMember]:
    """The staff who serve at a window, in roster order."""
    rows = conn.execute(
        "SELECT s.staff_id, s.name, s.title, s.photo_png FROM window_staff ws"
        " JOIN staff s ON s.staff_id = ws.staff_id"
        " WHERE ws.hall_code = ? AND ws.window_no = ? ORDER BY ws.position, s.staff_id",
        (hall_code, window_no),
    ).fetchall()
    return [StaffMember(*row) for row in rows]


def add_staff(conn: sqlite3.Connection, hall_code: str, window_no: str, member: StaffMember) -> None:
    """Adds a member (or updates one with the same staffId) at the end of a window's roster."""
    conn.execute(
        "INSERT INTO staff (staff_id, name, title, photo_png) VALUES (?, ?, ?, ?) ON CONFLICT (staff_id)"
        " DO UPDATE SET name = excluded.name, title = excluded.title, photo_png = excluded.photo_png",
        (member.staff_id, member.name, member.title, member.photo_png),
    )
    conn.execute(
        "INSERT OR IGNORE INTO window_staff (hall_code, window_no, staff_id, position) VALUES (?, ?, ?,"
        " (SELECT COALESCE(MAX(position) + 1, 0) FROM window_staff WHERE hall_code = ? AND window_no = ?))",
        (hall_code, window_no, member.staff_id, hall_code, window_no),
    )


def hall_settings(conn: sqlite3.Connection, hall_code: str) -> dict[str, Any]:
    """The hall's settings for its pads: the defaults, overridden by what the hall has set."""
    rows = conn.execute("SELECT key, value FROM hall_settings WHERE hall_code = ?", (hall_code,)).fetchall()
    return {**DEFAULT_SETTINGS, **{row["key"]: json.loads(row["value"]) for row in rows}}


def set_hall_setting(conn: sqlite3.Connection, hall_code: str, key: str, value: Any) -> None:
    """Sets one of the hall's settings (a key of `config.settings`).

    Raises:
        ValueError: for a key that is not a setting of the uplink's config.
    """
    if key not in SETTING_KEYS:
        raise ValueError(f"{key!r} is not one of the config settings {sorted(SETTING_KEYS)}")
    conn.execute(
        "INSERT INTO hall_settings (hall_code, key, value) VALUES (?, ?, ?)"
        " ON CONFLICT (hall_code, key) DO UPDATE SET value = excluded.value",
        (hall_code, key, json.dumps(value, ensure_ascii=False)),
    )
