"""`kiosk demo --role terminal`: a self-service terminal with nothing to configure.

The provincial sandbox on a free loopback port, a terminal enrolled with it, a simulated SAM ID card reader
and a simulated serial barcode scanner on pseudo-terminals, and made-up cases the hall's case system has
reported to the province. Headless, it rates N cases as citizens would: about half found by laying the
applicant's ID card, the rest by scanning the receipt's barcode and typing the last four digits of the
applicant's mobile; each case touched in the list, a level touched, the reason picker submitted. It then
reports what the province holds, on the same line as the window pad's demo. With a screen, a panel beside
the terminal lays and lifts the made-up cards and scans the receipts.
"""

from __future__ import annotations

import functools
import logging
import sys
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any, TypeVar

import requests

from kiosk.app import PadApplication
from kiosk.config import load
from kiosk.demo import demo_applicant, demo_setup, quit_from_driver, wait_for
from kiosk.domain.screen import Screen

log = logging.getLogger(__name__)

T = TypeVar("T")
STEP_WAIT_S = 15.0
ACCEPT_WAIT_S = 30.0
TERMINAL_LEVELS = (5, 4, 5, 3, 2, 5, 1, 4)
TASKS = ("个体工商户设立登记", "食品经营许可证核发", "公共场所卫生许可", "医疗器械经营备案")


def demo_cases(count: int, stamp: str) -> list[dict[str, Any]]:
    """`count` made-up cases: the even ones of the card holder (the first demo applicant), the odd ones
    each of another applicant, found by their receipt."""
    cases = []
    for n in range(count):
        applicant = demo_applicant(0 if n % 2 == 0 else n)
        cases.append(
            {
                "projectNo": f"{stamp}{n:04d}",
                "taskCode": f"11350000003591433433501110020{n % 100:02d}",
                "taskName": TASKS[n % len(TASKS)],
                "windowNo": "A07",
                "staffId": "S1024",
                "applicant": applicant,
            }
        )
    return cases


class TerminalDemo:
    """The sandbox, the simulated card reader and scanner, and the terminal, started together."""

    def __init__(self, root: Path, headless: bool, cases: int) -> None:
        from kiosk.devices.card_reader_simulator import SimulatedCardReader
        from kiosk.devices.scanner_simulator import SimulatedScanner
        from province.seed import DEMO_HALL, DEMO_WINDOW
        from province.server import SandboxServer

        self.sandbox = SandboxServer(root / "sandbox.sqlite3", port=0)
        sandbox_url = self.sandbox.start()
        code = self.sandbox.store.issue_code(DEMO_HALL, DEMO_WINDOW)
        self.reader = SimulatedCardReader()
        self.scanner = SimulatedScanner()
        config = load(
            None,
            [
                f'uplink.url="{sandbox_url}"',
                f'uplink.enroll_code="{code}"',
                'device.role="terminal"',
                "evaluator.protocol=none",
                'idcard.protocol="sam"',
                f'idcard.port="{self.reader.port}"',
                'scanner.protocol="serial"',
                f'scanner.port="{self.scanner.port}"',
                "bridge.port=0",
                "pad.windowed=true",
            ],
        )
        self.pad = PadApplication(config, root / "pad", headless=headless)
        self.bridge_url = self.pad.start()
        now = self.pad.clock.now().replace(microsecond=0)
        self.cases = demo_cases(cases, f"T{int(time.time())}")
        for n, case in enumerate(self.cases):
            report = {
                **case,
                "acceptTime": (now - timedelta(hours=3, minutes=n)).isoformat(),
                "finishTime": (now - timedelta(hours=1, minutes=n)).isoformat(),
            }
            answer = requests.post(f"{self.sandbox.url}/projects", json=report, timeout=STEP_WAIT_S)
            answer.raise_for_status()

    def on_qt(self, fn: Callable[[], T]) -> T:
        """Runs fn on the Qt thread (from the demo's driver thread) and waits for it."""
        return self.pad.gateway.submit(lambda _pad: fn()).result(STEP_WAIT_S)

    def screen(self) -> Screen:
        return self.on_qt(lambda: self.pad.pad.screen_state().screen)

    @property
    def overview_url(self) -> str:
        return f"{self.sandbox.public_url}/"

    def accepted(self) -> int:
        return self.sandbox.store.accepted_count(self.pad.ledger.device_id)

    def stop(self) -> None:
        self.pad.stop()
        self.reader.close()
        self.scanner.close()
        self.sandbox.stop()


