"""`SandboxStore`: the sandbox's whole state in one SQLite file, for the service, tests and the pad's demo.

Every method is one transaction and safe to call from any thread, and from another process on the same file
(the service and `kiosk sandbox issue-code` share it). Times come from the store's clock, so that a test can
hold the service's time still.
"""

from __future__ import annotations

import json
import random
import secrets
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from province import enrolment, halls, lookup, notices, overview, projects
from province.catalogue import Catalogue, national_catalogue
from province.chain import ChainReport, chain_report
from province.db import Database
from province.enrolment import Device
from province.gateway import apps as gateway_apps
from province.gateway.apps import CaseReport, GatewayApp, GatewayRating, GatewayRatingInput
from province.halls import StaffMember, WindowPlace
from province.ingest import Outcome, ingest_batch
from province.lookup import LookupRequest
from province.notices import Notice
from province.overview import Overview
from province.projects import FirstRating, Project
from province.records import RecordProblem

DEFAULT_DB = Path("sandbox.sqlite3")
FAULT_KINDS = ("error", "drop", "delay", "token_expiry")


@dataclass(frozen=True)
class StoredRecord:
    """A record as the province stored it, with its status and its place in the device's chain.

    Attributes:
        evaluation_id: the record's evaluationId.
        seq: the seq the record claims.
        hash: its own (intact) hash.
        prev_hash: its prevHash.
        status: `accepted`, `conflict` or `rejected` (a `duplicate` is not stored twice).
        error: why it was rejected, else None.
        placed: whether it holds its seq in the chain (False for a second record claiming a held seq).
        chain_break: whether its prevHash is not the hash held for seq − 1.
        record: the record as sent.
        received_at: server time of its arrival, unix seconds.
    """

    evaluation_id: str
    seq: int
    hash: str
    prev_hash: str
    status: str
    error: RecordProblem | None
    placed: bool
    chain_break: bool
    record: dict[str, Any]
    received_at: float


