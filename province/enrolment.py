"""Enrolment codes, devices and their secrets, and the nonces each device has used."""

from __future__ import annotations

import json
import secrets
import sqlite3
from dataclasses import dataclass
from typing import Any

from province.errors import DeviceIdTakenError, EnrollCodeInvalidError, UnknownWindowError
from province.halls import window_place

# A technician types the code: no 0/O, no 1/I/L.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
SECRET_BYTES = 32
NONCE_WINDOW_S = 600


@dataclass(frozen=True)
class Device:
    """An enrolled device: its key, its window, and whether the province has revoked it."""

    device_id: str
    secret: bytes
    hall_code: str
    window_no: str
    revoked: bool


def normalise_code(code: str) -> str:
    """An enrolment code as stored: upper case, without surrounding spaces."""
    return code.strip().upper()


def issue_code(conn: sqlite3.Connection, hall_code: str, window_no: str, now: float) -> str:
    """Issues a new single-use enrolment code for a window, like `K7Q2-9XDM`.

    Raises:
        UnknownWindowError: when the hall or the window is not in the sandbox.
    """
    if window_place(conn, hall_code, window_no) is None:
        raise UnknownWindowError(f"there is no window {window_no!r} in hall {hall_code!r}")
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
        code = f"{code[:4]}-{code[4:]}"
        inserted = conn.execute(
            "INSERT OR IGNORE INTO enroll_codes (code, hall_code, window_no, issued_at) VALUES (?, ?, ?, ?)",
            (code, hall_code, window_no, now),
        )
        if inserted.rowcount == 1:
            return code


def enroll(
    conn: sqlite3.Connection, code: str, device_id: str, *, app_version: str, hardware: Any, now: float
) -> bytes:
    """Spends an enrolment code on a device and returns the device's secret.

    The same code with the same deviceId again returns the same secret: the device's first answer may have
    been lost. A device already enrolled at the code's window is given a new secret (it was reinstalled, or
    revoked and allowed back by a new code).

    Raises:
        EnrollCodeInvalidError: for an unknown code, or one used by another device.
        DeviceIdTakenError: when the deviceId is enrolled at another window.
    """
    ticket = conn.execute("SELECT * FROM enroll_codes WHERE code = ?", (normalise_code(code),)).fetchone()
    if ticket is None:
        raise EnrollCodeInvalidError("unknown enrolment code")
    if ticket["used_by"] is not None:
        again = conn.execute(
            "SELECT secret FROM devices WHERE device_id = ? AND enroll_code = ?", (device_id, ticket["code"])
        ).fetchone()
        if again is None:
            raise EnrollCodeInvalidError("this enrolment code has been used")
        return bytes(again["secret"])
    known = conn.execute(
        "SELECT hall_code, window_no FROM devices WHERE device_id = ?", (device_id,)
    ).fetchone()
    if known is not None and tuple(known) != (ticket["hall_code"], ticket["window_no"]):
        raise DeviceIdTakenError("this deviceId is enrolled at another window")
    secret = secrets.token_bytes(SECRET_BYTES)
    conn.execute(
        "INSERT INTO devices (device_id, secret, hall_code, window_no, enroll_code, app_version, hardware,"
        " enrolled_at, revoked) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0) ON CONFLICT (device_id) DO UPDATE SET"
        " secret = excluded.secret, enroll_code = excluded.enroll_code, app_version = excluded.app_version,"
        " hardware = excluded.hardware, enrolled_at = excluded.enrolled_at, revoked = 0",
        (device_id, secret, ticket["hall_code"], ticket["window_no"], ticket["code"], app_version,
         json.dumps(hardware), now),
    )  # fmt: skip
    conn.execute(
        "UPDATE enroll_codes SET used_by = ?, used_at = ? WHERE code = ?", (device_id, now, ticket["code"])
    )
    return secret


def add_device(
    conn: sqlite3.Connection, device_id: str, hall_code: str, window_no: str, *, secret: bytes, now: float
) -> None:
    """Enrols a device without a code, with a given secret (fixtures, the spec's worked examples).

    Raises:
        UnknownWindowError: when the hall or the window is not in the sandbox.
        DeviceIdTakenError: when the deviceId is already enrolled.
    """
    if window_place(conn, hall_code, window_no) is None:
        raise UnknownWindowError(f"there is no window {window_no!r} in hall {hall_code!r}")
    try:
        conn.execute(
            "INSERT INTO devices (device_id, secret, hall_code, window_no, enrolled_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (device_id, secret, hall_code, window_no, now),
        )
    except sqlite3.IntegrityError as exc:
        raise DeviceIdTakenError("this deviceId is already enrolled") from exc


def find_device(conn: sqlite3.Connection, device_id: str) -> Device | None:
    """The enrolled device with this id, or None."""
    row = conn.execute(
        "SELECT device_id, secret, hall_code, window_no, revoked FROM devices WHERE device_id = ?",
        (device_id,),
    ).fetchone()
    if row is None:
        return None
    return Device(
        row["device_id"], bytes(row["secret"]), row["hall_code"], row["window_no"], bool(row["revoked"])
    )


def remember_nonce(conn: sqlite3.Connection, device_id: str, nonce: str, now: float) -> bool:
    """Remembers a nonce of a device for 600 s.

    Returns:
        False when the device used this nonce in the last 600 s (a replay), else True.
    """
    conn.execute("DELETE FROM nonces WHERE seen_at < ?", (now - NONCE_WINDOW_S,))
    inserted = conn.execute(
        "INSERT OR IGNORE INTO nonces (device_id, nonce, seen_at) VALUES (?, ?, ?)", (device_id, nonce, now)
    )
    return inserted.rowcount == 1
