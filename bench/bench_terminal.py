"""A self-service terminal: card laid → the citizen's cases on screen, against the floor of the same run.

The terminal runs whole (PadApplication, role terminal, headless) against the sandbox on loopback, its SAM
reader the simulator on a pseudo-terminal, paced at 115200 baud 8N1 (10 bits a byte, each command and answer
taking its wire time, as on a real line). Each of READS made-up citizens has a case reported to the
province; their cards are laid one after another.

The clock starts when the find that finds the card reaches the reader: the protocol polls every 500 ms, and
the wait for the next poll is the protocol's, not ours. It stops when the window has switched to the cases
screen with the citizen's cases.

The floor, measured in the same run: the wire time of the three exchanges (find, select, read; the read
answer alone is 1,295 bytes) plus the median of READS signed look-ups made straight to the sandbox with the
terminal's own key on one keep-alive connection. Goal: p95 at most 100 ms over the floor.
"""

from __future__ import annotations

import os
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import requests

from bench.stats import median, percentile, verdict

READS = 50
BAUD = 115200
GOAL_OVER_MS = 100.0
WAIT_S = 15.0


def _wire_ms() -> float:
    from kiosk.devices import sam_codec
    from kiosk.devices.card_reader_simulator import PHOTO, made_up_card
    from kiosk.devices.sam_codec import encode_answer, encode_card_text, encode_read_answer

    card = made_up_card("350102199001011238", "陈明")
    frames = [
        sam_codec.encode_command(*sam_codec.FIND),
        encode_answer(sam_codec.CARD_FOUND, sam_codec.FIND_DATA),
        sam_codec.encode_command(*sam_codec.SELECT),
        encode_answer(sam_codec.DONE, sam_codec.SELECT_DATA),
        sam_codec.encode_command(*sam_codec.READ),
        encode_read_answer(encode_card_text(card), PHOTO),
    ]
    return sum(len(frame) for frame in frames) * 10 / BAUD * 1000


def run() -> str:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication

    from kiosk.app import PadApplication
    from kiosk.config import load
    from kiosk.demo import demo_applicant
    from kiosk.devices.card_reader_simulator import SimulatedCardReader, made_up_card
    from kiosk.domain.cases import CaseQuery
    from kiosk.domain.screen import Screen
    from kiosk.sync.client import UplinkClient
    from province.seed import DEMO_HALL, DEMO_WINDOW
    from province.server import SandboxServer

    qt = QApplication.instance() or QApplication([])

    def until(condition: object, what: str) -> None:
        deadline = time.monotonic() + WAIT_S
        while not condition():  # type: ignore[operator]
            if time.monotonic() > deadline:
                raise RuntimeError(f"bench terminal: timed out waiting for {what}")
            QCoreApplication.processEvents()
            time.sleep(0.0005)

    with tempfile.TemporaryDirectory() as tmp:
        sandbox = SandboxServer(Path(tmp) / "sandbox.sqlite3", port=0)
        url = sandbox.start()
        reader = SimulatedCardReader(baud=BAUD)
        code = sandbox.store.issue_code(DEMO_HALL, DEMO_WINDOW)
        config = load(
            None,
            [
                f'uplink.url="{url}"',
                f'uplink.enroll_code="{code}"',
                'device.role="terminal"',
                "evaluator.protocol=none",
                'idcard.protocol="sam"',
                f'idcard.port="{reader.port}"',
                "bridge.port=0",
            ],
        )
        pad = PadApplication(config, Path(tmp) / "pad", headless=True)
        pad.start()
        try:
            now = pad.clock.now().replace(microsecond=0)
            citizens = [demo_applicant(100 + n) for n in range(READS)]
            for n, applicant in enumerate(citizens):
                report = {
                    "projectNo": f"BENCH-T-{n:04d}",
                    "taskCode": "1135000000359143343350111002000",
                    "taskName": "个体工商户设立登记",
                    "acceptTime": (now - timedelta(hours=2)).isoformat(),
                    "finishTime": (now - timedelta(hours=1)).isoformat(),
                    "applicant": applicant,
                }
                requests.post(f"{sandbox.url}/projects", json=report, timeout=10).raise_for_status()
            until(lambda: pad.pad.uplink.state == "online", "enrolment")
            until(lambda: pad.card_reader is not None and pad.card_reader.state == "connected", "the reader")
            window = pad.window
            shown: list[float] = []
            window.stack.currentChanged.connect(
                lambda _index: (
                    shown.append(time.perf_counter()) if window.current_screen is Screen.CASES else None
                )
            )
            latencies = []
            for applicant in citizens:
                pad.pad.leave_terminal()
                reader.lift()
                finds = reader.commands.count("find")
                until(lambda finds=finds: reader.commands.count("find") > finds, "a find with no card")
                before = len(reader.received)
                shown.clear()
                reader.lay(made_up_card(applicant["certNo"], applicant["name"]))
                until(lambda: bool(shown), "the cases on screen")
                found = next(c for c in reader.received[before:] if c.name == "find")
                latencies.append((shown[0] - found.at) * 1000)
            # The floor's look-up: the same signed request, straight to the sandbox, one connection.
            client = UplinkClient(url, pad.ledger.device_id, pad.ledger.device_secret, 10, clock=pad.clock)
            round_trips = []
            for applicant in citizens:
                query = CaseQuery.by_card(made_up_card(applicant["certNo"], applicant["name"]))
                started = time.perf_counter()
                client.lookup(query)
                round_trips.append((time.perf_counter() - started) * 1000)
            client.close()
        finally:
            pad.stop()
            reader.close()
            sandbox.stop()
    del qt
    wire = _wire_ms()
    floor = wire + median(round_trips)
    p50, p95 = median(latencies), percentile(latencies, 95)
    over = p95 - floor
    return "\n".join(
        [
            "## Terminal: card laid → cases on screen",
            "",
            f"{READS} cards laid on the simulated SAM reader (paced at {BAUD} baud), each a different made-up "
            "citizen with a case at the sandbox; the clock from the find that finds the card to the cases screen.",
            "",
            "| | ms |",
            "|---|---|",
            f"| wire time of find, select, read (computed) | {wire:.1f} |",
            f"| look-up round trip straight to the sandbox, median of {READS} | {median(round_trips):.1f} |",
            f"| **floor** | **{floor:.1f}** |",
            f"| card → cases, median | {p50:.1f} |",
            f"| card → cases, p95 | {p95:.1f} |",
            f"| p95 over the floor (goal ≤ {GOAL_OVER_MS:.0f}) | {over:.1f} — {verdict(over <= GOAL_OVER_MS)} |",
        ]
    )
