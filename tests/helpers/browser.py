"""A real browser for page tests: Debian's chromium, driven by Playwright (python), one per test session.

Playwright's own browser downloads are never used (`playwright install` is not part of the set-up): the
browser is the system's /usr/bin/chromium, which scripts/system-deps.sh installs. tests/conftest.py loads
this module as a plugin, so a test names the fixtures it needs:

- `browser`: the session's chromium, launched on first use;
- `phone`: a page in a fresh context (its own cookies and cache) with a phone's viewport, 390×844, in
  Chinese; `new_phone(browser, locale=...)` makes other such contexts.

Where the browser is missing the tests fail, saying how to install it, rather than skip: a skipped browser
test would pass `make test` without a browser ever having opened a page.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize, sync_playwright

CHROMIUM = Path(os.environ.get("KIOSK_TEST_CHROMIUM", "/usr/bin/chromium"))
# As the developers' brief asks: headless, no sandbox (tests run as root in containers), and nothing that
# reaches the network on its own.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE_VIEWPORT: ViewportSize = {"width": 390, "height": 844}
DESKTOP_VIEWPORT: ViewportSize = {"width": 1280, "height": 800}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def _missing_browser_message() -> str:
    found = shutil.which("chromium")
    where = f" (there is one at {found}: set KIOSK_TEST_CHROMIUM)" if found else ""
    return (
        f"no browser at {CHROMIUM}{where}. The page tests drive Debian's chromium: run `make system` as root "
        "(scripts/system-deps.sh installs it), or `apt-get install chromium`."
    )


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """The session's chromium, with a fresh profile of its own.

    Playwright's `launch` gives the browser a new temporary user-data directory and removes it on close.
    """
    if not CHROMIUM.is_file():
        pytest.fail(_missing_browser_message(), pytrace=False)

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS, timeout=30_000
        )
        try:
            yield launched
        finally:
            launched.close()


def new_context(
    browser: Browser,
    locale: str = "zh-CN",
    viewport: ViewportSize = DESKTOP_VIEWPORT,
    *,
    mobile: bool = False,
) -> BrowserContext:
    """A fresh browser context (its own cookies and cache) in the given language, also sent as
    Accept-Language (headless chromium would otherwise ask for en-US); the caller closes it."""
    context = browser.new_context(
        viewport=viewport,
        device_scale_factor=1,
        is_mobile=mobile,
        has_touch=mobile,
        locale=locale,
        extra_http_headers={"Accept-Language": f"{locale},{locale.split('-', maxsplit=1)[0]};q=0.9"},
    )
    context.set_default_timeout(15_000)
    return context


def new_phone(
    browser: Browser, locale: str = "zh-CN", viewport: ViewportSize = PHONE_VIEWPORT
) -> BrowserContext:
    """A fresh context that looks like a phone: 390×844 unless told, touch, the given language."""
    return new_context(browser, locale, viewport, mobile=True)


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    """A fresh page in a phone-sized context, in Chinese."""
    context = new_phone(browser)
    try:
        yield context.new_page()
    finally:
        context.close()


def screenshots_wanted() -> bool:
    """Whether this run should write the README's screenshots (KIOSK_SCREENSHOTS=1, `make page-screenshots`);
    otherwise `make test` would rewrite tracked files."""
    return os.environ.get("KIOSK_SCREENSHOTS") == "1"
