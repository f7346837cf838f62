"""The other side of the QR code, in a real browser: a pad (`kiosk run --headless`), the sandbox, and
Debian's chromium at a phone's 390×844.

A session times out on the pad; its QR URL (the bridge's `qrUrl`) is opened on the "phone"; the rating made
there is the province's (pf 3), and the pad learns it at its next heartbeat: the session becomes `rated`
and the pad records nothing of its own. Every page the browser shows is searched for the applicant's ID and
phone numbers. With KIOSK_SCREENSHOTS=1 (`make page-screenshots`) the pages are also saved for the README.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import requests
from playwright.sync_api import Browser, Page, Response

from kiosk.domain.qr import qr_token, qr_url
from province.seed import DEMO_HALL, DEMO_WINDOW
from province.server import SandboxServer
from tests.helpers.browser import SCREENSHOTS, new_context, new_phone, screenshots_wanted
from tests.helpers.people import CHEN_MING_ID, CHEN_MING_MOBILE, applicant, session_body
from tests.helpers.procs import Child, headless_pad
from tests.helpers.scan import encodings
from tests.province.helpers import DeviceClient

pytestmark = pytest.mark.slow

CST = timezone(timedelta(hours=8))
RATE_TIMEOUT_S = 2  # the hall's rateTimeoutS: a session not rated on the pad times out at once
HEARTBEAT_S = 1  # the hall's heartbeatS: the pad asks about its timed-out sessions every second
WAIT_S = 30.0


def wait_until(condition: Callable[[], Any], what: str, timeout: float = WAIT_S) -> Any:
    """Polls a condition (an HTTP answer, a row) until it holds; its value, or a failure naming `what`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    pytest.fail(f"timed out waiting for {what}")


@dataclass
class Hall:
    """The sandbox and a pad enrolled with it, for the whole module."""

    sandbox: SandboxServer
    pad: Child
    bridge: str
    headers: dict[str, str]
    device_id: str
    pages_seen: list[str] = field(default_factory=list)

    @property
    def key(self) -> bytes:
        device = self.sandbox.store.device(self.device_id)
        assert device is not None
        return device.secret

    def bridge_api(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        return requests.request(
            method, f"{self.bridge}/api/v1{path}", headers=self.headers, timeout=20, **kwargs
        )

    def report(self, project_no: str) -> None:
        """The hall's case system reports the 办件 to the province (sandbox `POST /projects`)."""
        body = {
            "projectNo": project_no,
            "taskCode": "1135000000359143343350111002000",
            "taskName": "个体工商户设立登记",
            "acceptTime": now_text(),
            "applicant": applicant(),
        }
        assert requests.post(f"{self.sandbox.url}/projects", json=body, timeout=10).status_code == 201

    def url_for(self, project_no: str, window_start: datetime) -> str:
        """A QR URL made with the pad's own key, as the pad would make it for another session."""
        template = self.sandbox.public_url + "/m/evaluate?d={deviceId}&p={projectNo}&t={token}"
        return qr_url(template, self.device_id, project_no, qr_token(self.key, project_no, window_start))

    def evaluation(self, project_no: str) -> dict[str, Any]:
        """What the sandbox tells a device of a 办件 (`GET /projects/{p}/evaluation`, signed)."""
        client = DeviceClient(self.sandbox.url, self.device_id, self.key)
        answer = client.request("GET", f"/projects/{project_no}/evaluation")
        assert answer.status_code == 200, answer.text
        result: dict[str, Any] = answer.json()
        return result

    def show(self, page: Page, response: Response | None = None) -> str:
        """The page's HTML, searched for the applicant's ID and phone numbers in every encoding, and for
        the unmasked name; kept for the module's last look."""
        html = page.content()
        raw = response.body() if response is not None else b""
        for secret in (CHEN_MING_ID, CHEN_MING_MOBILE):
            for form in encodings(secret):
                assert form not in html.encode() and form not in raw, f"{page.url} shows {secret[:3]}…"
        assert applicant()["name"] not in html, f"{page.url} shows the applicant's name unmasked"
        self.pages_seen.append(page.url)
        return html


def new_project_no() -> str:
    """A 20-digit 办件编号 as halls write them (area, date, sequence), unused by any other test."""
    return f"350102{datetime.now(CST):%Y%m%d}{uuid.uuid4().int % 10**6:06d}"


def now_text() -> str:
    return datetime.now(CST).replace(microsecond=0).isoformat()


def shoot(page: Page, name: str, *, full_page: bool = False) -> None:
    if screenshots_wanted():
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)


