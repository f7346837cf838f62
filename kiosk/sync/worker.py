"""The uplink's own thread: enrolment, the sender that drains the queue, config, heartbeat, R6 asks.

One thread and one keep-alive HTTP session. It reads the queue from the ledger and writes the province's
answers back through the ledger's one connection; it reaches the Pad only through the queued signals of
UplinkEvents.
"""

from __future__ import annotations

import json
import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Signal

from kiosk import __version__
from kiosk.domain.clock import Clock, SystemClock
from kiosk.domain.reasons import ReasonCatalogue
from kiosk.domain.sessions import SessionState
from kiosk.domain.timefmt import format_time
from kiosk.store.errors import LedgerError
from kiosk.store.ledger import Ledger, Outcome, SendStatus
from kiosk.sync.client import UplinkClient, UplinkError, UplinkUnreachable
from kiosk.sync.province_config import parse_config

log = logging.getLogger(__name__)

MAX_BATCH = 500
MAX_BATCH_BYTES = 512 * 1024
FIRST_DELAY_S = 1.0
MAX_DELAY_S = 300.0
JITTER = 0.2
CONFIG_INTERVAL_S = 3600.0
MAX_IMMEDIATE_RETRIES = 3

_STATUS = {
    "accepted": SendStatus.ACCEPTED,
    "duplicate": SendStatus.DUPLICATE,
    "conflict": SendStatus.SUPERSEDED,
    "rejected": SendStatus.DEAD,
}


class UplinkEvents(QObject):
    """What the uplink thread tells the Pad; every signal is delivered queued on the Qt thread.

    Signals:
        enrolled(bytes): the device secret, once enrolment succeeded.
        config_received(ProvinceConfig): a new configuration from the province.
        state_changed(str, object): uplink state and lastSyncAt (ISO 8601 or None).
        project_answered(str, dict): what the province said of a 办件 (R6 asks).
        alert(str, object): a technician alert by key, or None when it is over.
        sent(int): how many records the province answered in the last batch.
    """

    enrolled = Signal(bytes)
    config_received = Signal(object)
    state_changed = Signal(str, object)
    project_answered = Signal(str, object)
    alert = Signal(str, object)
    sent = Signal(int)


@dataclass
class Backoff:
    """1 s doubling to a 5-minute cap, with ±20% jitter; any success resets it."""

    delay: float = 0.0
    rng: random.Random | None = None

    def failed(self, at_least: float = 0.0) -> float:
        """The wait before the next attempt after a failure."""
        self.delay = FIRST_DELAY_S if self.delay == 0 else min(self.delay * 2, MAX_DELAY_S)
        rng = self.rng or random
        return max(self.delay * rng.uniform(1 - JITTER, 1 + JITTER), at_least)

    def capped(self) -> float:
        """The wait when the device must stop and try again at the cap (bad signature, revoked)."""
        self.delay = MAX_DELAY_S
        return MAX_DELAY_S

    def reset(self) -> None:
        self.delay = 0.0


