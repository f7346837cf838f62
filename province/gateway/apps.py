"""Apps issued for windows, their tokens, and the ratings taken through the gateway (SQL, in the caller's
transaction).

An app is also enrolled as a device of its window, with the app_key as deviceId and a key of its own, so
that the sandbox's phone page checks the QR codes of `getSaveEvaluationUrl` as it checks any device's.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import uuid
from dataclasses import dataclass
from typing import Any

from province import enrolment
from province.errors import UnknownWindowError
from province.halls import window_place
from province.projects import rate_elsewhere, report_project

TOKEN_LIFETIME_S = 7200
REFRESH_LIFETIME_S = 86400
# Tokens this long expired are forgotten when a new one is issued.
TOKEN_MEMORY_S = 86400


@dataclass(frozen=True)
class GatewayApp:
    """An app issued for a window: its key, its secret, and where it stands."""

    app_key: str
    app_code: str
    hall_code: str
    window_no: str

    def __repr__(self) -> str:  # app_code is a secret: never in a log line
        return f"GatewayApp(app_key={self.app_key!r}, hall_code={self.hall_code!r}, window_no={self.window_no!r})"


@dataclass(frozen=True)
class GatewayRating:
    """A rating the gateway took: the province's id for it and the Case's elements as sent."""

    evaluate_unid: str
    project_no: str
    app_key: str
    case_fields: dict[str, str]
    received_at: float


def issue_app(conn: sqlite3.Connection, hall_code: str, window_no: str, now: float) -> GatewayApp:
    """A new app for a window (and its device, which makes its QR codes).

    Raises:
        UnknownWindowError: when the hall or the window is not in the sandbox.
    """
    if window_place(conn, hall_code, window_no) is None:
        raise UnknownWindowError(f"there is no window {window_no!r} in hall {hall_code!r}")
    app = GatewayApp(secrets.token_hex(16), secrets.token_hex(16), hall_code, window_no)
    conn.execute(
        "INSERT INTO gateway_apps (app_key, app_code, hall_code, window_no, issued_at) VALUES (?, ?, ?, ?, ?)",
        (app.app_key, app.app_code, hall_code, window_no, now),
    )
    secret = secrets.token_bytes(enrolment.SECRET_BYTES)
    enrolment.add_device(conn, app.app_key, hall_code, window_no, secret=secret, now=now)
    return app


def find_app(conn: sqlite3.Connection, app_key: str) -> GatewayApp | None:
    """The app with this key, or None."""
    row = conn.execute(
        "SELECT app_key, app_code, hall_code, window_no FROM gateway_apps WHERE app_key = ?", (app_key,)
    ).fetchone()
    return GatewayApp(*row) if row else None


def issue_token(conn: sqlite3.Connection, app_key: str, now: float) -> str:
    """A new access token for an app, valid for TOKEN_LIFETIME_S."""
    conn.execute("DELETE FROM gateway_tokens WHERE expires_at < ?", (now - TOKEN_MEMORY_S,))
    token = secrets.token_urlsafe(24)
    conn.execute(
        "INSERT INTO gateway_tokens (token, app_key, issued_at, expires_at) VALUES (?, ?, ?, ?)",
        (token, app_key, now, now + TOKEN_LIFETIME_S),
    )
    return token


def token_app(conn: sqlite3.Connection, token: str, now: float) -> GatewayApp | None:
    """The app whose unexpired token this is, or None."""
    row = conn.execute(
        "SELECT a.app_key, a.app_code, a.hall_code, a.window_no FROM gateway_tokens t"
        " JOIN gateway_apps a ON a.app_key = t.app_key WHERE t.token = ? AND t.expires_at > ?",
        (token, now),
    ).fetchone()
    return GatewayApp(*row) if row else None


def expire_token(conn: sqlite3.Connection, token: str, now: float) -> None:
    """Ends a token now (an injected early expiry)."""
    conn.execute("UPDATE gateway_tokens SET expires_at = MIN(expires_at, ?) WHERE token = ?", (now, token))


@dataclass(frozen=True)
class GatewayRatingInput:
    """A checked rating from a Case, as the province stores it.

    Attributes:
        case_fields: the Case's elements as sent (projectNo and pf among them).
        satisfaction: 1..5.
        eval_detail: its reason codes.
        assess_time: when it was made, ISO 8601 with offset.
    """

    case_fields: dict[str, str]
    satisfaction: int
    eval_detail: list[str]
    assess_time: str


@dataclass(frozen=True)
class CaseReport:
    """A 办件 as a Case describes it, in the terms of `POST /projects`."""

    project_no: str
    task_code: str
    task_name: str
    accept_time: str
    applicant: dict[str, str]


def take_rating(conn: sqlite3.Connection, app_key: str, rating: GatewayRatingInput, now: float) -> str:
    """Stores a rating as the province's first rating of its 办件 (pf as sent) and returns its evaluateUnid.

    Raises:
        AlreadyRatedError: when the 办件 already has a first rating, from any channel.
    """
    project_no = rating.case_fields["projectNo"]
    rate_elsewhere(
        conn,
        project_no,
        satisfaction=rating.satisfaction,
        pf=rating.case_fields["pf"],
        eval_detail=rating.eval_detail,
        assess_time=rating.assess_time,
        now=now,
    )
    evaluate_unid = uuid.uuid4().hex
    conn.execute(
        "INSERT INTO gateway_ratings (evaluate_unid, project_no, app_key, case_fields, received_at)"
        " VALUES (?, ?, ?, ?, ?)",
        (evaluate_unid, project_no, app_key, json.dumps(rating.case_fields, ensure_ascii=False), now),
    )
    return evaluate_unid


def report_if_new(conn: sqlite3.Connection, report: CaseReport, now: float) -> None:
    """Reports the 办件 a Case describes, unless the case system (or an earlier call) already has."""
    if conn.execute("SELECT 1 FROM projects WHERE project_no = ?", (report.project_no,)).fetchone():
        return
    report_project(
        conn,
        report.project_no,
        task_code=report.task_code,
        task_name=report.task_name,
        accept_time=report.accept_time,
        applicant=report.applicant,
        now=now,
    )


def rating_of(conn: sqlite3.Connection, project_no: str) -> GatewayRating | None:
    """The rating the gateway took for a 办件, or None."""
    row = conn.execute(
        "SELECT evaluate_unid, project_no, app_key, case_fields, received_at FROM gateway_ratings"
        " WHERE project_no = ?",
        (project_no,),
    ).fetchone()
    if row is None:
        return None
    fields: dict[str, Any] = json.loads(row["case_fields"])
    return GatewayRating(row["evaluate_unid"], row["project_no"], row["app_key"], fields, row["received_at"])


def ratings_of_app(conn: sqlite3.Connection, app_key: str) -> list[GatewayRating]:
    """Every rating the gateway took from an app, in the order it took them."""
    rows = conn.execute(
        "SELECT evaluate_unid, project_no, app_key, case_fields, received_at FROM gateway_ratings"
        " WHERE app_key = ? ORDER BY rowid",
        (app_key,),
    ).fetchall()
    return [
        GatewayRating(
            row["evaluate_unid"],
            row["project_no"],
            row["app_key"],
            json.loads(row["case_fields"]),
            row["received_at"],
        )
        for row in rows
    ]
