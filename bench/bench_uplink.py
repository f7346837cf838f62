"""The uplink: draining a backlog of 100,000 ratings against a sender that posts one rating per request, and
the time from a rating's commit to the province's acceptance recorded, against the sandbox's own answer time.

The sandbox runs as its own process (`kiosk sandbox`), as the province is another machine: the pad's sender
and the service then do not share one interpreter lock. Both run on this machine, over loopback.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from bench.stats import median, ms, percentile, verdict
from kiosk.domain.clock import ManualClock
from kiosk.domain.hall import Placement
from kiosk.domain.record import seal
from kiosk.domain.validation import validate_session_request
from kiosk.store.chain import _INSERT_RATING
from kiosk.store.ledger import Ledger, Outcome, SendStatus
from kiosk.store.rows import rating_values, session_context
from kiosk.sync.client import UplinkClient
from kiosk.sync.events import UplinkEvents
from kiosk.sync.sender import MAX_BATCH_BYTES
from kiosk.sync.worker import UplinkWorker
from province.store import SandboxStore

CST = timezone(timedelta(hours=8))
NOW = datetime(2026, 11, 27, 15, 0, tzinfo=CST)
HALL, WINDOW = "350102-ZWFW", "A07"
PLACEMENT = Placement(
    HALL, "鼓楼区政务服务中心", "350102", WINDOW, "11350102003622411H", "鼓楼区市场监督管理局"
)
BACKLOG = 100_000
BASELINE = 5_000
ONLINE = 200
CEILING_BATCHES = 20
# The made-up applicant of the spec's worked example (tests/helpers/people.py): never a real person.
APPLICANT = {
    "name": "陈明",
    "userProp": "1",
    "certType": "111",
    "certNo": "350102199001011238",
    "mobile": "13800138000",
}


def _session_body(project_no: str) -> dict[str, Any]:
    return {
        "projectNo": project_no,
        "taskCode": "1135000000359143343350111002000",
        "taskName": "个体工商户设立登记",
        "acceptTime": "2026-11-27T09:12:00+08:00",
        "finishTime": "2026-11-27T09:30:40+08:00",
        "applicant": APPLICANT,
    }


class Sandbox:
    """`kiosk sandbox` in a child process on a free loopback port, with its own database file."""

    def __init__(self, db: Path) -> None:
        self.db = db
        self._log = (db.parent / f"{db.stem}.log").open("w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "kiosk", "sandbox", "--port", "0", "--db", str(db)],
            stdout=subprocess.PIPE,
            stderr=self._log,
            text=True,
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline().strip()
        if not line.startswith("sandbox: ready url="):
            self.stop()
            raise RuntimeError(f"the sandbox did not start: {line!r}")
        self.url = line.removeprefix("sandbox: ready url=")
        # The same file, from this process: enrolment without a code, and the province's own counts.
        self.store = SandboxStore(db)

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)
        self._log.close()
        if hasattr(self, "store"):
            self.store.close()


def _pad(root: Path, sandbox: Sandbox) -> Ledger:
    """A ledger whose device is enrolled with the sandbox."""
    ledger = Ledger.open(root, ManualClock(NOW))
    ledger.store_device_secret(sandbox.store.add_device(ledger.device_id, HALL, WINDOW))
    return ledger


def _queue(ledger: Ledger, count: int, prefix: str) -> None:
    """Queues `count` valid ratings (distinct 办件, one made-up applicant) in one transaction.

    Built the way Ledger.record_rating builds each (the same record, seal, encryption and rows, each rating
    with its own session, as the ledger requires), but committed together: the benchmark measures draining
    the queue, not filling it.
    """
    request = validate_session_request(_session_body(f"{prefix}SESSION"), now=NOW)
    session = ledger.add_session(request, "S1024", "林晓")
    applicant = session.applicant
    personal = {"name": applicant.name, "certNo": applicant.cert_no, "mobile": applicant.mobile}
    seq, prev_hash = ledger.last_link()
    with ledger._ledger_db.write() as db:
        for n in range(count):
            seq += 1
            session_id = str(uuid.uuid4())
            db.execute(
                "INSERT INTO sessions (session_id, project_no, task_code, task_name, accept_time, finish_time, "
                "staff_id, staff_name, user_prop, cert_type, personal, cert_hmac, state, created_at, updated_at) "
                "SELECT ?, project_no, task_code, task_name, accept_time, finish_time, staff_id, staff_name, "
                "user_prop, cert_type, ?, cert_hmac, 'rated', created_at, updated_at FROM sessions "
                "WHERE session_id = ?",
                (session_id, ledger._cipher.seal(personal, session_context(session_id)), session.session_id),
            )
            record = seal(
                {
                    "evaluationId": str(uuid.uuid4()),
                    "deviceId": ledger.device_id,
                    "seq": seq,
                    "prevHash": prev_hash,
                    "projectNo": f"{prefix}{n:09d}",
                    "taskCode": session.task_code,
                    "taskName": session.task_name,
                    "deptCode": PLACEMENT.dept_code,
                    "deptName": PLACEMENT.dept_name,
                    "areaCode": PLACEMENT.area_code,
                    "windowNo": PLACEMENT.window_no,
                    "staffId": session.staff_id,
                    "staffName": session.staff_name,
                    "pf": "5",
                    "satisfaction": 5 - n % 3,
                    "evalDetail": [],
                    "writingEvaluation": "",
                    "acceptTime": session.accept_time,
                    "assessTime": "2026-11-27T09:31:05+08:00",
                    "assessNumber": 1,
                    "defaultEvaluation": False,
                    "userName": applicant.name,
                    "userProp": applicant.user_prop,
                    "certType": applicant.cert_type,
                    "certNo": applicant.cert_no,
                    "mobile": applicant.mobile,
                    "extraPresses": 0,
                }
            )
            db.execute(_INSERT_RATING, rating_values(record, session_id, ledger._cipher))
            db.execute("UPDATE sessions SET rating_seq = ? WHERE session_id = ?", (seq, session_id))
            prev_hash = record["hash"]
    ledger._chain._link = None  # the chain's cached last link is read again from the file


def _client(ledger: Ledger, sandbox: Sandbox) -> UplinkClient:
    return UplinkClient(sandbox.url, ledger.device_id, ledger.device_secret)


def _count_answers(ledger: Ledger, total: int) -> threading.Event:
    """An event set once the sender has recorded `total` answers.

    Watching the ledger's own calls, not polling its queue: a count of 100,000 rows every few milliseconds
    from another thread would contend for the ledger's lock and slow the sender it measures.
    """
    done = threading.Event()
    answered = 0
    record_outcomes = ledger.record_outcomes

    def counted(outcomes: Sequence[Outcome]) -> None:
        nonlocal answered
        record_outcomes(outcomes)
        answered += len(outcomes)
        if answered >= total:
            done.set()

    ledger.record_outcomes = counted  # type: ignore[method-assign]
    return done


def _wait(condition: Callable[[], bool], timeout_s: float, what: str) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out waiting for {what}")
        time.sleep(0.02)


@dataclass(frozen=True)
class Drain:
    """Ratings per second of each sender, and the sandbox's own pace on full batches."""

    worker: float
    baseline: float
    ceiling: float
    accepted: int