class SandboxStore:
    """The sandbox's state: the demo hall, devices, ratings and their chains, 办件, fault counts.

    Args:
        path: the SQLite file; created with the demo hall (`province.seed`) when it does not exist.
        clock: the server's time in unix seconds (tests may hold it still).
        catalogue: reason codes and certificate types; the national set of rules.md by default.
    """

    def __init__(
        self,
        path: str | Path = DEFAULT_DB,
        *,
        clock: Callable[[], float] = time.time,
        catalogue: Catalogue | None = None,
        quote_share: float = 0.0,
    ) -> None:
        self._db = Database(path)
        self.quote_share = quote_share
        self._rng = random.Random()
        self.path = self._db.path
        self.clock = clock
        self.catalogue = catalogue or national_catalogue()

    def close(self) -> None:
        """Closes the database file."""
        self._db.close()

    def __enter__(self) -> SandboxStore:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # Halls and windows

    def window(self, hall_code: str, window_no: str) -> WindowPlace | None:
        """A window and its hall and department, or None when the sandbox has no such window."""
        with self._db.reading() as conn:
            return halls.window_place(conn, hall_code, window_no)

    def roster(self, hall_code: str, window_no: str) -> list[StaffMember]:
        """The staff who serve at a window, in roster order."""
        with self._db.reading() as conn:
            return halls.roster(conn, hall_code, window_no)

    def add_staff(self, hall_code: str, window_no: str, member: StaffMember) -> None:
        """Adds a staff member to a window's roster (changing that window's configVersion)."""
        with self._db.transaction() as conn:
            halls.add_staff(conn, hall_code, window_no, member)

    def settings(self, hall_code: str) -> dict[str, Any]:
        """The hall's `config.settings` apart from a built qrUrlTemplate."""
        with self._db.reading() as conn:
            return halls.hall_settings(conn, hall_code)

    def set_setting(self, hall_code: str, key: str, value: Any) -> None:
        """Sets one of a hall's settings (`rateTimeoutS`, `defaultAfterDays`, `heartbeatS`, `qrUrlTemplate`).

        Raises:
            ValueError: for another key.
        """
        with self._db.transaction() as conn:
            halls.set_hall_setting(conn, hall_code, key, value)

    def notices(self, hall_code: str) -> list[Notice]:
        """The hall's public notices, in order."""
        with self._db.reading() as conn:
            return notices.hall_notices(conn, hall_code)

    def set_notices(self, hall_code: str, hall_notices: Sequence[Notice]) -> None:
        """Replaces the hall's notices (changing its pads' configVersion).

        Raises:
            ValueError: for a malformed date or period, or an id given twice.
        """
        with self._db.transaction() as conn:
            notices.replace_notices(conn, hall_code, hall_notices)

    # Enrolment and devices

    def issue_code(self, hall_code: str, window_no: str) -> str:
        """A new single-use enrolment code for a window, like `K7Q2-9XDM`.

        Raises:
            UnknownWindowError: when the hall or the window is not in the sandbox.
        """
        with self._db.transaction() as conn:
            return enrolment.issue_code(conn, hall_code, window_no, self.clock())

    def enroll(self, code: str, device_id: str, app_version: str = "", hardware: Any = None) -> bytes:
        """Spends an enrolment code on a device (`POST /devices/enroll`) and returns its 32-byte secret.

        Raises:
            EnrollCodeInvalidError: for an unknown code, or one used by another device.
            DeviceIdTakenError: when the deviceId is enrolled at another window.
        """
        with self._db.transaction() as conn:
            return enrolment.enroll(
                conn, code, device_id, app_version=app_version, hardware=hardware or {}, now=self.clock()
            )

    def add_device(
        self, device_id: str, hall_code: str, window_no: str, secret: bytes | None = None
    ) -> bytes:
        """Enrols a device without a code (fixtures; the spec's worked examples) and returns its secret.

        Raises:
            UnknownWindowError: when the hall or the window is not in the sandbox.
            DeviceIdTakenError: when the deviceId is already enrolled.
        """
        key = secret if secret is not None else secrets.token_bytes(enrolment.SECRET_BYTES)
        with self._db.transaction() as conn:
            enrolment.add_device(conn, device_id, hall_code, window_no, secret=key, now=self.clock())
        return key

    def device(self, device_id: str) -> Device | None:
        """The enrolled device with this id, or None."""
        with self._db.reading() as conn:
            return enrolment.find_device(conn, device_id)

    def revoke_device(self, device_id: str) -> bool:
        """Revokes a device: its signed requests get 403 `device_revoked`. False when it is not enrolled."""
        with self._db.transaction() as conn:
            return (
                conn.execute("UPDATE devices SET revoked = 1 WHERE device_id = ?", (device_id,)).rowcount == 1
            )

    def remember_nonce(self, device_id: str, nonce: str) -> bool:
        """Remembers a signed request's nonce for 600 s; False when the device used it within them."""
        with self._db.transaction() as conn:
            return enrolment.remember_nonce(conn, device_id, nonce, self.clock())

    def record_heartbeat(self, device_id: str, heartbeat: dict[str, Any]) -> None:
        """Keeps a device's last heartbeat (for the province's view of its pads)."""
        with self._db.transaction() as conn:
            conn.execute(
                "UPDATE devices SET last_heartbeat = ?, last_heartbeat_at = ? WHERE device_id = ?",
                (json.dumps(heartbeat), self.clock(), device_id),
            )

    def heartbeat_at(self, device_id: str) -> float | None:
        """Server time of the device's last heartbeat (unix seconds), None before its first."""
        with self._db.reading() as conn:
            row = conn.execute(
                "SELECT last_heartbeat_at FROM devices WHERE device_id = ?", (device_id,)
            ).fetchone()
        return row["last_heartbeat_at"] if row else None

    # Ratings and chains

    def ingest(self, device_id: str, records: Sequence[object]) -> list[Outcome]:
        """Judges and stores a batch from a device, in one transaction (`POST /evaluations:batch`)."""
        with self._db.transaction() as conn:
            return ingest_batch(
                conn, device_id, records, self.catalogue, self.clock(), quote=self._draw_quote
            )

    def _draw_quote(self) -> bool:
        return self.quote_share > 0 and self._rng.random() < self.quote_share

    def accepted_count(self, device_id: str) -> int:
        """How many of the device's records the province has accepted (each once, however often sent)."""
        with self._db.reading() as conn:
            row = conn.execute(
                "SELECT COUNT(*) FROM evaluations WHERE device_id = ? AND status = 'accepted'", (device_id,)
            ).fetchone()
        return int(row[0])

    def records_for(self, device_id: str) -> list[StoredRecord]:
        """Every record stored for a device, in order of arrival."""
        with self._db.reading() as conn:
            rows = conn.execute(
                "SELECT * FROM evaluations WHERE device_id = ? ORDER BY id", (device_id,)
            ).fetchall()
        return [
            StoredRecord(
                row["evaluation_id"],
                row["seq"],
                row["hash"],
                row["prev_hash"],
                row["status"],
                RecordProblem(row["error_code"], row["error_field"], row["error_message"])
                if row["error_code"]
                else None,
                bool(row["placed"]),
                bool(row["chain_break"]),
                json.loads(row["record"]),
                row["received_at"],
            )
            for row in rows
        ]

    def unplaced_count(self, device_id: str) -> int:
        """How many records from the device could not be placed at all (malformed identity, broken hash)."""
        with self._db.reading() as conn:
            row = conn.execute(
                "SELECT COUNT(*) FROM unplaced_records WHERE device_id = ?", (device_id,)
            ).fetchone()
        return int(row[0])

    def chain_report(self, device_id: str) -> ChainReport:
        """The device's chain as held: breaks, gaps, and acceptedSeq."""
        with self._db.reading() as conn:
            return chain_report(conn, device_id)

    def chain_ok(self, device_id: str) -> bool:
        """Whether the device's chain is held whole: from seq 1, no gap, no break."""
        return self.chain_report(device_id).ok

    def accepted_seq(self, device_id: str) -> int:
        """The highest seq up to which the device's chain is held without a gap (0 when none)."""
        return self.chain_report(device_id).accepted_seq

    # 办件 and other channels

    def report_project(
        self,
        project_no: str,
        task_code: str,
        task_name: str,
        accept_time: str,
        applicant: dict[str, Any],
        case: dict[str, str] | None = None,
    ) -> None:
        """Stores a 办件 as the hall's case system would report it (`POST /projects`).

        Args:
            case: finishTime, deptCode, deptName, windowNo, staffId, staffName, where known.
        """
        with self._db.transaction() as conn:
            projects.report_project(
                conn,
                project_no,
                task_code=task_code,
                task_name=task_name,
                accept_time=accept_time,
                applicant=applicant,
                now=self.clock(),
                case=case,
            )

    def project(self, project_no: str) -> Project | None:
        """The 办件 the case system reported under this number, or None."""
        with self._db.reading() as conn:
            return projects.find_project(conn, project_no)

    def lookup(self, device_id: str, request: LookupRequest) -> list[dict[str, Any]]:
        """The cases a terminal's look-up finds (`POST /devices/{deviceId}/lookup`), in one transaction.

        Raises:
            TooManyLookupsError: when the device's look-ups found nothing 10 times within the last minute.
        """
        now = self.clock()
        with self._db.transaction() as conn:
            lookup.admit_lookup(conn, device_id, now)
            device = enrolment.find_device(conn, device_id)
            settings = halls.hall_settings(conn, device.hall_code) if device else halls.DEFAULT_SETTINGS
            found = lookup.find_cases(conn, request, now=now, default_after_days=settings["defaultAfterDays"])
            if not found:
                lookup.record_miss(conn, device_id, now)
        return found

    def rate_elsewhere(
        self,
        project_no: str,
        satisfaction: int,
        pf: str,
        eval_detail: Sequence[str] = (),
        assess_time: str = "",
        writing_evaluation: str = "",
    ) -> None:
        """Records a first rating made on another channel (`POST /projects/{projectNo}/evaluation`, and the
        phone page's `POST /m/evaluate`).

        Args:
            project_no: the 办件.
            satisfaction: 1..5.
            pf: the channel, "1".."7".
            eval_detail: reason codes.
            assess_time: when it was made; now (UTC+8) when empty.
            writing_evaluation: the free text, up to 150 characters.

        Raises:
            AlreadyRatedError: when the 办件 already has a first rating.
        """
        now = self.clock()
        when = assess_time or time.strftime("%Y-%m-%dT%H:%M:%S+08:00", time.gmtime(now + 8 * 3600))
        with self._db.transaction() as conn:
            projects.rate_elsewhere(
                conn,
                project_no,
                satisfaction=satisfaction,
                pf=pf,
                eval_detail=eval_detail,
                assess_time=when,
                now=now,
                writing_evaluation=writing_evaluation,
            )

    def first_rating(self, project_no: str) -> FirstRating | None:
        """The 办件's first rating from any device or channel, or None."""
        with self._db.reading() as conn:
            return projects.first_rating(conn, project_no)

    def overview(self) -> Overview:
        """What the overview page shows: devices, the last ratings, counts, the cases rated by phone."""
        with self._db.reading() as conn:
            return overview.overview(conn)

    # The Fujian gateway's double

    def issue_app(self, hall_code: str, window_no: str) -> GatewayApp:
        """A new gateway app (app_key and app_code) for a window.

        Raises:
            UnknownWindowError: when the hall or the window is not in the sandbox.
        """
        with self._db.transaction() as conn:
            return gateway_apps.issue_app(conn, hall_code, window_no, self.clock())

    def gateway_app(self, app_key: str) -> GatewayApp | None:
        """The gateway app with this key, or None."""
        with self._db.reading() as conn:
            return gateway_apps.find_app(conn, app_key)

    def issue_gateway_token(self, app_key: str) -> str:
        """A new access token for an app, valid for two hours from the store's clock."""
        with self._db.transaction() as conn:
            return gateway_apps.issue_token(conn, app_key, self.clock())

    def gateway_token_app(self, token: str) -> GatewayApp | None:
        """The app whose unexpired access token this is, or None."""
        with self._db.reading() as conn:
            return gateway_apps.token_app(conn, token, self.clock())

    def expire_gateway_token(self, token: str) -> None:
        """Ends an access token now."""
        with self._db.transaction() as conn:
            gateway_apps.expire_token(conn, token, self.clock())

    def take_gateway_rating(self, app_key: str, report: CaseReport, rating: GatewayRatingInput) -> str:
        """Stores a rating sent through the gateway as the 办件's first rating; returns its evaluateUnid.

        The 办件 is reported from the Case too, when the case system has not reported it.

        Raises:
            AlreadyRatedError: when the 办件 already has a first rating, from any channel.
        """
        with self._db.transaction() as conn:
            gateway_apps.report_if_new(conn, report, self.clock())
            return gateway_apps.take_rating(conn, app_key, rating, self.clock())

    def report_project_if_new(self, report: CaseReport) -> None:
        """Reports a 办件 from a Case (its task, acceptance and applicant) unless it is already known."""
        with self._db.transaction() as conn:
            gateway_apps.report_if_new(conn, report, self.clock())

    def gateway_rating(self, project_no: str) -> GatewayRating | None:
        """The rating the gateway took for a 办件, or None."""
        with self._db.reading() as conn:
            return gateway_apps.rating_of(conn, project_no)

    def gateway_ratings_for(self, app_key: str) -> list[GatewayRating]:
        """Every rating the gateway took from an app, in the order it took them."""
        with self._db.reading() as conn:
            return gateway_apps.ratings_of_app(conn, app_key)

    # Faults injected and the service's counts

    def count_fault(self, kind: str) -> None:
        """Counts one injected fault (`error`, `drop`, `delay` or `token_expiry`)."""
        with self._db.transaction() as conn:
            conn.execute(
                "INSERT INTO fault_counts (kind, count) VALUES (?, 1)"
                " ON CONFLICT (kind) DO UPDATE SET count = count + 1",
                (kind,),
            )

    def fault_counts(self) -> dict[str, int]:
        """How many faults of each kind were injected since the file was made."""
        with self._db.reading() as conn:
            rows = conn.execute("SELECT kind, count FROM fault_counts").fetchall()
        return dict.fromkeys(FAULT_KINDS, 0) | {row["kind"]: row["count"] for row in rows}

    def stats(self) -> dict[str, Any]:
        """Counts for the sandbox's inspection endpoint: devices, records per status, faults."""
        with self._db.reading() as conn:
            devices = conn.execute("SELECT COUNT(*) FROM devices").fetchone()[0]
            statuses = dict(
                conn.execute("SELECT status, COUNT(*) FROM evaluations GROUP BY status").fetchall()
            )
            unplaced = conn.execute("SELECT COUNT(*) FROM unplaced_records").fetchone()[0]
        by_status = {status: statuses.get(status, 0) for status in ("accepted", "conflict", "rejected")}
        return {
            "devices": devices,
            "evaluations": {**by_status, "unplaced": unplaced},
            "faults": self.fault_counts(),
        }


