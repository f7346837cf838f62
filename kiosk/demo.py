"""`kiosk demo`: the whole system on one machine with nothing to configure.

A provincial sandbox on a free loopback port, an enrolled pad, a simulated evaluator on a pseudo-terminal,
and a simulated counter that opens sessions over the bridge (and, as the hall's case system would, reports
each 办件 to the province). Headless, it plays N ratings through the same paths a person would take: N - 1
as a session over HTTP, a press on the evaluator and a touch on the reason picker where one opens; the last
on a phone, for a session left to time out on the pad: the QR code's page fetched and its form posted, as a
phone's browser would, until the pad learns the rating at its next heartbeat. It then reports what the
province holds. With a screen, a person rates, on the pad or on the QR code's page.
"""

from __future__ import annotations

import concurrent.futures
import json
import logging
import os
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urljoin

import requests

from kiosk.app import PadApplication
from kiosk.config import load
from kiosk.domain.clock import Clock
from kiosk.domain.validation import id_check_character
from kiosk.logs import route_qt_messages, setup_logging

log = logging.getLogger(__name__)

T = TypeVar("T")
ACCEPT_WAIT_S = 30.0
STEP_WAIT_S = 15.0
DEMO_LEVELS = (5, 4, 2, 5, 3, 1, 4, 5)
DEMO_NAMES = ("陈明", "林晓芳", "王磊", "张静", "李建国", "黄丽", "吴强", "郑洁")
# The hall's settings in the demo's sandbox: heartbeats often, so that a rating made on the phone page
# reaches the pad within seconds; headless, a session left alone times out soon.
HEARTBEAT_S = {True: 1, False: 5}
HEADLESS_RATE_TIMEOUT_S = 5
PHONE_CHANNEL = "3"  # pf of a rating made by scanning the pad's QR code
GATEWAY_PROFILE = "fujian-gateway"


def demo_applicant(index: int) -> dict[str, str]:
    """A made-up applicant with a valid ID check digit (never a real person's number)."""
    birth = f"{1970 + index % 30}{1 + index % 9:02d}{10 + index % 18:02d}"
    first17 = f"350102{birth}{index % 1000:03d}"
    return {
        "name": DEMO_NAMES[index % len(DEMO_NAMES)],
        "userProp": "1",
        "certType": "111",
        "certNo": first17 + id_check_character(first17),
        "mobile": f"1380013{index % 10000:04d}",
    }


def session_body(index: int, now: str) -> dict[str, Any]:
    return {
        "projectNo": f"DEMO{int(time.time())}{index:04d}",
        "taskCode": "1135000000359143343350111002000",
        "taskName": "个体工商户设立登记",
        "acceptTime": now,
        "finishTime": now,
        "applicant": demo_applicant(index),
    }


def case_report(session: dict[str, Any]) -> dict[str, Any]:
    """The sandbox's `POST /projects` body for a session's 办件: what the hall's case system tells the
    province, so that the QR code's page knows the case and its applicant."""
    keys = ("projectNo", "taskCode", "taskName", "acceptTime", "applicant")
    return {key: session[key] for key in keys}


class PhoneForm(HTMLParser):
    """What a phone's browser reads off the QR code's page: the form's action, its hidden fields, and the
    reason codes it offers."""

    def __init__(self) -> None:
        super().__init__()
        self.action = ""
        self.hidden: dict[str, str] = {}
        self.reasons: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.action = attributes.get("action", "")
        elif tag == "input" and attributes.get("type") == "hidden":
            self.hidden[attributes.get("name", "")] = attributes.get("value", "")
        elif tag == "input" and attributes.get("name") == "evalDetail":
            self.reasons.append(attributes.get("value", ""))


