"""The counter bridge under load: POST session latency with 20 concurrent clients on loopback, against a
trivial endpoint of the same server under the same load, in the same run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from bench.stats import median, ms, percentile, verdict

CLIENTS = 20
REQUESTS = 2000
ROOT = Path(__file__).resolve().parent.parent


def _load(url: str, token: str, kind: str, done: list[list[float]]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bench.load", url, token, kind, str(REQUESTS), str(CLIENTS)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    done.append(json.loads(result.stdout))


def run() -> str:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication
    from starlette.responses import JSONResponse

    from kiosk.app import PadApplication
    from kiosk.bridge import api
    from kiosk.config import load

    _app = QApplication.instance() or QApplication([])  # the pad needs one; kept alive for the run
    original = api.create_app

    async def trivial_endpoint(_request: object) -> JSONResponse:
        return JSONResponse({"ok": True})

    def with_trivial_endpoint(*args: object, **kwargs: object) -> object:
        bridge = original(*args, **kwargs)  # type: ignore[arg-type]
        bridge.add_route("/bench/trivial", trivial_endpoint, methods=["GET"])
        return bridge

    api.create_app = with_trivial_endpoint  # type: ignore[assignment]
    results: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory(dir=ROOT) as tmp:
        config = load(None, ["bridge.port=0", "evaluator.protocol=none", "pad.rate_timeout_s=3600"])
        pad = PadApplication(config, Path(tmp), headless=True)
        url = pad.start()
        try:
            for kind in ("trivial", "sessions", "trivial", "sessions"):
                done: list[list[float]] = []
                worker = threading.Thread(target=_load, args=(url, pad.token, kind, done))
                worker.start()
                # The Qt thread sleeps in its event loop as in a running pad, woken by the bridge's calls.
                loop = QEventLoop()
                watch = QTimer()
                watch.timeout.connect(lambda loop=loop, worker=worker: worker.is_alive() or loop.quit())
                watch.start(20)
                loop.exec()
                watch.stop()
                worker.join()
                results.setdefault(kind, []).extend(done[0])
        finally:
            pad.stop()
            api.create_app = original
    sessions, trivial = results["sessions"], results["trivial"]
    ratio = percentile(sessions, 99) / percentile(trivial, 99)
    return (
        "## Counter bridge\n\n"
        f"{CLIENTS} concurrent clients in another process on loopback, {2 * REQUESTS} requests of each kind in "
        "two alternating rounds; POST /api/v1/sessions with `replace: true` (so every one succeeds and writes "
        "the ledger) against a trivial GET on the same server, behind the same token check.\n\n"
        "| endpoint | p50 | p99 |\n|---|---|---|\n"
        f"| POST session | {ms(median(sessions))} | {ms(percentile(sessions, 99))} |\n"
        f"| trivial GET | {ms(median(trivial))} | {ms(percentile(trivial, 99))} |\n\n"
        f"p99 ratio {ratio:.2f}× (goal ≤ 3×): **{verdict(ratio <= 3)}**\n"
    )


if __name__ == "__main__":
    print(run())
