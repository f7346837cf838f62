"""A case system's page calling the pad from the clerk's browser: docs/examples/case-system.html, served from
another origin by a small web server of the test's own, in Debian's chromium (headless), against a
`kiosk run` pad with a simulated evaluator.

From the listed origin the page signs staff in and out, opens a session, and shows `rated` (never the level)
once the simulated evaluator is pressed; it cancels one too. From an origin the pad does not list the same
page gets nothing: client.js does not load, the browser refuses every call, and the pad opens no session.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.helpers.browser import new_context
from tests.helpers.counter import EXAMPLES, CounterPad, StaticSite, start_counter_pad, toml_list, wait_until

pytestmark = pytest.mark.slow

LEVEL_WORDS = ("非常满意", "基本满意", "不满意", "非常不满意", "satisfaction", "level")


@dataclass
class Window:
    pad: CounterPad
    listed: StaticSite
    unlisted: StaticSite


@pytest.fixture(scope="module")
def window(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Window]:
    listed, unlisted = StaticSite(EXAMPLES), StaticSite(EXAMPLES)
    try:
        pad = start_counter_pad(
            tmp_path_factory.mktemp("browser"),
            f"bridge.allowed_origins={toml_list([listed.origin])}",
            "pad.reasons_after_press=false",
        )
        try:
            yield Window(pad, listed, unlisted)
        finally:
            assert pad.stop() == [0, 0]
    finally:
        listed.close()
        unlisted.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = new_context(browser)
    try:
        yield context.new_page()
    finally:
        context.close()


def open_case_system(page: Page, origin: str, pad: CounterPad) -> list[str]:
    """Opens the example page from `origin` and connects it to the pad; the console's messages are kept."""
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    page.goto(f"{origin}/case-system.html")
    page.fill("#bridge-url", pad.url)
    page.fill("#bridge-token", pad.token)
    page.click("#connect")
    return console


def project_no() -> str:
    return f"BROWSER-{uuid.uuid4().hex[:12]}"


def test_the_listed_page_rates_and_shows_the_state_only(page: Page, window: Window) -> None:
    pad = window.pad
    console = open_case_system(page, window.listed.origin, pad)
    expect(page.locator("#connection")).to_contain_text("已连接 ")

    page.click("#sign-in")
    expect(page.locator("#staff-state")).to_have_text("已签到 S1024")
    assert pad.status()["staffId"] == "S1024"

    number = project_no()
    page.fill("#project-no", number)
    page.click("#rate")
    outcome = page.locator("#outcome")
    expect(outcome).to_have_attribute("data-state", "awaiting")
    session = wait_until(lambda: pad.status().get("session"), "the session on the pad")
    assert session["state"] == "awaiting"

    pad.press("1")  # button 1: 非常满意 with the default map
    expect(outcome).to_have_attribute("data-state", "rated")
    expect(page.locator("#state")).to_have_text("已评价（rated）")
    expect(page.locator("#channel")).to_have_text("渠道：评价器")
    text = outcome.inner_text()
    assert not any(word in text for word in LEVEL_WORDS), text
    assert pad.api("GET", f"/sessions/{session['sessionId']}").json()["projectNo"] == number

    # The same case again: the pad says it is rated already, and the page shows that state.
    page.click("#rate")
    expect(page.locator("#error")).to_contain_text("already_rated")

    # Another case, cancelled from the page.
    page.fill("#project-no", project_no())
    page.click("#rate")
    expect(outcome).to_have_attribute("data-state", "awaiting")
    page.click("#cancel")
    expect(outcome).to_have_attribute("data-state", "cancelled")

    page.click("#sign-out")
    expect(page.locator("#staff-state")).to_have_text("暂停服务")
    assert pad.status()["staffId"] is None
    # Nothing was written to the console: least of all the token.
    assert not any(pad.token in line for line in console), "the token reached the console"
    assert (
        page.evaluate("() => JSON.stringify(window.performance.getEntries().map(e => e.name))").find(
            pad.token
        )
        == -1
    ), "the token was put in a URL"


def test_an_unlisted_page_gets_nothing(page: Page, window: Window) -> None:
    pad = window.pad
    pad.api("POST", "/staff/sign-in", json={"staffId": "S2048"})
    before = pad.status()
    open_case_system(page, window.unlisted.origin, pad)
    # client.js is refused (403 without CORS headers), so the page never connects.
    expect(page.locator("#error")).to_contain_text("client.js 无法加载")
    assert page.evaluate("() => typeof window.CounterBridge") == "undefined"

    # The page's own calls, with the token: a preflighted one and a simple one. The browser refuses both.
    refusals = page.evaluate(
        """async ([url, token, number]) => {
            const tried = async (init, path) => {
                try { await fetch(url + path, init); return "answered"; }
                catch (error) { return error.name; }
            };
            const body = JSON.stringify({projectNo: number, acceptTime: "2026-11-27T09:12:00+08:00",
              applicant: {name: "陈明", userProp: "1", certType: "111", certNo: "350102199001011238"}});
            return [
              await tried({method: "POST", body: body, headers: {"Authorization": "Bearer " + token,
                           "Content-Type": "application/json"}}, "/api/v1/sessions"),
              await tried({method: "POST"}, "/api/v1/staff/sign-out"),
              await tried({}, "/api/v1/client.js"),
            ];
        }""",
        [pad.url, pad.token, project_no()],
    )
    assert refusals == ["TypeError", "TypeError", "TypeError"]
    after = pad.status()
    assert after["staffId"] == "S2048"  # the simple POST reached the pad and was refused before anything
    assert after.get("session") == before.get("session")
    pad.api("POST", "/staff/sign-out")