def wait_for(condition: Callable[[], bool], what: str, timeout: float = STEP_WAIT_S) -> None:
    """Polls a condition from the demo's driver thread; raises when it does not hold in time."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise RuntimeError(f"timed out waiting for {what}")


def quit_from_driver(pad: PadApplication) -> None:
    """Ends the Qt event loop from the driver thread, through the Pad's queue (the run is over)."""
    from PySide6.QtCore import QCoreApplication

    app = QCoreApplication.instance()
    if app is not None:
        pad.gateway.submit(lambda _pad: app.quit())


class DemoSystem:
    """The sandbox, the simulated evaluator and the pad, started together in one data directory.

    Args:
        root: the demo's data directory.
        headless: no window.
        profile: the pad's uplink: our JSON uplink, enrolled with a code; or `fujian-gateway`, through the
            sandbox's double of Fujian's gateway with an app issued for the window.
    """

    def __init__(self, root: Path, headless: bool, profile: str = "json") -> None:
        from kiosk.devices.evaluator_simulator import SimulatedEvaluator
        from province.seed import DEMO_HALL
        from province.server import SandboxServer

        self.root = root
        self.profile = profile
        self.app_key = ""
        self.sandbox = SandboxServer(root / "sandbox.sqlite3", port=0)
        self.sandbox.start()
        store = self.sandbox.store
        store.set_setting(DEMO_HALL, "heartbeatS", HEARTBEAT_S[headless])
        if headless:
            store.set_setting(DEMO_HALL, "rateTimeoutS", HEADLESS_RATE_TIMEOUT_S)
        uplink = self._gateway_uplink() if profile == GATEWAY_PROFILE else self._json_uplink()
        self.simulator = SimulatedEvaluator("frame", address=1)
        config = load(
            None,
            [
                *uplink,
                "evaluator.protocol=frame",
                f'evaluator.port="{self.simulator.port}"',
                "bridge.port=0",
                "pad.windowed=true",
            ],
        )
        self.pad = PadApplication(config, root / "pad", headless=headless)
        self.bridge_url = self.pad.start()
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {self.pad.token}"

    def _json_uplink(self) -> list[str]:
        """The pad's keys for our JSON uplink: the sandbox's address and a code to enrol with."""
        from province.seed import DEMO_HALL, DEMO_WINDOW

        code = self.sandbox.store.issue_code(DEMO_HALL, DEMO_WINDOW)
        return [f'uplink.url="{self.sandbox.url}"', f'uplink.enroll_code="{code}"']

    def _gateway_uplink(self) -> list[str]:
        """The pad's keys for the gateway profile: the double's address and an app issued for the window;
        the hall file holds what the JSON uplink's configuration would bring."""
        from province.device_config import device_config
        from province.seed import DEMO_HALL, DEMO_WINDOW

        store = self.sandbox.store
        app = store.issue_app(DEMO_HALL, DEMO_WINDOW)
        self.app_key = app.app_key
        place = store.window(DEMO_HALL, DEMO_WINDOW)
        assert place is not None, "the demo hall has its window"
        hall = device_config(
            place,
            store.roster(DEMO_HALL, DEMO_WINDOW),
            store.settings(DEMO_HALL),
            store.catalogue,
            self.sandbox.public_url,
            store.notices(DEMO_HALL),
        )
        # Of the settings, only the prompt's timeout means anything without a heartbeat or defaults.
        hall["settings"] = {"rateTimeoutS": hall["settings"]["rateTimeoutS"]}
        (self.root / "pad").mkdir(parents=True, exist_ok=True)
        (self.root / "pad" / "hall.json").write_text(json.dumps(hall, ensure_ascii=False), encoding="utf-8")
        return [
            f'uplink.profile="{GATEWAY_PROFILE}"',
            f'uplink.fujian.gateway="{self.sandbox.gateway_url}"',
            f'uplink.fujian.app_key="{app.app_key}"',
            f'uplink.fujian.app_code="{app.app_code}"',
        ]

    def on_qt(self, fn: Callable[[], T]) -> T:
        """Runs fn on the Qt thread (from the demo's driver thread) and waits for it."""
        return self.pad.gateway.submit(lambda _pad: fn()).result(STEP_WAIT_S)

    def api(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        return self.session.request(
            method, f"{self.bridge_url}/api/v1{path}", timeout=STEP_WAIT_S + 5, **kwargs
        )

    @property
    def overview_url(self) -> str:
        """The sandbox's overview page."""
        return f"{self.sandbox.public_url}/"

    def report_case(self, session: dict[str, Any]) -> None:
        """Reports a session's 办件 to the province, as the hall's case system does."""
        answer = requests.post(f"{self.sandbox.url}/projects", json=case_report(session), timeout=STEP_WAIT_S)
        answer.raise_for_status()

    def accepted(self, phone_cases: Sequence[str] = ()) -> int:
        """The ratings the province holds: the pad's records it accepted, and the 办件 among
        `phone_cases` rated on the QR code's page."""
        store = self.sandbox.store
        by_phone = sum(
            1
            for project_no in phone_cases
            if (rating := store.first_rating(project_no)) is not None and rating.pf == PHONE_CHANNEL
        )
        if self.profile == GATEWAY_PROFILE:
            return len(store.gateway_ratings_for(self.app_key)) + by_phone
        return store.accepted_count(self.pad.ledger.device_id) + by_phone

    def stop(self) -> None:
        self.pad.stop()
        self.simulator.close()
        self.sandbox.stop()


class HeadlessRun:
    """Plays N ratings as a person would (the last on a phone), then reports what the province holds.

    The phone's rating counts as one of the N: rated once the pad has learnt it (its session `rated`, channel
    3), and held by the province as the 办件's first rating; the pad makes no record of it.
    """

    def __init__(self, system: DemoSystem, ratings: int) -> None:
        self.system = system
        self.ratings = ratings
        self.rated = 0
        self.phone_cases: list[str] = []
        self.exit_code = 1

    def run(self) -> None:
        system = self.system
        try:
            if system.profile != GATEWAY_PROFILE:  # the gateway has no enrolment, no heartbeat
                wait_for(lambda: system.api("GET", "/status").json()["enrolled"], "enrolment")
                # The pad takes the hall's settings (and its QR template) before its first heartbeat.
                device_id = system.pad.ledger.device_id
                wait_for(
                    lambda: system.sandbox.store.heartbeat_at(device_id) is not None, "a first heartbeat"
                )
            system.api("POST", "/staff/sign-in", json={"staffId": "S1024"}).raise_for_status()
            for index in range(self.ratings - 1):
                self._rate_one(index)
            self._rate_by_phone(self.ratings - 1)
            deadline = time.monotonic() + ACCEPT_WAIT_S
            # Done when the province holds them all and the pad has recorded its answers.
            while time.monotonic() < deadline and (
                system.accepted(self.phone_cases) < self.ratings or system.pad.ledger.queue_depth() > 0
            ):
                time.sleep(0.2)
            accepted = system.accepted(self.phone_cases)
            waiting = system.pad.ledger.queue_depth()
            print(
                f"demo: {self.rated} rated, {accepted} accepted by the province, {waiting} waiting",
                flush=True,
            )
            self.exit_code = 0 if accepted == self.ratings == self.rated else 1
        except Exception as exc:  # the demo reports any failure on its one line of output, then exits 1
            log.exception("demo failed")
            print(f"demo: failed after {self.rated} rated: {exc}", flush=True)
        finally:
            quit_from_driver(system.pad)

    def _open_session(self, index: int) -> dict[str, Any]:
        """Reports a 办件 to the province as the case system would, and opens its session on the pad."""
        system = self.system
        now = system.on_qt(system.pad.clock.now).replace(microsecond=0).isoformat()
        body = session_body(index, now)
        system.report_case(body)
        created = system.api("POST", "/sessions", json=body)
        created.raise_for_status()
        answer: dict[str, Any] = created.json()
        return answer

    def _rate_one(self, index: int) -> None:
        system = self.system
        satisfaction = DEMO_LEVELS[index % len(DEMO_LEVELS)]
        created = self._open_session(index)
        session_id = created["sessionId"]
        # The pad arms the evaluator for the session; the citizen then presses the button for the level.
        if not system.simulator.wait_for("armed", timeout=STEP_WAIT_S, count=index + 1):
            raise RuntimeError("the evaluator was never armed")
        button = next(b for b, level in system.pad.evaluator.buttons.items() if level == satisfaction)
        system.simulator.press(button)
        if satisfaction <= 2:
            self._pick_reason()
        answer = system.api("GET", f"/sessions/{session_id}?wait=10").json()
        if answer["state"] != "rated":
            raise RuntimeError(f"session {index + 1} is {answer['state']}, not rated")
        wait_for(
            lambda: system.on_qt(lambda: system.pad.pad.screen_state().screen.value) != "reasons", "picker"
        )
        self.rated += 1
        log.info("demo: rating %d of %d made", index + 1, self.ratings)

    def _rate_by_phone(self, index: int) -> None:
        """Nobody rates on the pad; the citizen scans the QR code and rates on the phone page. The pad
        learns the rating at its next heartbeat, and the session becomes rated there by channel 3."""
        system = self.system
        satisfaction = DEMO_LEVELS[index % len(DEMO_LEVELS)]
        created = self._open_session(index)
        session_id, url = created["sessionId"], created["qrUrl"]
        if system.profile == GATEWAY_PROFILE:
            # The province's page, asked of the gateway when the session opened, comes to the screen.
            wait_for(lambda: bool(system.on_qt(system.pad.pad.screen_state).qr_url), "the gateway's QR code")
            url = system.on_qt(system.pad.pad.screen_state).qr_url
        if not url:
            raise RuntimeError("the pad gave no QR code for the session")
        answer = system.api("GET", f"/sessions/{session_id}?wait={HEADLESS_RATE_TIMEOUT_S + 10}").json()
        if answer["state"] != "timed_out":
            raise RuntimeError(f"the session left for the phone is {answer['state']}, not timed_out")
        phone = requests.Session()
        phone.headers["Accept-Language"] = "zh-CN,zh;q=0.9"
        page = phone.get(url, timeout=STEP_WAIT_S)
        page.raise_for_status()
        form = PhoneForm()
        form.feed(page.text)
        reasons = [code for code in form.reasons if code.startswith(str(satisfaction))][:1]
        fields = {
            **form.hidden,
            "satisfaction": str(satisfaction),
            "evalDetail": reasons,
            "writingEvaluation": "演示：扫码评价",
        }
        posted = phone.post(urljoin(page.url, form.action), data=fields, timeout=STEP_WAIT_S)
        if posted.status_code != 200 or 'id="thanks"' not in posted.text:
            raise RuntimeError(f"the phone page answered {posted.status_code}, not its thanks")
        self.phone_cases.append(answer["projectNo"])

        def learnt() -> bool:
            view = system.api("GET", f"/sessions/{session_id}").json()
            return bool(view["state"] == "rated" and view.get("channel") == PHONE_CHANNEL)

        if system.profile == GATEWAY_PROFILE:
            # No heartbeat here: the province holds the rating, and the pad leaves the 7-day rule to it.
            store, project_no = system.sandbox.store, answer["projectNo"]
            wait_for(
                lambda: getattr(store.first_rating(project_no), "pf", "") == PHONE_CHANNEL,
                "the province to hold the phone's rating",
            )
        else:
            wait_for(learnt, "the pad to learn the phone's rating")
        self.rated += 1
        log.info("demo: rating %d of %d made on the phone page", index + 1, self.ratings)

    def _pick_reason(self) -> None:
        """Touches the first reason on the picker and submits, on the real widgets."""
        window = self.system.pad.window
        wait_for(lambda: self.system.on_qt(lambda: bool(window.reasons.reason_buttons)), "the reason picker")
        wait_for(lambda: self.system.on_qt(window.reasons.isVisible), "the reason picker")
        self.system.on_qt(window.reasons.reason_buttons[0].click)
        self.system.on_qt(window.reasons.submit.click)


class DemoCounter:
    """The windowed demo's simulated case system: signs a staff member in, then opens a session whenever
    asked, reporting its 办件 to the sandbox first as the hall's case system would. HTTP runs on a thread
    of its own, so the panel never waits for it."""

    def __init__(self, bridge_url: str, token: str, sandbox_url: str, clock: Clock) -> None:
        self.bridge_url = bridge_url
        self.sandbox_url = sandbox_url
        self.clock = clock
        self.http = requests.Session()
        self.http.headers["Authorization"] = f"Bearer {token}"
        self.pool = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="demo-counter")
        self.opened = 0
        self.pool.submit(self._post, "/staff/sign-in", {"staffId": "S1024"})

    def open_session(self) -> None:
        """Opens the next session (call on the Qt thread; returns at once)."""
        self.opened += 1
        body = session_body(self.opened, self.clock.now().replace(microsecond=0).isoformat())
        self.pool.submit(self._report_then_open, case_report(body), body)

    def _report_then_open(self, case: dict[str, Any], session: dict[str, Any]) -> None:
        try:
            # The hall's case system tells the province of the 办件, so that the QR code's page knows it.
            requests.post(f"{self.sandbox_url}/projects", json=case, timeout=10)
        except requests.RequestException as exc:
            log.warning("demo case system: %s", exc)
        self._post("/sessions", session)

    def _post(self, path: str, body: dict[str, Any]) -> None:
        try:
            self.http.post(f"{self.bridge_url}/api/v1{path}", json=body, timeout=10)
        except requests.RequestException as exc:
            log.warning("demo counter: %s", exc)

    def close(self) -> None:
        self.pool.shutdown(wait=False)