class TerminalRun:
    """Rates every demo case as citizens would, then reports what the province holds."""

    def __init__(self, demo: TerminalDemo) -> None:
        self.demo = demo
        self.rated = 0
        self.exit_code = 1

    def run(self) -> None:
        from kiosk.devices.card_reader_simulator import made_up_card

        demo = self.demo
        try:
            self._wait(lambda: demo.pad.pad.uplink.state == "online", "enrolment")
            self._wait(lambda: demo.on_qt(lambda: self._reader_state() == "connected"), "the card reader")
            holder = demo.cases[0]["applicant"]
            demo.reader.lay(made_up_card(holder["certNo"], holder["name"]))
            for case in demo.cases[::2]:
                self._rate_listed(case)
            demo.reader.lift()
            for case in demo.cases[1::2]:
                self._wait(lambda: demo.screen() is Screen.IDLE, "the idle screen")
                demo.scanner.scan(case["projectNo"])
                self._wait(lambda: demo.screen() is Screen.KEYPAD, "the number pad")
                for key in [*case["applicant"]["mobile"][-4:], "\n"]:
                    demo.on_qt(functools.partial(demo.pad.pad.keypad_key, key))
                self._rate_listed(case)
            deadline = time.monotonic() + ACCEPT_WAIT_S
            while time.monotonic() < deadline and (
                demo.accepted() < len(demo.cases) or demo.pad.ledger.queue_depth() > 0
            ):
                time.sleep(0.2)
            accepted, waiting = demo.accepted(), demo.pad.ledger.queue_depth()
            print(
                f"demo: {self.rated} rated, {accepted} accepted by the province, {waiting} waiting",
                flush=True,
            )
            self.exit_code = 0 if accepted == self.rated == len(demo.cases) else 1
        except Exception as exc:  # the demo reports any failure on its one line of output, then exits 1
            log.exception("demo failed")
            print(f"demo: failed after {self.rated} rated: {exc}", flush=True)
        finally:
            quit_from_driver(demo.pad)

    def _reader_state(self) -> str:
        reader = self.demo.pad.card_reader
        return reader.state.value if reader is not None else ""

    def _rate_listed(self, case: dict[str, Any]) -> None:
        """The citizen's cases are on screen: touch this one, a level, and submit the picker."""
        demo = self.demo
        project_no = case["projectNo"]
        self._wait(lambda: demo.screen() is Screen.CASES, f"the cases of {project_no}")
        demo.on_qt(lambda: demo.pad.pad.choose_case(project_no))
        self._wait(lambda: demo.screen() is Screen.PROMPT, "the prompt")
        satisfaction = TERMINAL_LEVELS[self.rated % len(TERMINAL_LEVELS)]
        demo.on_qt(lambda: demo.pad.pad.touch_level(satisfaction))
        self._wait(lambda: demo.screen() is Screen.REASONS, "the reason picker")
        window = demo.pad.window

        def touch_a_reason() -> None:  # on the Qt thread: the picker's buttons are made there
            window.reasons.reason_buttons[0].click()

        demo.on_qt(touch_a_reason)
        demo.on_qt(window.reasons.submit.click)
        self._wait(lambda: demo.screen() is not Screen.REASONS, "the thanks")
        demo.on_qt(demo.pad.pad.dismiss_transient_screens)
        self.rated += 1
        log.info("demo: case %d of %d rated at the terminal", self.rated, len(demo.cases))

    @staticmethod
    def _wait(condition: Callable[[], bool], what: str) -> None:
        wait_for(condition, what, STEP_WAIT_S)


def run_terminal_demo(data_dir: Path | None, *, ratings: int, headless: bool) -> int:
    """`kiosk demo --role terminal`: headless when asked, or when there is no display."""
    if ratings < 1:
        print("kiosk: --ratings must be at least 1", file=sys.stderr)
        return 2
    app, root, headless, waker = demo_setup(data_dir, headless)
    terminal = TerminalDemo(root, headless, ratings)
    print(
        f"demo: sandbox {terminal.sandbox.url}, terminal bridge {terminal.bridge_url}, data {root}",
        flush=True,
    )
    print(f"demo: the province's overview page: {terminal.overview_url}", flush=True)
    try:
        if headless:
            run = TerminalRun(terminal)
            driver = threading.Thread(target=run.run, name="demo-driver", daemon=True)
            driver.start()
            app.exec()
            driver.join(5)
            return run.exit_code
        from kiosk.ui.demo_terminal_panel import TerminalDemoPanel

        panel = TerminalDemoPanel(terminal.cases, terminal.reader, terminal.scanner, terminal.overview_url)
        window = terminal.pad.window.frameGeometry()
        panel.move(window.right() + 16, window.top())  # beside the terminal's window, not over it
        panel.show()
        app.exec()
        return 0
    finally:
        terminal.stop()
        waker.close()