def _full_batches(root: Path, sandbox: Sandbox) -> float:
    """Ratings per second the sandbox itself takes in full batches: another device's batches of 500, read
    beforehand, posted back to back and timed at the client (the pad's ledger work left out)."""
    ledger = _pad(root / "ceiling", sandbox)
    _queue(ledger, CEILING_BATCHES * 500, "CE")
    batches = []
    while batch := ledger.pending_batch(500, MAX_BATCH_BYTES):
        batches.append([pending.encoded for pending in batch])
        ledger.record_outcomes([Outcome(p.record["seq"], SendStatus.ACCEPTED.value) for p in batch])
    client = _client(ledger, sandbox)
    start = time.perf_counter()
    for encoded in batches:
        client.send_encoded(encoded)
    elapsed = time.perf_counter() - start
    client.close()
    ledger.close()
    return sum(len(b) for b in batches) / elapsed


def _drain(root: Path) -> Drain:
    """Ratings per second: the sender on a 100,000 backlog; one rating per request on 5,000."""
    main = Sandbox(root / "drain.sqlite3")
    other = Sandbox(root / "baseline.sqlite3")
    try:
        ledger = _pad(root / "drain", main)
        _queue(ledger, BACKLOG, "DR")
        drained_all = _count_answers(ledger, BACKLOG)
        worker = UplinkWorker(ledger, _client(ledger, main), UplinkEvents(), heartbeat_s=60)
        start = time.perf_counter()
        worker.start()
        if not drained_all.wait(1800):
            raise RuntimeError("the backlog did not drain")
        drained = time.perf_counter() - start
        worker.stop()
        accepted = main.store.accepted_count(ledger.device_id)
        if accepted != BACKLOG or not main.store.chain_ok(ledger.device_id):
            raise RuntimeError(f"the drain was not whole: {accepted} accepted")
        ledger.close()
        ceiling = _full_batches(root, main)  # on the same, now large, database

        base = _pad(root / "baseline", other)
        _queue(base, BASELINE, "BL")
        client = _client(base, other)
        start = time.perf_counter()
        # The same work per rating as the sender (read it, post it, keep the answer), one per request on
        # the same keep-alive session.
        while batch := base.pending_batch(1, MAX_BATCH_BYTES):
            result = client.send_encoded([batch[0].encoded])[0]
            base.record_outcomes([Outcome(batch[0].record["seq"], SendStatus(result["status"]).value)])
        baseline = time.perf_counter() - start
        client.close()
        if other.store.accepted_count(base.device_id) != BASELINE:
            raise RuntimeError("the baseline was not whole")
        base.close()
    finally:
        main.stop()
        other.stop()
    return Drain(BACKLOG / drained, BASELINE / baseline, ceiling, accepted)


