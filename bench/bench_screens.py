"""The citizen's screens: a press and a touch to the thanks screen's paint event, against the 100 ms a
person reads as instant; and `kiosk run --headless` start-up and idle memory against a minimal PySide6
application showing one label, measured in the same run."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.stats import median, ms, percentile, verdict

ROOT = Path(__file__).resolve().parent.parent
TRIALS = 200
STARTS = 5
INSTANT_S = 0.100

MINIMAL_APP = """
import os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication(sys.argv[:1])
label = QLabel("请您对我的服务做出评价")
label.show()
app.processEvents()
print("ready", flush=True)
app.exec()
"""


def _paint_latency() -> tuple[list[float], list[float]]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEvent, QObject, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from kiosk.app import PadApplication
    from kiosk.config import load
    from kiosk.devices.evaluator_simulator import SimulatedEvaluator
    from kiosk.devices.frame_codec import encode_frame
    from kiosk.domain.validation import validate_session_request

    app = QApplication.instance() or QApplication([])
    painted: list[float] = []

    class PaintClock(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                painted.append(time.perf_counter())
            return False

    def wait(condition: object, timeout: float = 5.0) -> None:
        deadline = time.perf_counter() + timeout
        while not condition():  # type: ignore[operator]
            if time.perf_counter() > deadline:
                raise RuntimeError("timed out")
            app.processEvents()

    presses: list[float] = []
    touches: list[float] = []
    with tempfile.TemporaryDirectory(dir=ROOT) as tmp:
        sim = SimulatedEvaluator("frame", address=1, heartbeat_s=0)
        sim.retransmit = False
        config = load(None, ["bridge.port=0", "evaluator.protocol=frame", f'evaluator.port="{sim.port}"'])
        pad_app = PadApplication(config, Path(tmp), headless=True)
        pad_app.start()
        pad, window = pad_app.pad, pad_app.window
        clock = PaintClock()
        window.thanks.installEventFilter(clock)
        wait(lambda: pad_app.evaluator.state.value == "connected")
        try:
            for n in range(2 * TRIALS):
                body = {
                    "projectNo": f"BENCH{n:05d}",
                    "acceptTime": "2026-01-01T09:00:00+08:00",
                    "applicant": {
                        "name": "陈明",
                        "userProp": "1",
                        "certType": "111",
                        "certNo": "350102199001011238",
                    },
                }
                pad.dismiss_transient_screens()
                pad.open_session(validate_session_request(body, now=pad.clock.now()))
                wait(window.prompt.isVisible)
                painted.clear()
                if n % 2 == 0:
                    # The last byte of a KEY frame (button 1 = 非常满意) written to the pty, then the paint.
                    frame = encode_frame(1, n % 256, 0x01, bytes([1]))
                    sim.write_raw(frame)
                    start = time.perf_counter()
                    wait(lambda: bool(painted))
                    presses.append(painted[0] - start)
                else:
                    # A touch that completes a rating: the picker's submit (levels 3-5 offer reasons).
                    pad.touch_level(5)
                    wait(window.reasons.isVisible)
                    app.processEvents()
                    painted.clear()
                    start = time.perf_counter()
                    QTest.mouseClick(window.reasons.submit, Qt.MouseButton.LeftButton)
                    wait(lambda: bool(painted))
                    touches.append(painted[0] - start)
        finally:
            pad_app.stop()
            sim.close()
    return presses, touches


def _start(command: list[str], ready: str, env: dict[str, str]) -> tuple[float, int]:
    """Seconds from exec to the ready line, and the RSS (KiB) after two seconds idle."""
    start = time.perf_counter()
    child = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    assert child.stdout is not None
    for line in child.stdout:
        if line.startswith(ready):
            break
    elapsed = time.perf_counter() - start
    time.sleep(2)
    status = Path(f"/proc/{child.pid}/status").read_text()
    rss = int(status.split("VmRSS:")[1].split()[0])
    child.terminate()
    child.wait(15)
    return elapsed, rss


def _startup() -> tuple[list[tuple[float, int]], list[tuple[float, int]]]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    pad, minimal = [], []
    with tempfile.TemporaryDirectory(dir=ROOT) as tmp:
        run = [sys.executable, "-m", "kiosk", "run", "--headless", "--data-dir", tmp]
        run += ["--set", "bridge.port=0", "--set", "evaluator.protocol=none"]
        for _ in range(STARTS):  # interleaved, so that the machine's moods weigh on both alike
            minimal.append(_start([sys.executable, "-c", MINIMAL_APP], "ready", env))
            pad.append(_start(run, "kiosk: ready", env))
    return pad, minimal


def run() -> str:
    presses, touches = _paint_latency()
    pad, minimal = _startup()
    pad_start, min_start = median([p[0] for p in pad]), median([m[0] for m in minimal])
    pad_rss, min_rss = median([p[1] for p in pad]) / 1024, median([m[1] for m in minimal]) / 1024
    goal = INSTANT_S / 2
    return (
        "## Citizen screens\n\n"
        f"### To the thanks screen\n\n{TRIALS} each, offscreen, in-process pad with the real EVP/1 driver on a "
        "pseudo-terminal: from the last byte of a KEY frame written to the pty, and from a touch on the "
        "picker's submit (the touch that completes a rating; levels 3-5 offer reasons), to the thanks "
        "screen's paint event.\n\n"
        "| | p50 | p99 |\n|---|---|---|\n"
        f"| press | {ms(median(presses))} | {ms(percentile(presses, 99))} |\n"
        f"| touch | {ms(median(touches))} | {ms(percentile(touches, 99))} |\n\n"
        f"Goal: p99 ≤ half of the {INSTANT_S * 1000:.0f} ms a person reads as instant: press "
        f"**{verdict(percentile(presses, 99) <= goal)}**, touch **{verdict(percentile(touches, 99) <= goal)}**\n\n"
        f"### Start-up and idle memory\n\n{STARTS} starts each, interleaved, medians; RSS after 2 s idle.\n\n"
        "| | start to ready | idle RSS |\n|---|---|---|\n"
        f"| `kiosk run --headless` | {ms(pad_start)} | {pad_rss:.0f} MiB |\n"
        f"| minimal PySide6 app, one label | {ms(min_start)} | {min_rss:.0f} MiB |\n\n"
        f"start ratio {pad_start / min_start:.2f}× (goal ≤ 4×): **{verdict(pad_start <= 4 * min_start)}**; "
        f"memory +{pad_rss - min_rss:.0f} MiB (goal ≤ +90 MB): **{verdict(pad_rss - min_rss <= 90)}**\n"
    )


if __name__ == "__main__":
    print(run())
