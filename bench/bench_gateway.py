"""The Fujian gateway profile: draining a backlog of 10,000 ratings through the sandbox's double, one SOAP call
each, against a bare loop that makes the same calls with bodies prepared beforehand, on one keep-alive
connection, in the same run.

The pad's work per rating (reading it from the ledger, rendering its Case, SM4, the envelope, reading the
answer, recording it) must not be what limits the drain: the gateway must be. The double runs as its own
process (`kiosk sandbox`), as the province is another machine; both runs start on an empty database of
their own.
"""

from __future__ import annotations

import http.client
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from bench.bench_uplink import NOW, Sandbox, _count_answers, _queue
from bench.stats import verdict
from kiosk.domain.clock import ManualClock, ProvinceClock, SystemClock
from kiosk.store.ledger import Ledger
from kiosk.sync.events import UplinkEvents
from kiosk.sync.fujian.case_xml import CaseFormat, CaseTemplate
from kiosk.sync.fujian.gateway import GatewayClient
from kiosk.sync.fujian.profile import GatewaySettings, gateway_uplink
from kiosk.sync.fujian.soap import CALL_HEADERS, SAVE_EVALUATION, build_envelope, operation_url, parse_answer
from province.gateway.apps import GatewayApp
from province.store import issue_app

BACKLOG = int(os.environ.get("BENCH_GATEWAY_RATINGS", "10000"))
HALL, WINDOW = "350102-ZWFW", "A07"
SERVICE_PATH = "96hyvzxl/wailian/webservice"


@dataclass(frozen=True)
class Result:
    pad: float
    bare: float
    taken: int


def _app(db: Path) -> GatewayApp:
    return issue_app(db, HALL, WINDOW)


def _bare_loop(root: Path) -> float:
    """Ratings per second of the bare loop: the bodies made first (rendered, encrypted, enveloped with a
    token), then posted back to back on one http.client connection, each answer read and parsed."""
    db = root / "bare.sqlite3"
    app = _app(db)
    sandbox = Sandbox(db)
    try:
        gateway = sandbox.url.removesuffix("/api/v1") + "/api-gateway/gateway"
        ledger = Ledger.open(root / "bare-pad", ManualClock(NOW))
        _queue(ledger, BACKLOG, "BA")
        client = GatewayClient(gateway, SERVICE_PATH, app.app_key, app.app_code)
        token = client.token().access_token
        cases = CaseFormat(CaseTemplate.default(), "3")
        bodies = [
            build_envelope(
                SAVE_EVALUATION, app.app_key, client.encrypt(cases.rating(p.record, p.finish_time)), token
            )
            for p in ledger.pending_batch(BACKLOG, 1 << 40)
        ]
        client.close()
        ledger.close()
        url = urlsplit(operation_url(gateway, SERVICE_PATH, SAVE_EVALUATION))
        connection = http.client.HTTPConnection(url.hostname or "", url.port)
        target = f"{url.path}?{url.query}"
        start = time.perf_counter()
        for body in bodies:
            connection.request("POST", target, body=body, headers=CALL_HEADERS)
            answer = parse_answer(connection.getresponse().read())
            if answer.code != "200":
                raise RuntimeError(f"the bare loop was answered code {answer.code}")
        elapsed = time.perf_counter() - start
        connection.close()
        if len(sandbox.store.gateway_ratings_for(app.app_key)) != BACKLOG:
            raise RuntimeError("the bare loop was not whole")
    finally:
        sandbox.stop()
    return BACKLOG / elapsed


def _pad_drain(root: Path) -> tuple[float, int]:
    """Ratings per second of the gateway profile's worker on the backlog, and how many the double took."""
    db = root / "pad.sqlite3"
    app = _app(db)
    sandbox = Sandbox(db)
    try:
        gateway = sandbox.url.removesuffix("/api/v1") + "/api-gateway/gateway"
        ledger = Ledger.open(root / "pad", ManualClock(NOW))
        _queue(ledger, BACKLOG, "PD")
        drained = _count_answers(ledger, BACKLOG)
        uplink = gateway_uplink(
            ledger,
            GatewaySettings(gateway, app.app_key, app.app_code),
            UplinkEvents(),
            clock=ProvinceClock(SystemClock()),
        )
        start = time.perf_counter()
        uplink.worker.start()
        if not drained.wait(1800):
            raise RuntimeError("the backlog did not drain")
        elapsed = time.perf_counter() - start
        uplink.worker.stop()
        counts = ledger.send_counts()
        ledger.close()
        taken = len(sandbox.store.gateway_ratings_for(app.app_key))
        if taken != BACKLOG or counts["accepted"] != BACKLOG:
            raise RuntimeError(f"the drain was not whole: {taken} taken, {counts}")
    finally:
        sandbox.stop()
    return BACKLOG / elapsed, taken


def _measure() -> Result:
    with tempfile.TemporaryDirectory(dir=Path.cwd()) as tmp:
        root = Path(tmp)
        bare = _bare_loop(root)
        pad, taken = _pad_drain(root)
    return Result(pad, bare, taken)


def run() -> str:
    result = _measure()
    ratio = result.pad / result.bare
    return (
        "## Fujian gateway\n\n"
        f"A backlog of {BACKLOG:,} valid ratings in the ledger, drained by the gateway profile's worker through "
        "the sandbox's double (`kiosk sandbox`, its own process, loopback): one getSaveEvaluation call per "
        "rating, each read from the ledger, its Case rendered and SM4-encrypted, the answer parsed and "
        "recorded. Against a bare loop in the same run: the same calls for another "
        f"{BACKLOG:,} ratings, their bodies made beforehand, posted back to back on one keep-alive "
        "`http.client` connection, each answer read and parsed. Each run starts on an empty database of its "
        f"own. {result.taken:,} taken by the double, every one accepted.\n\n"
        "| | ratings/s | × bare loop |\n|---|---|---|\n"
        f"| gateway profile's worker | {result.pad:,.0f} | {ratio:.2f}× |\n"
        f"| bare loop, prepared bodies | {result.bare:,.0f} | 1× |\n\n"
        f"ratio {ratio:.2f}× (goal ≥ 0.8×): **{verdict(ratio >= 0.8)}**\n"
    )


if __name__ == "__main__":
    print(run())
