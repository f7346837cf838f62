"""Calling the bridge from a web page and from another machine (counter-bridge-api.md), over real HTTP on
loopback: the CORS preflight without a token, the headers on every answer to a listed origin, the 403s, and
the order of checks: address, Origin, token, size, JSON, fields."""

from __future__ import annotations

import logging
from typing import Any

import pytest
import requests
from pytestqt.qtbot import QtBot
from requests.adapters import HTTPAdapter

from kiosk.app import PadApplication
from tests.helpers.fixtures import MakePad
from tests.helpers.people import session_body
from tests.helpers.threads import in_thread

CASE_SYSTEM = "http://zhsl.example.gov.cn:8080"
SESSIONS = "/api/v1/sessions"
PREFLIGHT = {
    "Access-Control-Request-Method": "POST",
    "Access-Control-Request-Headers": "authorization,content-type",
}


class SourceAddressAdapter(HTTPAdapter):
    """Connections from a chosen local address: on Linux all of 127.0.0.0/8 is this machine, so a client
    bound to 127.0.0.2 stands for another machine on the hall's network."""

    def __init__(self, source: str) -> None:
        self.source = source
        super().__init__()

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs["source_address"] = (self.source, 0)
        super().init_poolmanager(*args, **kwargs)


def from_address(source: str) -> requests.Session:
    http = requests.Session()
    http.mount("http://", SourceAddressAdapter(source))
    return http


class Caller:
    """Raw HTTP to an in-process pad: only the headers given (no token unless asked), from a chosen
    source address."""

    def __init__(self, qtbot: QtBot, pad: PadApplication, source: str = "127.0.0.1") -> None:
        self.qtbot, self.pad = qtbot, pad
        self.http = from_address(source)

    def __call__(
        self, method: str, path: str, *, token: bool = False, headers: dict[str, str] | None = None, **kw: Any
    ) -> requests.Response:
        sent = dict(headers or {})
        if token:
            sent["Authorization"] = f"Bearer {self.pad.token}"
        return in_thread(
            self.qtbot, self.http.request, method, self.pad.bridge_url + path, headers=sent, timeout=20, **kw
        )


def cors_headers(answer: requests.Response) -> dict[str, str]:
    return {k.lower(): v for k, v in answer.headers.items() if k.lower().startswith("access-control-")}


def error_code(answer: requests.Response) -> str:
    return str(answer.json()["error"]["code"])


@pytest.fixture
def listed(qtbot: QtBot, make_pad: MakePad) -> Caller:
    """A pad that lists the case system's origin, and a caller on loopback."""
    pad = make_pad(f'bridge.allowed_origins=["{CASE_SYSTEM}"]', "pad.reasons_after_press=false")
    return Caller(qtbot, pad)


def test_a_listed_origin_s_preflight_needs_no_token(listed: Caller) -> None:
    for path in (SESSIONS, "/api/v1/sessions/any-id", "/api/v1/staff/sign-in", "/api/v1/status"):
        answer = listed("OPTIONS", path, headers={"Origin": CASE_SYSTEM, **PREFLIGHT})
        assert answer.status_code == 204, path
        assert answer.content == b""
        assert cors_headers(answer) == {
            "access-control-allow-origin": CASE_SYSTEM,
            "access-control-allow-methods": "GET, POST, DELETE",
            "access-control-allow-headers": "Authorization, Content-Type",
            "access-control-max-age": "600",
        }
        assert answer.headers["Vary"] == "Origin"


def test_private_network_access_is_allowed_only_when_the_preflight_asks(listed: Caller) -> None:
    asked = listed(
        "OPTIONS",
        SESSIONS,
        headers={"Origin": CASE_SYSTEM, **PREFLIGHT, "Access-Control-Request-Private-Network": "true"},
    )
    assert asked.status_code == 204
    assert asked.headers["Access-Control-Allow-Private-Network"] == "true"
    assert asked.headers["Access-Control-Allow-Origin"] == CASE_SYSTEM
    unasked = listed("OPTIONS", SESSIONS, headers={"Origin": CASE_SYSTEM, **PREFLIGHT})
    assert "Access-Control-Allow-Private-Network" not in unasked.headers