@pytest.fixture(scope="module")
def hall(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hall]:
    root = tmp_path_factory.mktemp("phone-page")
    sandbox = SandboxServer(root / "sandbox.sqlite3")
    sandbox.start()
    pad: Child | None = None
    try:
        sandbox.store.set_setting(DEMO_HALL, "rateTimeoutS", RATE_TIMEOUT_S)
        sandbox.store.set_setting(DEMO_HALL, "heartbeatS", HEARTBEAT_S)
        code = sandbox.store.issue_code(DEMO_HALL, DEMO_WINDOW)
        pad = headless_pad(root / "pad", f'uplink.url="{sandbox.url}"', f'uplink.enroll_code="{code}"')
        bridge = pad.read_line(r"^kiosk: ready bridge=(\S+) data=").group(1)
        token = (root / "pad" / "bridge.token").read_text().strip()
        made = Hall(sandbox, pad, bridge, {"Authorization": f"Bearer {token}"}, "")
        made.device_id = wait_until(
            lambda: (status := made.bridge_api("GET", "/status").json())["enrolled"] and status["deviceId"],
            "the pad to enrol",
        )
        # The pad asks for its config before its first heartbeat: once one is in, the hall's settings hold.
        wait_until(
            lambda: any(
                d.device_id == made.device_id and d.last_heartbeat_at
                for d in sandbox.store.overview().devices
            ),
            "the pad's first heartbeat",
        )
        yield made
    finally:
        if pad is not None:
            assert pad.terminate() == 0
        sandbox.stop()


@dataclass(frozen=True)
class PhoneRating:
    """What happened when a session timed out on the pad and its QR code was rated on the phone."""

    project_no: str
    session_id: str
    qr_url: str
    status: int
    thanks_html: str
    evaluation: dict[str, Any]
    pad_view: dict[str, Any]


@pytest.fixture(scope="module")
def phone_rating(hall: Hall, browser: Browser) -> PhoneRating:
    """The flow of the issue, once for the module (the overview test looks at its result too)."""
    project_no = new_project_no()
    hall.report(project_no)
    now = now_text()
    created = hall.bridge_api(
        "POST", "/sessions", json=session_body(project_no, acceptTime=now, finishTime=now)
    )
    assert created.status_code == 201, created.text
    session_id, url = created.json()["sessionId"], created.json()["qrUrl"]
    assert url and url.startswith(f"{hall.sandbox.public_url}/m/evaluate?"), url
    # Nobody rates on the pad: the session times out there.
    timed_out = hall.bridge_api("GET", f"/sessions/{session_id}?wait=15").json()
    assert timed_out["state"] == "timed_out", timed_out

    context = new_phone(browser)
    try:
        page = context.new_page()
        # 1. The phone opens the URL of the QR code.
        opened = page.goto(url)
        assert opened is not None and opened.status == 200
        hall.show(page, opened)
        shoot(page, "phone-choose-zh_CN-390x844")
        # 2. 不满意, one reason, some text; submit.
        page.get_by_text("不满意", exact=True).click()
        reasons = page.locator(".r2 label.reason")
        assert reasons.first.is_visible() and not page.locator(".r5 label.reason").first.is_visible()
        reasons.first.click()
        page.get_by_label("评价内容").fill("等候时间太长，希望改进。")
        page.locator(".r2").scroll_into_view_if_needed()
        page.evaluate("window.scrollBy(0, -80)")
        shoot(page, "phone-reasons-zh_CN-390x844")
        with page.expect_navigation() as navigation:
            page.get_by_role("button", name="提交评价").click()
        # 3. The thank-you page.
        response = navigation.value
        assert response is not None
        page.locator("#thanks").wait_for()
        thanks_html = hall.show(page, response)
        shoot(page, "phone-thanks-zh_CN-390x844")
    finally:
        context.close()

    # 4. The sandbox says rated, by QR code.
    evaluation = hall.evaluation(project_no)
    # 5. The pad learns it at its next heartbeat.
    pad_view = wait_until(
        lambda: (
            (view := hall.bridge_api("GET", f"/sessions/{session_id}").json())["state"] == "rated" and view
        ),
        "the pad to learn the phone's rating",
    )
    return PhoneRating(project_no, session_id, url, response.status, thanks_html, evaluation, pad_view)


def test_a_rating_on_the_phone_reaches_the_province_and_the_pad(
    hall: Hall, phone_rating: PhoneRating
) -> None:
    assert phone_rating.status == 200
    assert "感谢您的评价" in phone_rating.thanks_html and "<span>不满意</span>" in phone_rating.thanks_html
    evaluation = phone_rating.evaluation
    assert (evaluation["rated"], evaluation["satisfaction"], evaluation["pf"]) == (True, 2, "3")
    view = phone_rating.pad_view
    assert (view["state"], view["channel"], view["ratedAt"]) == ("rated", "3", evaluation["assessTime"])
    # No default, no record at all: the pad sent nothing of its own for the 办件.
    assert hall.sandbox.store.records_for(hall.device_id) == []
    assert hall.bridge_api("GET", "/status").json()["uplink"]["queueDepth"] == 0


