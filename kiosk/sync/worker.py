"""The uplink's own thread: enrolment, the sender that drains the queue, config, heartbeat, R6 asks.

One thread and one keep-alive HTTP session. It reads the queue from the ledger and writes the province's
answers back through the ledger's one connection; it reaches the Pad only through the queued signals of
UplinkEvents.
"""

from __future__ import annotations

import json
import logging
import queue
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal

from kiosk import __version__
from kiosk.domain.clock import Clock, SystemClock, clock_alert
from kiosk.domain.masking import redact
from kiosk.domain.reasons import ReasonCatalogue
from kiosk.domain.sessions import SessionState
from kiosk.domain.timefmt import format_time
from kiosk.store.errors import LedgerError
from kiosk.store.ledger import Ledger, Outcome, PendingRecord, SendStatus
from kiosk.sync.client import UplinkClient, UplinkError, UplinkUnreachable
from kiosk.sync.province_config import parse_config
from kiosk.sync.status import UplinkStatus

log = logging.getLogger(__name__)

MAX_BATCH = 500
MAX_BATCH_BYTES = 512 * 1024
FIRST_DELAY_S = 1.0
MAX_DELAY_S = 300.0
JITTER = 0.2
CONFIG_INTERVAL_S = 3600.0
MAX_IMMEDIATE_RETRIES = 3
# The province refuses the device itself: stop sending, keep the queue, tell technicians, retry at the cap.
REFUSALS = frozenset({"bad_signature", "device_revoked"})
# Only the request was stale (its timestamp, its nonce): made again at once, corrected.
RESEND_AT_ONCE = frozenset({"clock_skew", "replay"})

_STATUS = {
    "accepted": SendStatus.ACCEPTED,
    "duplicate": SendStatus.DUPLICATE,
    "conflict": SendStatus.SUPERSEDED,
    "rejected": SendStatus.DEAD,
}

T = TypeVar("T")


class UplinkEvents(QObject):
    """What the uplink thread tells the Pad; every signal is delivered queued on the Qt thread.

    Signals:
        enrolled(bytes): the device secret, once enrolment succeeded.
        config_received(ProvinceConfig): a new configuration from the province.
        status_changed(UplinkStatus): the uplink's state, last answer, acceptedSeq, refusal and clock offset,
            whenever one of them changes.
        project_answered(str, dict): what the province said of a 办件 (R6 asks).
        alert(str, object): a technician alert by key, or None when it is over.
        sent(int): how many records the province answered in the last batch.
    """

    enrolled = Signal(bytes)
    config_received = Signal(object)
    status_changed = Signal(object)
    project_answered = Signal(str, object)
    alert = Signal(str, object)
    sent = Signal(int)


