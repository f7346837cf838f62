"""docs/case-system-integration.md, run: every curl command against a real pad (enrolled with a sandbox,
a simulated evaluator pressed where the page says the citizen presses), its answer compared with the one
printed; the JavaScript example in Chromium; the configuration examples through the pad's own checks; and
the browser policies it names looked up in the browser the tests drive."""

from __future__ import annotations

import json
import mmap
import os
import re
import subprocess
import tomllib
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Browser

from kiosk.config import build
from province.seed import DEMO_HALL, DEMO_WINDOW
from province.server import SandboxServer
from tests.docs.markdown import DOCS, Block, blocks, blocks_under
from tests.helpers.browser import CHROMIUM, new_context
from tests.helpers.counter import CounterPad, StaticSite, start_counter_pad, toml_list, wait_until
from tests.helpers.procs import run_kiosk

pytestmark = pytest.mark.slow

DOC = DOCS / "case-system-integration.md"
BLOCKS = blocks(DOC)
ISO = r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}"
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
# The values that differ from pad to pad and from run to run: each shown value must have the right form,
# and the same shown value must stand for the same real one wherever it appears.
VARIABLE = {
    "sessionId": UUID,
    "deviceId": r"[A-Za-z0-9-]{1,64}",
    "port": r"\S+",
    "ratedAt": ISO,
    "lastSyncAt": ISO,
    "qrUrl": r"https?://\S+",
}


def the_origin() -> str:
    """The case system's origin, as section 6 lists it."""
    (listed,) = tomllib.loads(blocks_under(DOC, "6.", "toml")[0].text)["bridge"]["allowed_origins"]
    return str(listed)


@dataclass
class Hall:
    pad: CounterPad
    sandbox: SandboxServer
    site: StaticSite
    env: dict[str, str]
    seen: dict[str, str] = field(default_factory=dict)


@pytest.fixture(scope="module")
def hall(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hall]:
    root = tmp_path_factory.mktemp("integration-doc")
    (root / "site").mkdir()
    (root / "site" / "index.html").write_text("<!doctype html><title>case system</title>", encoding="utf-8")
    site = StaticSite(root / "site")
    sandbox = SandboxServer(root / "sandbox.sqlite3")
    sandbox.start()
    try:
        code = sandbox.store.issue_code(DEMO_HALL, DEMO_WINDOW)
        pad = start_counter_pad(
            root,
            f'uplink.url="{sandbox.url}"',
            f'uplink.enroll_code="{code}"',
            f"bridge.allowed_origins={toml_list([the_origin(), site.origin])}",
            "pad.reasons_after_press=false",
        )
        try:
            wait_until(lambda: pad.status()["enrolled"], "the pad's enrolment")
            env = {**os.environ, "PAD": pad.url, "TOKEN": pad.token, "SESSION": ""}
            yield Hall(pad, sandbox, site, env)
        finally:
            assert pad.stop() == [0, 0]
    finally:
        sandbox.stop()
        site.close()


def examples() -> list[tuple[Block, Block]]:
    """Each curl command with the answer printed after it."""
    pairs = []
    for i, block in enumerate(BLOCKS):
        if block.lang == "sh" and block.text.lstrip().startswith("curl"):
            answer = BLOCKS[i + 1]
            assert answer.lang == "http", f"no answer after {block.text[:60]!r}"
            pairs.append((block, answer))
    return pairs


def parse_http(text: str) -> tuple[str, dict[str, str], str]:
    head, _, body = text.replace("\r\n", "\n").partition("\n\n")
    status, *lines = head.strip("\n").split("\n")
    headers = {}
    for line in lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return status.strip(), headers, body.strip()


def bind(shown: str, actual: str, seen: dict[str, str], where: str) -> None:
    """The same shown value stands for the same real one wherever it appears."""
    assert seen.setdefault(shown, actual) == actual, f"{where}: {shown} stands for {seen[shown]} and {actual}"