class UplinkWorker:
    """Delivers every record to the province exactly once, at once when online, eventually after any
    outage.

    Args:
        ledger: the ledger (thread-safe; this thread reads the queue and records outcomes through it).
        client: the uplink client; used only on this thread.
        events: the queued signals to the Pad.
        enroll_code: `uplink.enroll_code`, used while the device has no secret.
        heartbeat_s: the pad's heartbeat interval; the province's heartbeatS wins.
        english: the shipped reason catalogue, for English texts of the province's.
        evaluator_status: returns the evaluator's protocol, port, state and firmware (thread-safe).
        clock: the pad's clock, for the times it reports.
        monotonic: the time source for scheduling (tests move it).
    """

    def __init__(
        self,
        ledger: Ledger,
        client: UplinkClient,
        events: UplinkEvents,
        *,
        enroll_code: str = "",
        heartbeat_s: float = 60,
        english: ReasonCatalogue | None = None,
        evaluator_status: Callable[[], dict[str, Any]] = dict,
        clock: Clock | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ledger = ledger
        self.client = client
        self.events = events
        self.enroll_code = enroll_code
        self.heartbeat_s = heartbeat_s
        self._english = english
        self._evaluator_status = evaluator_status
        self._clock = clock or SystemClock()
        self._monotonic = monotonic
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._started_at = monotonic()
        self.backoff = Backoff()
        self._send_at = 0.0
        self._heartbeat_at = 0.0
        self._config_at = 0.0
        self._enroll_at = 0.0
        self._batch_limit = MAX_BATCH
        self._etag = ledger.get_meta("province_config_etag")
        self._state = ""
        self.last_sync_at: str | None = None
        self.accepted_seq: int | None = None
        self.blocked_reason = ""

    # -- control (any thread) -------------------------------------------------------------------------

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="uplink", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        """A new record is stored: send it at once (unless the sender is waiting out a failure)."""
        self._wake.set()

    def stop(self, timeout: float = 5.0) -> None:
        """Stops after the request under way (at most its timeout)."""
        self._stopping.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
        self.client.close()

    def set_enroll_code(self, code: str) -> None:
        """A technician entered a new enrolment code: try it at once."""
        self.enroll_code = code
        self._enroll_at = 0.0
        self.blocked_reason = ""
        self._wake.set()

    # -- the loop (the uplink thread) -----------------------------------------------------------------

    def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                wait = self._step()
            except LedgerError as exc:
                # The ledger could not record an outcome (disk full): nothing is lost, the records stay
                # pending and are sent again (the province answers duplicate).
                log.error("uplink: ledger unavailable: %s", exc)
                wait = self.backoff.failed()
            except Exception:
                log.exception("uplink: unexpected failure; retrying")
                wait = self.backoff.failed()
            if wait > 0:
                self._wake.wait(wait)
                self._wake.clear()

    def _step(self) -> float:
        """Does what is due now; returns how long to sleep (0: go on at once)."""
        now = self._monotonic()
        if self.ledger.device_secret() is None:
            return self._enrol(now)
        if now >= self._config_at:
            self._pull_config(now)
        if now >= self._heartbeat_at:
            self._heartbeat(now)
        if now >= self._send_at and self.ledger.queue_depth() > 0 and self._send_batch():
            return 0.0
        next_due = min(self._config_at, self._heartbeat_at)
        if self.ledger.queue_depth() > 0:
            next_due = min(next_due, self._send_at)
        return max(0.0, next_due - self._monotonic())

    def _set_state(self, state: str) -> None:
        if state != self._state:
            self._state = state
            log.info("uplink: %s", state)
        self.events.state_changed.emit(state, self.last_sync_at)

    def _synced(self) -> None:
        self.last_sync_at = format_time(self._clock.now())
        self.backoff.reset()
        if self.blocked_reason:
            self.blocked_reason = ""
            self.events.alert.emit("uplink", None)
        self._set_state("online")

    # -- enrolment -------------------------------------------------------------------------------------

    def _enrol(self, now: float) -> float:
        if not self.enroll_code or self.blocked_reason == "enroll_refused":
            self._set_state("blocked" if self.blocked_reason else "enrolling")
            return MAX_DELAY_S
        if now < self._enroll_at:
            return self._enroll_at - now
        self._set_state("enrolling")
        try:
            secret = self.client.enroll(self.enroll_code, __version__, {"kind": "pad"})
        except UplinkError as exc:
            if exc.code in ("enroll_code_invalid", "device_id_taken"):
                self.blocked_reason = "enroll_refused"
                log.error("uplink: enrolment refused (%s)", exc.code)
                self.events.alert.emit("uplink", f"注册码被拒绝（{exc.code}）：请输入新的注册码")
                self._set_state("blocked")
                return MAX_DELAY_S
            self._enroll_at = now + self.backoff.failed(exc.retry_after or 0)
            self._set_state("retrying")
            return self._enroll_at - now
        except UplinkUnreachable as exc:
            log.warning("uplink: enrolment failed: %s", exc)
            self._enroll_at = now + self.backoff.failed()
            self._set_state("retrying")
            return self._enroll_at - now
        self.ledger.store_device_secret(secret)
        log.info("uplink: enrolled as %s", self.client.device_id)
        self.events.enrolled.emit(secret)
        self._synced()
        return 0.0

    # -- sending ---------------------------------------------------------------------------------------

    def _send_batch(self) -> bool:
        """Sends one batch; True when the province answered it (go on at once)."""
        records = self.ledger.pending_records(self._batch_limit, MAX_BATCH_BYTES)
        if not records:
            return False
        for attempt in range(MAX_IMMEDIATE_RETRIES):
            try:
                results = self.client.send_batch(records)
            except UplinkError as exc:
                if exc.code in ("clock_skew", "replay") and attempt + 1 < MAX_IMMEDIATE_RETRIES:
                    # clock_skew: take the province's time; replay: a new nonce. Both: again at once.
                    if exc.code == "clock_skew" and isinstance(exc.body.get("serverTime"), int | float):
                        self.client.learn_server_time(exc.body["serverTime"])
                    continue
                return self._batch_failed(records, exc)
            except UplinkUnreachable as exc:
                return self._batch_failed(records, exc)
            break
        else:  # pragma: no cover - the loop always breaks or returns
            return False
        outcomes = [self._outcome(record, result) for record, result in zip(records, results, strict=True)]
        self.ledger.record_outcomes([o for o in outcomes if o is not None])
        self._batch_limit = MAX_BATCH
        self._synced()
        self.events.sent.emit(len(records))
        return True

    def _outcome(self, record: dict[str, Any], result: Any) -> Outcome | None:
        status = _STATUS.get(str(result.get("status"))) if isinstance(result, dict) else None
        if status is None or result.get("evaluationId", record["evaluationId"]) != record["evaluationId"]:
            log.error("uplink: unusable answer for seq %d; it stays queued", record["seq"])
            return None
        error = ""
        if status is SendStatus.DEAD:
            detail = result.get("error") if isinstance(result.get("error"), dict) else {}
            error = json.dumps(
                {k: detail.get(k) for k in ("code", "field", "message") if detail.get(k)}, ensure_ascii=False
            )
            log.warning(
                "uplink: seq %d rejected (%s): kept as a dead letter", record["seq"], detail.get("code")
            )
        elif status is SendStatus.SUPERSEDED:
            log.info("uplink: seq %d superseded: the 办件 was rated first elsewhere", record["seq"])
        return Outcome(record["seq"], status.value, error)

    def _batch_failed(self, records: list[dict[str, Any]], exc: Exception) -> bool:
        now = self._monotonic()
        if isinstance(exc, UplinkError) and exc.status == 413:
            if len(records) == 1:
                log.error("uplink: seq %d is too large for the province: dead letter", records[0]["seq"])
                error = json.dumps({"code": "too_large", "message": "HTTP 413 for a single record"})
                self.ledger.record_outcomes([Outcome(records[0]["seq"], SendStatus.DEAD.value, error)])
                self._batch_limit = MAX_BATCH
                return True
            self._batch_limit = max(1, len(records) // 2)
            return True
        if isinstance(exc, UplinkError) and exc.code in ("bad_signature", "device_revoked"):
            self.blocked_reason = exc.code
            log.error("uplink: %s: sending stops, the queue is kept", exc.code)
            self.events.alert.emit("uplink", f"省平台拒绝本设备（{exc.code}）：发送已暂停，评价保留在本机")
            self._send_at = now + self.backoff.capped()
            self._set_state("blocked")
            return False
        retry_after = exc.retry_after if isinstance(exc, UplinkError) else None
        self._send_at = now + self.backoff.failed(retry_after or 0)
        log.warning(
            "uplink: batch of %d not delivered (%s); again in %.1f s", len(records), exc, self._send_at - now
        )
        self.ledger.count_attempt([r["seq"] for r in records])
        self._set_state("retrying")
        return False

    # -- config, heartbeat, R6 ---------------------------------------------------------------------------

    def _pull_config(self, now: float) -> None:
        self._config_at = now + CONFIG_INTERVAL_S
        try:
            data, etag = self.client.config(self._etag)
        except (UplinkError, UplinkUnreachable) as exc:
            log.warning("uplink: config not fetched: %s", exc)
            self._config_at = now + self.heartbeat_s
            return
        if data is None:
            return
        config = parse_config(data, self._english)
        self.ledger.set_meta("province_config", json.dumps(data, ensure_ascii=False))
        if etag:
            self.ledger.set_meta("province_config_etag", etag)
        self._etag = etag
        if config.settings.heartbeat_s:
            self.heartbeat_s = config.settings.heartbeat_s
        log.info("uplink: config %s applied", config.version)
        self.events.config_received.emit(config)

    def _heartbeat(self, now: float) -> None:
        self._heartbeat_at = now + self.heartbeat_s
        counts = self.ledger.send_counts()
        last_seq, last_hash = self.ledger.last_link()
        body = {
            "at": format_time(self._clock.now()),
            "appVersion": __version__,
            "uptimeS": int(now - self._started_at),
            "queueDepth": counts[SendStatus.PENDING.value],
            "deadLetters": counts[SendStatus.DEAD.value],
            "lastSeq": last_seq,
            "lastHash": last_hash,
            "evaluator": self._evaluator_status(),
        }
        try:
            answer = self.client.heartbeat(body)
        except (UplinkError, UplinkUnreachable) as exc:
            log.warning("uplink: heartbeat failed: %s", exc)
            return
        accepted = answer.get("acceptedSeq")
        if isinstance(accepted, int):
            self.accepted_seq = accepted
            known = self.ledger.answered_prefix()
            if accepted < known:
                self.events.alert.emit(
                    "chain", f"省平台只确认到第 {accepted} 条，本机已确认到第 {known} 条：请联系技术支持"
                )
            else:
                self.events.alert.emit("chain", None)
        self._ask_timed_out()

    def _ask_timed_out(self) -> None:
        """R6: asks the province about each timed-out session (a QR rating makes it rated)."""
        for session in self.ledger.sessions_in_state(SessionState.TIMED_OUT):
            try:
                answer = self.client.project_evaluation(session.project_no)
            except (UplinkError, UplinkUnreachable) as exc:
                log.warning("uplink: could not ask about a timed-out session: %s", exc)
                return
            self.events.project_answered.emit(session.project_no, answer)