def test_every_answer_to_a_listed_origin_carries_the_cors_headers(listed: Caller) -> None:
    origin = {"Origin": CASE_SYSTEM}
    answers = {
        "no token": listed("GET", "/api/v1/status", headers=origin),
        "status": listed("GET", "/api/v1/status", headers=origin, token=True),
        "created": listed("POST", SESSIONS, headers=origin, token=True, json=session_body("P-CORS")),
        "busy": listed("POST", SESSIONS, headers=origin, token=True, json=session_body("P-CORS-2")),
        "bad json": listed("POST", SESSIONS, headers=origin, token=True, data=b"{"),
        "invalid": listed("POST", "/api/v1/staff/sign-in", headers=origin, token=True, json={"staffId": 5}),
        "too large": listed("POST", SESSIONS, headers=origin, token=True, data=b"{" * (16 * 1024 + 1)),
        "not found": listed("GET", "/api/v1/sessions/nope", headers=origin, token=True),
        "client.js": listed("GET", "/api/v1/client.js", headers=origin),
    }
    statuses = {name: answer.status_code for name, answer in answers.items()}
    assert statuses == {
        "no token": 401,
        "status": 200,
        "created": 201,
        "busy": 409,
        "bad json": 400,
        "invalid": 422,
        "too large": 413,
        "not found": 404,
        "client.js": 200,
    }
    for name, answer in answers.items():
        assert answer.headers.get("Access-Control-Allow-Origin") == CASE_SYSTEM, name
        assert answer.headers.get("Vary") == "Origin", name


def test_a_preflight_needs_no_token_but_the_request_still_does(listed: Caller) -> None:
    assert listed("OPTIONS", SESSIONS, headers={"Origin": CASE_SYSTEM, **PREFLIGHT}).status_code == 204
    for token in ("", "wrong", listed.pad.token + "x"):
        refused = listed(
            "POST", SESSIONS, headers={"Origin": CASE_SYSTEM, "Authorization": f"Bearer {token}"}, json={}
        )
        assert (refused.status_code, error_code(refused)) == (401, "unauthorized")
    # The status shows no session was opened by any of them.
    assert "session" not in listed("GET", "/api/v1/status", token=True).json()


def test_an_unlisted_origin_gets_403_without_cors_headers_before_the_token(listed: Caller) -> None:
    other = {"Origin": "http://evil.example"}
    answers = [
        listed("OPTIONS", SESSIONS, headers={**other, **PREFLIGHT}),
        listed(
            "OPTIONS",
            SESSIONS,
            headers={**other, **PREFLIGHT, "Access-Control-Request-Private-Network": "true"},
        ),
        listed("POST", SESSIONS, headers=other, token=True, json=session_body("P-EVIL")),
        listed("POST", SESSIONS, headers={**other, "Authorization": "Bearer wrong"}, json={}),
        listed("POST", SESSIONS, headers=other, token=True, data=b"{" * (16 * 1024 + 1)),
        listed("GET", "/api/v1/client.js", headers=other),
        # Compared exactly: another port, another scheme, a trailing slash are other origins.
        listed("GET", "/api/v1/status", headers={"Origin": "http://zhsl.example.gov.cn:8081"}, token=True),
        listed("GET", "/api/v1/status", headers={"Origin": "https://zhsl.example.gov.cn:8080"}, token=True),
        listed("GET", "/api/v1/status", headers={"Origin": CASE_SYSTEM + "/"}, token=True),
        listed("GET", "/api/v1/status", headers={"Origin": "null"}, token=True),
    ]
    for answer in answers:
        assert (answer.status_code, error_code(answer)) == (403, "origin_not_allowed"), answer.request.headers
        assert cors_headers(answer) == {}
        assert "Vary" not in answer.headers
    assert "session" not in listed("GET", "/api/v1/status", token=True).json()


def test_requests_without_an_origin_are_as_before(listed: Caller) -> None:
    assert listed("GET", "/api/v1/status").status_code == 401
    answer = listed("GET", "/api/v1/status", token=True)
    assert answer.status_code == 200
    assert cors_headers(answer) == {}
    # An OPTIONS that is no preflight (no Origin) is an ordinary request: the token, then no such method.
    assert listed("OPTIONS", SESSIONS).status_code == 401
    assert error_code(listed("OPTIONS", SESSIONS, token=True)) == "method_not_allowed"