def _open(store_or_path: SandboxStore | str | Path) -> tuple[SandboxStore, bool]:
    if isinstance(store_or_path, SandboxStore):
        return store_or_path, False
    return SandboxStore(store_or_path), True


def issue_code(store_or_path: SandboxStore | str | Path, hall_code: str, window_no: str) -> str:
    """Issues a single-use enrolment code for a window, from a store or a database file.

    Raises:
        UnknownWindowError: when the hall or the window is not in the sandbox.
    """
    store, owned = _open(store_or_path)
    try:
        return store.issue_code(hall_code, window_no)
    finally:
        if owned:
            store.close()


def revoke_device(store_or_path: SandboxStore | str | Path, device_id: str) -> bool:
    """Revokes a device, in a store or a database file; False when it is not enrolled."""
    store, owned = _open(store_or_path)
    try:
        return store.revoke_device(device_id)
    finally:
        if owned:
            store.close()


def issue_app(store_or_path: SandboxStore | str | Path, hall_code: str, window_no: str) -> GatewayApp:
    """Issues a gateway app (app_key and app_code) for a window, from a store or a database file.

    Raises:
        UnknownWindowError: when the hall or the window is not in the sandbox.
    """
    store, owned = _open(store_or_path)
    try:
        return store.issue_app(hall_code, window_no)
    finally:
        if owned:
            store.close()