def _online(root: Path) -> tuple[list[float], list[float]]:
    """Commit to acceptance recorded, one rating at a time, interleaved with one-record batches of another
    device timed at its client."""
    sandbox = Sandbox(root / "online.sqlite3")
    try:
        ledger = _pad(root / "online", sandbox)
        reference = _pad(root / "reference", sandbox)
        _queue(reference, ONLINE, "RF")
        reference_client = _client(reference, sandbox)
        answered: dict[int, float] = {}
        done = threading.Event()
        record_outcomes = ledger.record_outcomes

        def timed(outcomes: Sequence[Outcome]) -> None:
            record_outcomes(outcomes)
            at = time.perf_counter()
            for outcome in outcomes:
                if outcome.status == SendStatus.ACCEPTED.value:
                    answered[outcome.seq] = at
            done.set()

        ledger.record_outcomes = timed  # type: ignore[method-assign]
        worker = UplinkWorker(ledger, _client(ledger, sandbox), UplinkEvents(), heartbeat_s=60)
        worker.start()
        _wait(lambda: worker.link.last_sync_at is not None, 30, "the first heartbeat")
        time.sleep(0.2)
        commit_to_accepted: list[float] = []
        one_record: list[float] = []
        for n in range(ONLINE):
            request = validate_session_request(_session_body(f"ON{n:09d}"), now=NOW)
            session = ledger.add_session(request, "S1024", "林晓")
            done.clear()
            rated = ledger.record_rating(
                session, satisfaction=5, pf="5", assess_time="2026-11-27T09:31:05+08:00", placement=PLACEMENT
            )
            committed = time.perf_counter()
            worker.wake()  # as the app does on rating_recorded
            if not done.wait(30) or rated.seq not in answered:
                raise RuntimeError(f"seq {rated.seq} was not accepted")
            commit_to_accepted.append(answered[rated.seq] - committed)
            time.sleep(0.01)
            pending = reference.pending_batch(1, MAX_BATCH_BYTES)[0]
            start = time.perf_counter()
            reference_client.send_encoded([pending.encoded])
            one_record.append(time.perf_counter() - start)
            reference.record_outcomes([Outcome(pending.record["seq"], SendStatus.ACCEPTED.value)])
            time.sleep(0.01)
        worker.stop()
        reference_client.close()
        ledger.close()
        reference.close()
    finally:
        sandbox.stop()
    return commit_to_accepted, one_record


def run() -> str:
    with tempfile.TemporaryDirectory(dir=Path.cwd()) as tmp:
        root = Path(tmp)
        drain = _drain(root)
        latency, reference = _online(root)
    ratio = drain.worker / drain.baseline
    budget = median(reference) + 0.050
    return (
        "## Uplink\n\n"
        "### Draining a backlog\n\n"
        f"{BACKLOG:,} valid ratings queued in the ledger, drained by the UplinkWorker to the sandbox (its own "
        "process, loopback) in batches of up to 500 records / 512 KiB; against a sender posting one rating "
        "per request on the same kind of keep-alive session (read it from the ledger, post it, record the "
        f"answer), on a {BASELINE:,}-rating sample to a second sandbox database. {drain.accepted:,} accepted, "
        "chain whole. For scale, the sandbox's own pace on full batches: another device's batches of 500, "
        "read beforehand and posted back to back to the drained database, the pad's ledger work left out; "
        "no sender can drain faster than that.\n\n"
        "| sender | ratings/s | × one per request |\n|---|---|---|\n"
        f"| UplinkWorker (batches) | {drain.worker:,.0f} | {ratio:.1f}× |\n"
        f"| one rating per request | {drain.baseline:,.0f} | 1× |\n"
        f"| (sandbox alone, full batches) | {drain.ceiling:,.0f} | {drain.ceiling / drain.baseline:.1f}× |\n\n"
        f"ratio {ratio:.1f}× (goal ≥ 20×): **{verdict(ratio >= 20)}**; the worker runs at "
        f"{drain.worker / drain.ceiling:.0%} of the sandbox's own pace.\n\n"
        "### Commit to accepted, online\n\n"
        f"{ONLINE} ratings one at a time, each recorded with Ledger.record_rating and the worker woken as the "
        "app does; from the rating's commit to the province's `accepted` recorded in the ledger. Reference: "
        "the sandbox answering a one-record batch from another device, timed at its client, interleaved.\n\n"
        "| | p50 | p99 |\n|---|---|---|\n"
        f"| commit to accepted recorded | {ms(median(latency))} | {ms(percentile(latency, 99))} |\n"
        f"| one-record batch round trip | {ms(median(reference))} | {ms(percentile(reference, 99))} |\n\n"
        f"p50 {ms(median(latency))} (goal ≤ {ms(budget)}, the round trip plus 50 ms): "
        f"**{verdict(median(latency) <= budget)}**\n"
    )


if __name__ == "__main__":
    print(run())