def demo_setup(data_dir: Path | None, headless: bool) -> tuple[Any, Path, bool, Any]:
    """What either demo needs first: headless when asked or when there is no display, its data directory
    (a new temporary one by default), the log, the QApplication, and a SIGINT/SIGTERM that ends its loop.

    Returns:
        the application, the data directory, whether headless, and the signal waker (close it at the end).
    """
    headless = headless or not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    if headless:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    root = (data_dir or Path(tempfile.mkdtemp(prefix="kiosk-demo-"))).resolve()
    root.mkdir(parents=True, exist_ok=True)
    setup_logging(root, stderr_level=logging.ERROR)
    route_qt_messages()

    from PySide6.QtWidgets import QApplication

    from kiosk.system.posix_signals import SignalWaker

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    return app, root, headless, SignalWaker(lambda _signum: app.quit())


def run_demo(data_dir: Path | None, *, ratings: int, headless: bool, profile: str = "json") -> int:
    """`kiosk demo`: a window pad; headless when asked, or when there is no display."""
    if ratings < 1:
        print("kiosk: --ratings must be at least 1", file=sys.stderr)
        return 2
    app, root, headless, waker = demo_setup(data_dir, headless)
    system = DemoSystem(root, headless, profile)
    print(f"demo: sandbox {system.sandbox.url}, pad bridge {system.bridge_url}, data {root}", flush=True)
    print(f"demo: the province's overview page: {system.overview_url}", flush=True)
    try:
        if headless:
            run = HeadlessRun(system, ratings)
            driver = threading.Thread(target=run.run, name="demo-driver", daemon=True)
            driver.start()
            app.exec()
            driver.join(5)
            return run.exit_code
        from kiosk.ui.demo_panel import DemoPanel

        counter = DemoCounter(system.bridge_url, system.pad.token, system.sandbox.url, system.pad.pad.clock)
        panel = DemoPanel(system.pad.pad, system.simulator.press, counter.open_session, system.overview_url)
        window = system.pad.window.frameGeometry()
        panel.move(window.right() + 16, window.top())  # beside the pad's window, not over it
        panel.show()
        app.exec()
        counter.close()
        return 0
    finally:
        system.stop()
        waker.close()