def test_client_js_needs_no_token_and_is_refused_to_a_plain_script_tag_of_another_site(
    listed: Caller,
) -> None:
    script = listed("GET", "/api/v1/client.js")
    assert script.status_code == 200
    assert script.headers["Content-Type"] == "text/javascript; charset=utf-8"
    assert "CounterBridge" in script.text
    # A browser's <script src> without crossorigin sends no Origin, only Fetch Metadata: the page's origin
    # cannot be checked, so the bridge gives it nothing.
    plain_tag = {"Sec-Fetch-Mode": "no-cors", "Sec-Fetch-Site": "cross-site", "Sec-Fetch-Dest": "script"}
    refused = listed("GET", "/api/v1/client.js", headers=plain_tag)
    assert (refused.status_code, error_code(refused)) == (403, "origin_not_allowed")
    with_cors = listed(
        "GET", "/api/v1/client.js", headers={**plain_tag, "Sec-Fetch-Mode": "cors", "Origin": CASE_SYSTEM}
    )
    assert with_cors.status_code == 200
    assert with_cors.headers["Access-Control-Allow-Origin"] == CASE_SYSTEM
    # The address bar (a technician reading the script) is a navigation of no site.
    typed = {"Sec-Fetch-Mode": "navigate", "Sec-Fetch-Site": "none", "Sec-Fetch-Dest": "document"}
    assert listed("GET", "/api/v1/client.js", headers=typed).status_code == 200


def test_a_star_lets_any_origin_in_and_answers_with_that_origin(qtbot: QtBot, make_pad: MakePad) -> None:
    call = Caller(qtbot, make_pad('bridge.allowed_origins=["*"]'))
    for origin in ("http://a.example", "https://b.example:8443", "null"):
        preflight = call("OPTIONS", SESSIONS, headers={"Origin": origin, **PREFLIGHT})
        assert preflight.status_code == 204
        assert preflight.headers["Access-Control-Allow-Origin"] == origin
        answer = call("GET", "/api/v1/status", headers={"Origin": origin}, token=True)
        assert answer.status_code == 200
        assert (answer.headers["Access-Control-Allow-Origin"], answer.headers["Vary"]) == (origin, "Origin")
        assert call("GET", "/api/v1/status", headers={"Origin": origin}).status_code == 401


def test_no_origin_is_listed_by_default(qtbot: QtBot, make_pad: MakePad) -> None:
    call = Caller(qtbot, make_pad())
    answer = call("OPTIONS", SESSIONS, headers={"Origin": "http://127.0.0.1:9000", **PREFLIGHT})
    assert (answer.status_code, error_code(answer)) == (403, "origin_not_allowed")
    assert call("GET", "/api/v1/status", token=True).status_code == 200


def test_another_machine_gets_in_only_when_allow_from_lists_it(qtbot: QtBot, make_pad: MakePad) -> None:
    pad = make_pad('bridge.allow_from=["127.0.0.2/32"]', f'bridge.allowed_origins=["{CASE_SYSTEM}"]')
    other_machine = Caller(qtbot, pad, source="127.0.0.2")
    this_machine = Caller(qtbot, pad, source="127.0.0.1")
    assert other_machine("GET", "/api/v1/status", token=True).status_code == 200
    created = other_machine("POST", SESSIONS, token=True, json=session_body("P-LAN"))
    assert created.status_code == 201
    # The address is checked before anything else: an unlisted origin, no token, a huge body, a preflight.
    for answer in (
        this_machine("GET", "/api/v1/status", token=True),
        this_machine("GET", "/api/v1/status"),
        this_machine("GET", "/api/v1/client.js"),
        this_machine("OPTIONS", SESSIONS, headers={"Origin": CASE_SYSTEM, **PREFLIGHT}),
        this_machine("GET", "/api/v1/status", headers={"Origin": "http://evil.example"}),
        this_machine("POST", SESSIONS, data=b"{" * (16 * 1024 + 1)),
    ):
        assert (answer.status_code, error_code(answer)) == (403, "address_not_allowed")
        assert cors_headers(answer) == {}
    # And it changed nothing: the session the other machine opened is still the one awaiting.
    status = other_machine("GET", "/api/v1/status", token=True).json()
    assert status["session"] == {"sessionId": created.json()["sessionId"], "state": "awaiting"}


def test_refusals_are_logged_once_and_the_token_never(
    listed: Caller, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    for _ in range(3):
        listed("GET", "/api/v1/status", headers={"Origin": "http://evil.example"}, token=True)
    listed("GET", "/api/v1/status", headers={"Origin": CASE_SYSTEM, "Authorization": "Bearer wrong"})
    listed("POST", SESSIONS, headers={"Origin": CASE_SYSTEM}, token=True, json=session_body("P-LOG"))
    refusals = [r.getMessage() for r in caplog.records if "refused" in r.getMessage()]
    assert refusals == [
        "bridge: refused a page of 'http://evil.example', which bridge.allowed_origins does not list"
    ]
    assert not any(listed.pad.token in r.getMessage() for r in caplog.records)