def same(shown: Any, actual: Any, seen: dict[str, str], where: str) -> None:
    """`actual` is what `shown` says, the VARIABLE values in their form and consistently."""
    if not isinstance(shown, dict):
        assert shown == actual, f"{where}: the page shows {shown!r}, the pad answered {actual!r}"
        return
    assert isinstance(actual, dict) and shown.keys() == actual.keys(), f"{where}: {shown} != {actual}"
    for key, value in shown.items():
        if key not in VARIABLE or not isinstance(value, str):
            same(value, actual[key], seen, f"{where}.{key}")
            continue
        assert isinstance(actual[key], str), f"{where}.{key}: {actual[key]!r}"
        assert re.fullmatch(VARIABLE[key], actual[key]), f"{where}.{key}: {actual[key]!r}"
        bind(value, actual[key], seen, f"{where}.{key}")
        if key == "qrUrl":
            shown_query, actual_query = parse_qs(urlsplit(value).query), parse_qs(urlsplit(actual[key]).query)
            assert shown_query["p"] == actual_query["p"], f"{where}.qrUrl"
            bind(shown_query["d"][0], actual_query["d"][0], seen, f"{where}.qrUrl")


def run_curl(hall: Hall, command: str) -> str:
    if "?wait=" not in command:
        result = subprocess.run(
            ["bash", "-c", command], env=hall.env, capture_output=True, text=True, timeout=30, check=False
        )
        assert result.returncode == 0, result.stderr
        return result.stdout
    # The long-poll: the citizen presses 非常满意 (button 1) while the case system waits.
    waiting = subprocess.Popen(["bash", "-c", command], env=hall.env, stdout=subprocess.PIPE, text=True)
    hall.pad.press("1")
    output, _ = waiting.communicate(timeout=70)
    assert waiting.returncode == 0
    return output


def test_every_curl_example_is_what_the_pad_answers(hall: Hall) -> None:
    pairs = examples()
    assert len(pairs) >= 12
    for command, printed in pairs:
        status, headers, body = parse_http(printed.text)
        actual_status, actual_headers, actual_body = parse_http(run_curl(hall, command.text))
        where = command.text.splitlines()[0]
        assert actual_status == status, f"{where}: {actual_status} {actual_body}"
        for name, value in headers.items():
            assert actual_headers.get(name) == value, f"{where}: header {name}"
        if body:
            answer = json.loads(actual_body)
            same(json.loads(body), answer, hall.seen, where)
            if actual_status.split()[1] == "201":
                hall.env["SESSION"] = answer["sessionId"]
        else:
            assert actual_body == ""
    # The first example's token is the installed pad's.
    assert "/var/lib/kiosk/bridge.token" in blocks_under(DOC, "3.", "sh")[0].text