@dataclass
class Backoff:
    """The wait after a failed attempt: `first_s`, doubling up to `cap_s`, each wait drawn ±`jitter` around
    its nominal value; any successful answer resets it.

    The defaults are the spec's schedule (1 s doubling to a 5-minute cap, ±20%); tests and benchmarks pass a
    faster one. The jitter applies at the cap too, so that pads cut off together do not retry in step.

    Attributes:
        first_s: the first nominal wait.
        cap_s: the longest nominal wait, and the wait after the province refused the device.
        jitter: the share by which a wait is drawn above or below its nominal value.
        rng: the source of the jitter (a seeded one makes the waits repeatable).
        delay: the nominal wait after the last failure; 0 after a success.
    """

    first_s: float = FIRST_DELAY_S
    cap_s: float = MAX_DELAY_S
    jitter: float = JITTER
    rng: random.Random | None = None
    delay: float = 0.0

    def failed(self, at_least: float = 0.0) -> float:
        """The wait before the next attempt after a failure (after a 429, at least its Retry-After)."""
        self.delay = self.first_s if self.delay == 0 else min(self.delay * 2, self.cap_s)
        rng = self.rng or random
        return max(self.delay * rng.uniform(1 - self.jitter, 1 + self.jitter), at_least)

    def capped(self) -> float:
        """The wait when the device must stop and try again at the cap (bad signature, revoked)."""
        self.delay = self.cap_s
        return self.cap_s

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
        heartbeat_s: the pad's heartbeat interval; the province's heartbeatS wins while it sends one.
        english: the shipped reason catalogue, for English texts of the province's.
        evaluator_status: returns the evaluator's protocol, port, state and firmware (thread-safe).
        clock: the pad's clock, for the times it reports.
        monotonic: the time source for scheduling.
        backoff: the retry schedule; the spec's by default.
        config_interval_s: how often the configuration is asked for (If-None-Match makes it cheap).
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
        backoff: Backoff | None = None,
        config_interval_s: float = CONFIG_INTERVAL_S,
    ) -> None:
        self.ledger = ledger
        self.client = client
        self.events = events
        self.enroll_code = enroll_code
        self.heartbeat_s = heartbeat_s
        self._own_heartbeat_s = heartbeat_s
        self._english = english
        self._evaluator_status = evaluator_status
        self._clock = clock or SystemClock()
        self._monotonic = monotonic
        self._config_interval_s = config_interval_s
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._started_at = monotonic()
        self.backoff = backoff or Backoff()
        self._send_at = 0.0
        # After a 429 the province's Retry-After holds even when another answer succeeds meanwhile.
        self._send_not_before = 0.0
        self._blocked_until = 0.0
        self._heartbeat_at = 0.0
        self._config_at = 0.0
        self._enroll_at = 0.0
        self._refused_code = ""
        self._asks: list[str] = []
        self._asks_lock = threading.Lock()
        self._batch_limit = MAX_BATCH
        self._etag = ledger.get_meta("province_config_etag")
        self._state = ""
        self._saved_offset = client.clock.offset_s
        # The worker's own state: this thread alone reads and writes it; others get UplinkStatus copies.
        self._last_sync_at: str | None = None
        self._accepted_seq: int | None = None
        self._blocked_reason = ""
        self._published: UplinkStatus | None = None
        self._commands: queue.SimpleQueue[Callable[[], None]] = queue.SimpleQueue()

    # -- control (any thread) -------------------------------------------------------------------------

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="uplink", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        """A new record is stored: send it at once (unless the sender is waiting out a failure)."""
        self._wake.set()

    def stop(self, timeout: float | None = None) -> None:
        """Stops after the request under way; returns at once when none is.

        Args:
            timeout: how long to wait for the thread; by default the client's request timeout and a
                little more, so that the answer to the request under way is still written to the ledger
                before the app closes it.
        """
        self._stopping.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(self.client.timeout_s + 2.0 if timeout is None else timeout)
            if self._thread.is_alive():
                log.warning("uplink: the thread did not stop in time; its request is abandoned")
        self.client.close()

    def ask_project(self, project_no: str) -> None:
        """R6, just before a default: asks the province about one 办件 at once (the Pad's `final_check`).

        The answer comes as `project_answered`; when the province cannot be asked nothing comes, and the
        Pad records the default after its own wait.
        """
        with self._asks_lock:
            if project_no not in self._asks:
                self._asks.append(project_no)
        self._wake.set()

    def set_enroll_code(self, code: str) -> None:
        """A technician entered a new enrolment code: try it at once (any thread)."""
        self._commands.put(partial(self._take_enroll_code, code))
        self._wake.set()

    def _take_enroll_code(self, code: str) -> None:
        # On the uplink thread, which alone changes its own state; a refused code stays refused, a new one
        # is tried.
        self.enroll_code = code
        self._enroll_at = 0.0

    # -- the loop (the uplink thread) -----------------------------------------------------------------

    def _run(self) -> None:
        while not self._stopping.is_set():
            while not self._commands.empty():
                self._commands.get()()
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
            self._keep_clock()
            self._publish()
            if wait > 0:
                # A wake() between _step's look at the queue and here leaves the event set: no record
                # waits for the timeout.
                self._wake.wait(wait)
                self._wake.clear()

    def _step(self) -> float:
        """Does what is due now; returns how long to sleep (0: go on at once)."""
        now = self._monotonic()
        if self.ledger.device_secret() is None:
            return self._enrol(now)
        if self._blocked(now):
            return self._blocked_until - now
        if now >= self._config_at:
            self._pull_config(now)
        if now >= self._heartbeat_at and not self._blocked(now):
            self._heartbeat(now)
        if not self._blocked(now):
            self._answer_asks()
        if self._blocked(now):
            return self._blocked_until - self._monotonic()
        # No count of the queue here: on a long backlog that is a scan per batch. A record is only ever
        # answered by this thread, so when the sender waits out a failure (_send_at ahead) records are
        # queued, and when it is due, pending_batch tells.
        now = self._monotonic()
        if now >= self._send_at:
            batch = self.ledger.pending_batch(self._batch_limit, MAX_BATCH_BYTES)
            if not batch:
                # The backlog is drained: a batch size learned from 413s no longer matters.
                self._batch_limit = MAX_BATCH
            elif self._send_batch(batch):
                return 0.0
        if self._blocked(now):  # the batch was refused
            return self._blocked_until - now
        next_due = min(self._config_at, self._heartbeat_at)
        if self._send_at > now:
            next_due = min(next_due, self._send_at)
        return max(0.0, next_due - self._monotonic())

    def _blocked(self, now: float) -> bool:
        return now < self._blocked_until

    def _set_state(self, state: str) -> None:
        if state != self._state:
            self._state = state
            log.info("uplink: %s", state)
        self._publish(always=True)  # each look says where the uplink stands, changed or not

    def _publish(self, *, always: bool = False) -> None:
        """Tells the Pad what changed (`always`: even when nothing did), as a copy: the worker's own fields
        stay on this thread."""
        if not self._state:
            return  # nothing tried yet: the state the app gave the Pad at start holds
        status = UplinkStatus(
            self._state,
            self._last_sync_at,
            self._accepted_seq,
            self._blocked_reason,
            self.client.clock.offset_s,
        )
        if always or status != self._published:
            self._published = status
            self.events.status_changed.emit(status)

    def _answered(self) -> None:
        """Any successful answer: the wait is reset (a record waiting out a failure goes now, unless a
        Retry-After holds it), a refusal is over, and the uplink is online."""
        now = self._monotonic()
        self.backoff.reset()
        self._send_at = min(self._send_at, max(now, self._send_not_before))
        self._last_sync_at = format_time(self._clock.now())
        if self._blocked_reason:
            self._blocked_reason = ""
            self._blocked_until = 0.0
            self.events.alert.emit("uplink", None)
        self._set_state("online")

    def _refuse(self, exc: Exception) -> bool:
        """`bad_signature` or `device_revoked`: every signed request stops until the cap, the queue is
        kept, technicians are told. False for any other failure."""
        if not isinstance(exc, UplinkError) or exc.code not in REFUSALS:
            return False
        self._blocked_reason = exc.code
        self._blocked_until = self._monotonic() + self.backoff.capped()
        log.error(
            "uplink: %s: sending stops, the queue is kept; again in %.1f s", exc.code, self.backoff.cap_s
        )
        self.events.alert.emit("uplink", f"省平台拒绝本设备（{exc.code}）：发送已暂停，评价保留在本机")
        self._set_state("blocked")
        return True

    def _signed(self, call: Callable[[], T]) -> T:
        """Makes a signed call; after `clock_skew` (with the province's time) or `replay` (with a new nonce)
        it is made again at once, as it was only the request that was stale.

        Raises:
            UplinkError: any other refusal, or the same one again after MAX_IMMEDIATE_RETRIES attempts.
            UplinkUnreachable: no usable answer.
        """
        for attempt in range(1, MAX_IMMEDIATE_RETRIES + 1):
            try:
                return call()
            except UplinkError as exc:
                if exc.code not in RESEND_AT_ONCE or attempt == MAX_IMMEDIATE_RETRIES:
                    raise
                server_time = exc.body.get("serverTime")
                if exc.code == "clock_skew" and isinstance(server_time, int | float):
                    self.client.learn_server_time(server_time)
                log.warning("uplink: %s; sent again at once", exc.code)
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _keep_clock(self) -> None:
        """R13: an offset to the province's time learned from its answers is kept in the ledger (the next
        start uses it before the province is reached), and over 120 s it is a technician alert."""
        offset = self.client.clock.offset_s
        if offset is None or offset == self._saved_offset:
            return
        self._saved_offset = offset
        log.info("uplink: the province's time is %+.0f s from the pad's own clock", offset)
        try:
            self.ledger.keep_clock_offset(offset)
        except LedgerError as exc:
            log.error("uplink: the clock offset could not be kept: %s", exc)
        self.events.alert.emit("clock", clock_alert(offset))

    # -- enrolment -------------------------------------------------------------------------------------

    def _enrol(self, now: float) -> float:
        code = self.enroll_code
        if not code or code == self._refused_code:
            # Nothing to try until a technician enters a (new) code; set_enroll_code wakes the thread.
            self._set_state("blocked" if code else "enrolling")
            return MAX_DELAY_S
        if now < self._enroll_at:
            return self._enroll_at - now
        self._set_state("enrolling")
        try:
            secret = self.client.enroll(code, __version__, {"kind": "pad"})
        except UplinkError as exc:
            if exc.code in ("enroll_code_invalid", "device_id_taken"):
                self._refused_code = code
                self._blocked_reason = "enroll_refused"
                log.error("uplink: enrolment refused (%s)", exc.code)
                self.events.alert.emit("uplink", f"注册码被拒绝（{exc.code}）：请输入新的注册码")
                self._set_state("blocked")
                return MAX_DELAY_S
            log.warning("uplink: enrolment failed: %s", exc)
            self._enroll_at = now + self.backoff.failed(exc.retry_after or 0)
            self._set_state("retrying")
            return self._enroll_at - now
        except UplinkUnreachable as exc:
            # The province may have enrolled us and the answer been lost: the same code and deviceId
            # again get the same secret.
            log.warning("uplink: enrolment failed: %s", exc)
            self._enroll_at = now + self.backoff.failed()
            self._set_state("retrying")
            return self._enroll_at - now
        self.ledger.store_device_secret(secret)
        log.info("uplink: enrolled as %s", self.client.device_id)
        self.events.enrolled.emit(secret)
        self._answered()
        return 0.0

    # -- sending ---------------------------------------------------------------------------------------

    def _send_batch(self, batch: list[PendingRecord]) -> bool:
        """Sends one batch (the oldest records queued); True when the province answered it whole (go on
        at once)."""
        records = [pending.record for pending in batch]
        try:
            results = self._signed(lambda: self.client.send_encoded([pending.encoded for pending in batch]))
        except (UplinkError, UplinkUnreachable) as exc:
            return self._batch_failed(records, exc)
        outcomes: list[Outcome] = []
        for record, result in zip(records, results, strict=True):
            outcome = self._outcome(record, result)
            if outcome is None:
                # What follows an unusable answer stays queued too: the device's answered records stay a
                # prefix of its chain, and a resend of the stored ones is answered `duplicate`.
                break
            outcomes.append(outcome)
        if outcomes:
            self.ledger.record_outcomes(outcomes)
            self.events.sent.emit(len(outcomes))
        if len(outcomes) < len(records):
            self._retry_later(records[len(outcomes) :], UplinkUnreachable("an unusable answer in the batch"))
            return False
        self._answered()
        return True

    def _outcome(self, record: dict[str, Any], result: Any) -> Outcome | None:
        status = _STATUS.get(str(result.get("status"))) if isinstance(result, dict) else None
        if status is None or result.get("evaluationId", record["evaluationId"]) != record["evaluationId"]:
            log.error("uplink: unusable answer for seq %d; it stays queued", record["seq"])
            return None
        error = ""
        if status is SendStatus.DEAD:
            detail = result.get("error") if isinstance(result.get("error"), dict) else {}
            # The province's words may quote the applicant: masked before they are stored or logged (R3).
            masked = {k: redact(str(detail[k])) for k in ("code", "field", "message") if detail.get(k)}
            error = json.dumps(masked, ensure_ascii=False)
            log.warning(
                "uplink: seq %d rejected (%s): kept as a dead letter", record["seq"], masked.get("code", "")
            )
        elif status is SendStatus.SUPERSEDED:
            log.info("uplink: seq %d superseded: the 办件 was rated first elsewhere", record["seq"])
        return Outcome(record["seq"], status.value, error)

    def _batch_failed(self, records: list[dict[str, Any]], exc: UplinkError | UplinkUnreachable) -> bool:
        """Handles a batch without an answer; True when the next batch should go at once."""
        if isinstance(exc, UplinkError) and exc.status == 413:
            if len(records) == 1:
                log.error("uplink: seq %d is too large for the province: dead letter", records[0]["seq"])
                error = json.dumps({"code": "too_large", "message": "HTTP 413 for a single record"})
                self.ledger.record_outcomes([Outcome(records[0]["seq"], SendStatus.DEAD.value, error)])
                self._batch_limit = MAX_BATCH
                return True
            # Kept while the backlog lasts, so a long drain does not meet the same 413s batch after batch.
            self._batch_limit = max(1, len(records) // 2)
            log.warning("uplink: 413 for %d records; batches of %d now", len(records), self._batch_limit)
            return True
        if self._refuse(exc):
            return False
        self._retry_later(records, exc)
        return False

    def _retry_later(self, records: list[dict[str, Any]], exc: Exception) -> None:
        now = self._monotonic()
        retry_after = exc.retry_after if isinstance(exc, UplinkError) else None
        self._send_at = now + self.backoff.failed(retry_after or 0)
        self._send_not_before = self._send_at if retry_after else 0.0
        log.warning(
            "uplink: batch of %d not delivered (%s); again in %.1f s", len(records), exc, self._send_at - now
        )
        self.ledger.count_attempt([r["seq"] for r in records])
        self._set_state("retrying")

    # -- config, heartbeat, R6 ---------------------------------------------------------------------------

    def _pull_config(self, now: float) -> None:
        self._config_at = now + self._config_interval_s
        try:
            data, etag = self._signed(lambda: self.client.config(self._etag))
        except (UplinkError, UplinkUnreachable) as exc:
            # Asked again with the next heartbeat (after a refusal, once the device is let back in).
            self._config_at = now + self.heartbeat_s
            if not self._refuse(exc):
                log.warning("uplink: config not fetched: %s", exc)
            return
        self._answered()
        if data is None:
            return
        config = parse_config(data, self._english)
        self.ledger.set_meta("province_config", json.dumps(data, ensure_ascii=False))
        if etag:
            self.ledger.set_meta("province_config_etag", etag)
        self._etag = etag
        # The province's heartbeatS wins while it sends one; without it the pad's own interval is back.
        self.heartbeat_s = config.settings.heartbeat_s or self._own_heartbeat_s
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
            answer = self._signed(lambda: self.client.heartbeat(body))
        except (UplinkError, UplinkUnreachable) as exc:
            if not self._refuse(exc):
                log.warning("uplink: heartbeat failed: %s", exc)
                self._set_state("retrying")
            return
        self._answered()
        accepted = answer.get("acceptedSeq")
        if isinstance(accepted, int) and not isinstance(accepted, bool):
            self._accepted_seq = accepted
            self._publish()  # the status says what the alert below is about, and arrives first
            known = self.ledger.answered_prefix()
            if accepted < known:
                log.error(
                    "uplink: the province holds the chain to seq %d, the device knows %d", accepted, known
                )
                self.events.alert.emit(
                    "chain", f"省平台只确认到第 {accepted} 条，本机已确认到第 {known} 条：请联系技术支持"
                )
            else:
                self.events.alert.emit("chain", None)
        self._ask_timed_out()

    def _ask_timed_out(self) -> None:
        """R6: asks the province about each timed-out session (a QR rating makes it rated)."""
        self._ask([session.project_no for session in self.ledger.sessions_in_state(SessionState.TIMED_OUT)])

    def _answer_asks(self) -> None:
        """The Pad's asks just before a default (ask_project)."""
        with self._asks_lock:
            asks, self._asks = self._asks, []
        if asks:
            self._ask(asks)

    def _ask(self, project_nos: list[str]) -> None:
        for project_no in project_nos:
            try:
                answer = self._signed(partial(self.client.project_evaluation, project_no))
            except (UplinkError, UplinkUnreachable) as exc:
                # The rest are asked at the next heartbeat; the Pad does not wait for ever on one.
                if not self._refuse(exc):
                    log.warning("uplink: could not ask about a 办件: %s", exc)
                return
            self.events.project_answered.emit(project_no, answer)