def _refusals(hall: Hall) -> dict[str, str]:
    """A URL for each refusal, all made with the pad's key."""
    now = datetime.now(UTC)
    expired, unknown, rated, forged = (new_project_no() for _ in range(4))
    for project_no in (expired, rated, forged):
        hall.report(project_no)
    hall.sandbox.store.rate_elsewhere(rated, 4, "6")  # rated on the 12345 line first
    good = hall.url_for(forged, now)
    return {
        "forged": good[:-3] + ("xyz" if not good.endswith("xyz") else "abc"),
        "expired": hall.url_for(expired, now - timedelta(days=7, minutes=1)),
        "rated": hall.url_for(rated, now),
        "unknown": hall.url_for(unknown, now),
    }


@pytest.mark.parametrize(
    ("kind", "status", "title"),
    [
        ("forged", 403, "二维码无效"),
        ("expired", 410, "二维码已过期"),
        ("rated", 409, "该办件已评价"),
        ("unknown", 404, "未找到该办件"),
    ],
    ids=["forged-403", "expired-410", "rated-409", "unknown-404"],
)
def test_each_refusal_page_in_the_browser(
    hall: Hall, phone: Page, kind: str, status: int, title: str
) -> None:
    response = phone.goto(_refusals(hall)[kind])

    assert response is not None and response.status == status
    assert phone.locator("h1").inner_text() == title
    assert phone.locator("#refusal").get_attribute("data-kind") == kind
    html = hall.show(phone, response)
    assert "陈*" not in html  # a refusal says nothing of who the applicant is
    if kind == "expired":
        shoot(phone, "phone-expired-zh_CN-390x844")


def test_invalid_input_shows_the_form_again_with_the_field_named(hall: Hall, phone: Page) -> None:
    project_no = new_project_no()
    hall.report(project_no)
    phone.goto(hall.url_for(project_no, datetime.now(UTC)))

    phone.get_by_text("非常不满意", exact=True).click()
    with phone.expect_navigation() as navigation:
        phone.get_by_role("button", name="提交评价").click()

    response = navigation.value
    assert response is not None and response.status == 422
    error = phone.locator("#error")
    assert error.get_attribute("data-field") == "evalDetail"
    assert error.inner_text().startswith("原因")
    assert phone.locator("#lv1").is_checked()  # the choice is kept
    assert phone.locator(".r1 label.reason").first.is_visible()
    hall.show(phone, response)
    assert hall.evaluation(project_no) == {"rated": False}


def test_the_page_speaks_english_to_an_english_browser(hall: Hall, browser: Browser) -> None:
    project_no = new_project_no()
    hall.report(project_no)
    context = new_phone(browser, locale="en-US")
    try:
        page = context.new_page()
        response = page.goto(hall.url_for(project_no, datetime.now(UTC)))
        assert response is not None and response.status == 200
        assert page.locator("html").get_attribute("lang") == "en"
        assert page.get_by_text("very dissatisfied", exact=True).is_visible()
        hall.show(page, response)
    finally:
        context.close()


def test_the_page_fits_a_narrow_phone(hall: Hall, browser: Browser) -> None:
    project_no = new_project_no()
    hall.report(project_no)
    context = new_phone(browser, viewport={"width": 360, "height": 640})
    try:
        page = context.new_page()
        page.goto(hall.url_for(project_no, datetime.now(UTC)))
        page.get_by_text("不满意", exact=True).click()
        # Nothing wider than the screen: no sideways scrolling at 360 px.
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        hall.show(page)
    finally:
        context.close()


def test_the_overview_lists_the_pad_and_the_ratings(
    hall: Hall, phone_rating: PhoneRating, browser: Browser
) -> None:
    context = new_context(browser)  # a technician's screen, 1280×800
    try:
        page = context.new_page()
        response = page.goto(f"{hall.sandbox.public_url}/")
        assert response is not None and response.status == 200
        device = page.locator(f'#devices tr[data-device="{hall.device_id}"]')
        assert "鼓楼区政务服务中心 · A07" in device.inner_text()
        assert device.locator("[data-chain]").get_attribute("data-chain") == "whole"
        rating = page.locator(f'#ratings tr[data-project="{phone_rating.project_no}"]')
        assert "不满意" in rating.inner_text() and "3 二维码" in rating.inner_text()
        assert "陈*" in rating.inner_text()
        assert page.locator(f'#phone tr[data-project="{phone_rating.project_no}"]').count() == 1
        assert page.locator('meta[http-equiv="refresh"]').get_attribute("content") == "5"
        hall.show(page, response)
        shoot(page, "overview-zh_CN-1280x800")
    finally:
        context.close()


def test_the_readme_shows_the_phone_page_beside_the_pads_qr_screen() -> None:
    root = Path(__file__).resolve().parents[1]
    readme = (root / "README.md").read_text(encoding="utf-8")
    row = next(line for line in readme.splitlines() if "phone-choose-zh_CN-390x844.png" in line)
    assert "qr-zh_CN-1920x1080.png" in row
    for name in ("choose", "reasons", "thanks", "expired"):
        assert f"docs/screenshots/phone-{name}-zh_CN-390x844.png" in readme
        assert (root / "docs" / "screenshots" / f"phone-{name}-zh_CN-390x844.png").is_file()
    assert (root / "docs" / "screenshots" / "overview-zh_CN-1280x800.png").is_file()