def test_the_javascript_example_in_the_browser(hall: Hall, browser: Browser) -> None:
    (tag,) = [b.text for b in BLOCKS if b.lang == "html"]
    assert (
        tag.strip()
        == '<script src="http://127.0.0.1:8765/api/v1/client.js" crossorigin="anonymous"></script>'
    )
    (example,) = [b.text for b in BLOCKS if b.lang == "js"]
    context = new_context(browser)
    try:
        page = context.new_page()
        page.goto(f"{hall.site.origin}/index.html")
        # The tag of the page, with this pad's address.
        page.evaluate(
            """(src) => new Promise((loaded, failed) => {
                const script = document.createElement("script");
                script.src = src; script.crossOrigin = "anonymous";
                script.onload = loaded; script.onerror = failed;
                document.head.appendChild(script);
            })""",
            f"{hall.pad.url}/api/v1/client.js",
        )
        page.add_script_tag(
            content=f"const PAD_URL = {json.dumps(hall.pad.url)}; const BRIDGE_TOKEN = {json.dumps(hall.pad.token)};\n"
            + example
            + "\nwindow.rateCase = rateCase;"
        )
        case = {
            "projectNo": f"JS-{uuid.uuid4().hex[:10]}",
            "acceptTime": "2026-11-27T09:12:00+08:00",
            "applicant": {"name": "陈明", "userProp": "1", "certType": "111", "certNo": "350102199001011238"},
        }
        page.evaluate("(c) => { window.shown = []; window.done = rateCase(c, (s) => shown.push(s)); }", case)
        page.wait_for_function("() => shown.includes('awaiting')")
        hall.pad.press("1")
        outcome = page.evaluate("() => done")
        assert outcome["state"] == "rated" and outcome["channel"] == "5"
        assert set(outcome) == {"sessionId", "projectNo", "state", "channel", "ratedAt"}
        assert page.evaluate("() => shown")[-1] == "rated"

        # The same case again: rated before, nothing asked.
        again = page.evaluate("(c) => { window.shown = []; return rateCase(c, (s) => shown.push(s)); }", case)
        assert again["error"]["code"] == "already_rated"
        assert page.evaluate("() => shown") == ["rated"]

        # Another case waits at the window: busy, and the example says so rather than replacing it.
        other = hall.pad.api("POST", "/sessions", json={**case, "projectNo": f"JS-{uuid.uuid4().hex[:10]}"})
        assert other.status_code == 201
        fresh = {**case, "projectNo": f"JS-{uuid.uuid4().hex[:10]}"}
        busy = page.evaluate("(c) => { window.shown = []; return rateCase(c, (s) => shown.push(s)); }", fresh)
        assert busy is None and page.evaluate("() => shown") == ["busy"]
        assert hall.pad.api("DELETE", f"/sessions/{other.json()['sessionId']}").status_code == 200
    finally:
        context.close()


def test_the_configuration_examples_pass_the_pads_checks(tmp_path: Path) -> None:
    same_machine, lan = (tomllib.loads(b.text) for b in BLOCKS if b.lang == "toml")
    assert build(same_machine).bridge.allowed_origins == [the_origin()]
    checked = build(lan).bridge
    assert (checked.host, checked.allowed_origins) == ("0.0.0.0", [the_origin()])
    # The error printed is the pad's, word for word, for that host with the default allow_from.
    (printed,) = [b.text.strip() for b in BLOCKS if b.lang == "" and b.text.startswith("kiosk: config:")]
    result = run_kiosk(
        "run", "--headless", "--data-dir", str(tmp_path), "--set", f'bridge.host="{lan["bridge"]["host"]}"'
    )
    assert result.returncode == 2
    assert result.stderr.strip() == printed


def _chromium_binary() -> Path:
    """The browser's own executable (Debian's /usr/bin/chromium is a script that runs it)."""
    for candidate in (CHROMIUM.resolve().parent.parent / "lib" / "chromium" / "chromium", CHROMIUM.resolve()):
        if candidate.is_file() and candidate.read_bytes()[:4] == b"\x7fELF":
            return candidate
    pytest.fail(f"no chromium executable beside {CHROMIUM}", pytrace=False)


def test_the_policies_named_are_the_browsers() -> None:
    text = DOC.read_text(encoding="utf-8")
    named = set(re.findall(r"`((?:Local|Loopback)Network\w*ForUrls)`", text))
    assert named >= {
        "LocalNetworkAccessAllowedForUrls",
        "LoopbackNetworkAllowedForUrls",
        "LocalNetworkAllowedForUrls",
    }
    with (
        _chromium_binary().open("rb") as binary,
        mmap.mmap(binary.fileno(), 0, access=mmap.ACCESS_READ) as image,
    ):
        for name in sorted(named):
            assert image.find(name.encode()) != -1, f"{name} is no policy of the chromium the tests drive"
    (policy,) = [json.loads(b.text) for b in BLOCKS if b.lang == "json"]
    assert policy == {"LocalNetworkAccessAllowedForUrls": [the_origin()]}
    registry = next(b.text for b in BLOCKS if b.text.startswith("Windows Registry Editor"))
    assert registry.count(f'"1"="{the_origin()}"') == 2
