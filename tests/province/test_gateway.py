"""The Fujian gateway's double over loopback, driven by the pad's own codec and client
(kiosk.sync.fujian) and by raw SOAP calls of the kinds other clients send."""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.client
import http.server
import threading
import time
from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from kiosk.sync.fujian.case_xml import CaseTemplate, detail_case, render_url_case
from kiosk.sync.fujian.gateway import GatewayUnreachable
from kiosk.sync.fujian.outcome import DetailStatus, SendStatus, detail_outcome, qr_url, send_outcome
from kiosk.sync.fujian.soap import parse_answer
from kiosk.sync.transport import Transport
from province.faults import FaultPlan
from province.server import SandboxServer
from tests.province.conftest import FakeClock
from tests.province.gateway_helpers import (
    FINISH_TIME,
    case_of,
    envelope,
    gateway_pad,
    md5_sign,
    rating_record,
    raw_call,
)
from tests.province.helpers import DeviceClient

SAVE, DETAIL, URL = "getSaveEvaluation", "getEvaluationDetail", "getSaveEvaluationUrl"
NOW = 1795000000.0


# The token call


def _token_call(server: SandboxServer, app_key: str, ms: str, sign: str) -> requests.Response:
    params = {"app_key": app_key, "timestamp": ms, "sign": sign}
    return requests.get(f"{server.gateway_url}/get-token", params=params, timeout=10)


def test_a_token_lasts_two_hours(start_sandbox: Callable[..., SandboxServer]) -> None:
    server = start_sandbox(clock=FakeClock(NOW))
    app = server.store.issue_app("350102-ZWFW", "A07")
    ms = str(int(NOW * 1000))

    answer = _token_call(server, app.app_key, ms, md5_sign(app.app_code, ms))

    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["expires_in"] == 7200
    assert {"access_token", "refresh_token", "re_expires_in"} <= body.keys()
    assert server.store.gateway_token_app(body["access_token"]) == app


@pytest.mark.parametrize("problem", ["sign", "app_key", "skew"])
def test_a_token_call_that_does_not_check_out_is_refused(
    start_sandbox: Callable[..., SandboxServer], problem: str
) -> None:
    server = start_sandbox(clock=FakeClock(NOW))
    app = server.store.issue_app("350102-ZWFW", "A07")
    ms = str(int(NOW * 1000) + (301_000 if problem == "skew" else 0))
    sign = md5_sign("another code" if problem == "sign" else app.app_code, ms)
    app_key = "0" * 32 if problem == "app_key" else app.app_key

    answer = _token_call(server, app_key, ms, sign)

    assert answer.status_code == 401
    assert answer.json()["error"]["code"] == ("timestamp_expired" if problem == "skew" else "invalid_sign")


def test_a_token_call_missing_a_parameter_names_it(sandbox: SandboxServer) -> None:
    answer = requests.get(
        f"{sandbox.gateway_url}/get-token", params={"app_key": "k", "sign": "s"}, timeout=10
    )
    assert answer.status_code == 400
    assert answer.json()["error"]["field"] == "timestamp"


def test_the_client_keeps_its_token_then_fetches_another_before_expiry(
    start_sandbox: Callable[..., SandboxServer],
) -> None:
    clock = FakeClock(NOW)
    server = start_sandbox(clock=clock)
    pad = gateway_pad(server, now=clock)

    first = pad.client.token()
    clock.now += 7139
    assert pad.client.token() is first
    clock.now += 1  # 60 s before the two hours: the pad takes a new one
    second = pad.client.token()

    assert second.access_token != first.access_token
    assert second.expires_at == clock.now + 7200


def test_a_token_ended_early_is_refused_and_the_client_fetches_another(sandbox: SandboxServer) -> None:
    pad = gateway_pad(sandbox)
    stale = pad.client.token().access_token
    sandbox.store.expire_gateway_token(stale)  # as a gateway that restarted and forgot its tokens

    refused = raw_call(sandbox, DETAIL, pad.body(DETAIL, detail_case("P1")))
    assert refused.status_code == 400
    assert refused.headers["x-error-code"] == "access_token_invalid"

    # The pad's client gets the same answer, fetches a new token, and repeats the call once.
    answer = pad.client.call(DETAIL, detail_case("P1"))
    assert answer.code == "500"
    assert pad.client.token().access_token != stale


def test_a_token_is_refused_after_its_two_hours(start_sandbox: Callable[..., SandboxServer]) -> None:
    clock = FakeClock(NOW)
    server = start_sandbox(clock=clock)
    pad = gateway_pad(server, now=clock)
    body = pad.body(DETAIL, detail_case("P1"))
    assert raw_call(server, DETAIL, body).status_code == 200
    clock.now += 7200
    assert raw_call(server, DETAIL, body).headers.get("x-error-code") == "access_token_invalid"


def test_token_expiry_faults_expire_every_nth_call(start_sandbox: Callable[..., SandboxServer]) -> None:
    server = start_sandbox(faults=FaultPlan(token_expiry=2))
    pad = gateway_pad(server)
    first = pad.client.token().access_token

    answers = [pad.client.call(DETAIL, detail_case(f"P{n}")).code for n in range(3)]

    # Calls 1 and 3 pass; call 2 finds its token expired, and the client's repeat with a new one is call 3.
    assert answers == ["500", "500", "500"]
    assert server.store.fault_counts()["token_expiry"] == 2
    assert server.store.gateway_token_app(first) is None  # the expired token stays expired


def test_a_token_refused_twice_is_unreachable(start_sandbox: Callable[..., SandboxServer]) -> None:
    server = start_sandbox(faults=FaultPlan(token_expiry=1))
    pad = gateway_pad(server)
    with pytest.raises(GatewayUnreachable, match="a fresh token was refused too"):
        pad.client.call(DETAIL, detail_case("P1"))


def test_a_call_without_a_token_is_refused(sandbox: SandboxServer) -> None:
    pad = gateway_pad(sandbox)
    body = envelope(SAVE, {"appKey": pad.app.app_key, "xmlStr": pad.xml_str(case_of(rating_record()))}, None)
    answer = raw_call(sandbox, SAVE, body)
    assert answer.status_code == 400
    assert answer.headers["x-error-code"] == "access_token_invalid"


# The three operations


def _province_view(sandbox: SandboxServer, device: DeviceClient, project_no: str) -> dict[str, object]:
    answer = device.request("GET", f"/projects/{project_no}/evaluation")
    assert answer.status_code == 200, answer.text
    view: dict[str, object] = answer.json()
    return view


def test_a_rating_is_accepted_and_is_the_province_s_rating(
    sandbox: SandboxServer, device: DeviceClient
) -> None:
    pad = gateway_pad(sandbox)
    record = rating_record(pf="5", satisfaction=4, evalDetail=["401"])

    outcome = send_outcome(pad.client.call(SAVE, case_of(record)), record)

    assert outcome.status is SendStatus.ACCEPTED
    assert outcome.province_id and len(outcome.province_id) == 32
    assert _province_view(sandbox, device, record["projectNo"]) == {
        "rated": True,
        "satisfaction": 4,
        "pf": "5",
        "assessTime": "2026-11-27T09:31:05+08:00",
    }
    taken = sandbox.store.gateway_rating(record["projectNo"])
    assert taken is not None
    assert taken.evaluate_unid == outcome.province_id
    assert taken.app_key == pad.app.app_key


def test_a_second_rating_for_the_case_is_409(sandbox: SandboxServer) -> None:
    pad = gateway_pad(sandbox)
    record = rating_record()
    assert pad.client.call(SAVE, case_of(record)).code == "200"

    again = pad.client.call(SAVE, case_of({**record, "satisfaction": 1, "evalDetail": ["101"]}))

    assert (again.code, again.message) == ("409", "该办件已评价")
    assert send_outcome(again).status is SendStatus.SUPERSEDED


def test_a_case_rated_on_another_channel_is_409(sandbox: SandboxServer) -> None:
    pad = gateway_pad(sandbox)
    record = rating_record()
    sandbox.store.rate_elsewhere(record["projectNo"], 5, "3")
    assert pad.client.call(SAVE, case_of(record)).code == "409"


def test_the_detail_query_tells_rated_from_not(sandbox: SandboxServer) -> None:
    pad = gateway_pad(sandbox)
    record = rating_record()
    before = pad.client.call(DETAIL, detail_case(record["projectNo"]))
    accepted = pad.client.call(SAVE, case_of(record))
    after = pad.client.call(DETAIL, detail_case(record["projectNo"]))

    assert detail_outcome(before) is DetailStatus.NOT_RATED
    assert detail_outcome(after) is DetailStatus.RATED
    assert after.data == {
        "projectNo": record["projectNo"],
        "pf": "5",
        "alternate": "5",
        "assessTime": "2026-11-27 09:31:05",
        "evaluateUnid": accepted.data["evaluateUnid"],
    }


def test_a_rating_lost_on_the_way_back_is_found_by_the_detail_query(
    start_sandbox: Callable[..., SandboxServer],
) -> None:
    server = start_sandbox(faults=FaultPlan(drop=1.0))
    pad = gateway_pad(server)
    record = rating_record()
    with pytest.raises(GatewayUnreachable):
        pad.client.call(SAVE, case_of(record))  # the token call itself breaks
    # Drops hit every gateway call; take the token from a fault-free twin on the same file.
    twin = SandboxServer(server.store.path)
    twin.start()
    try:
        pad.client.gateway = twin.gateway_url
        pad.client.token()
        pad.client.gateway = server.gateway_url
        with pytest.raises(GatewayUnreachable):
            pad.client.call(SAVE, case_of(record))  # stored, then the answer breaks off
        pad.client.gateway = twin.gateway_url
        assert detail_outcome(pad.client.call(DETAIL, detail_case(record["projectNo"]))) is DetailStatus.RATED
    finally:
        twin.stop()
    assert server.store.fault_counts()["drop"] == 2


def test_error_faults_answer_the_gateway_500(start_sandbox: Callable[..., SandboxServer]) -> None:
    server = start_sandbox(faults=FaultPlan(error=1.0))
    pad = gateway_pad(server)
    with pytest.raises(GatewayUnreachable, match="token call: HTTP 500"):
        pad.client.call(SAVE, case_of(rating_record()))
    assert server.store.fault_counts()["error"] == 1


def test_the_qr_call_points_at_the_phone_page(sandbox: SandboxServer) -> None:
    pad = gateway_pad(sandbox)
    record = rating_record()
    session = {key: value for key, value in record.items() if key not in {"satisfaction", "assessTime", "pf"}}
    case_xml = render_url_case(CaseTemplate.default(), session, finish_time=FINISH_TIME, network="3")

    url = qr_url(pad.client.call(URL, case_xml))

    assert url is not None
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}" == sandbox.public_url
    assert parts.path == "/m/evaluate"
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    assert (query["d"], query["p"]) == (pad.app.app_key, record["projectNo"])
    # The token is a pad's QR token under the app's device key, 7 days from the finish (uplink-api.md).
    expires, _, mac = query["t"].partition(".")
    assert int(expires) == 1796347840
    device = sandbox.store.device(pad.app.app_key)
    assert device is not None
    digest = hmac.new(
        device.secret, f"qr\n{record['projectNo']}\n{expires}".encode(), hashlib.sha256
    ).digest()
    assert mac == base64.urlsafe_b64encode(digest).rstrip(b"=").decode()[:22]


def test_no_qr_code_for_a_rated_case(sandbox: SandboxServer) -> None:
    pad = gateway_pad(sandbox)
    record = rating_record()
    assert pad.client.call(SAVE, case_of(record)).code == "200"
    answer = pad.client.call(
        URL, render_url_case(CaseTemplate.default(), record, finish_time="", network="3")
    )
    assert answer.code == "409"
    assert qr_url(answer) is None


# What the double refuses, and says why


@pytest.mark.parametrize(
    ("change", "element"),
    [
        ({"pf": ""}, "pf"),
        ({"projectNo": ""}, "projectNo"),
        ({"userName": ""}, "userName"),
        ({"certNo": ""}, "certKey"),
        ({"satisfaction": 6}, "alternate"),
        ({"evalDetail": ["101"]}, "appraisald"),
        ({"certNo": "350102199001011230"}, "certKey"),
        ({"mobile": "12345"}, "contactMobile"),
        ({"assessTime": "2026-11-27T09:00:00+08:00"}, "assessTime"),
        ({"writingEvaluation": "长" * 151}, "writingEvalua"),
    ],
)
def test_a_bad_case_is_400_naming_the_element(
    sandbox: SandboxServer, change: dict[str, object], element: str
) -> None:
    pad = gateway_pad(sandbox)
    record = rating_record(**change)

    answer = pad.client.call(SAVE, case_of(record))

    assert answer.code == "400"
    assert element in answer.message
    assert send_outcome(answer, record).status is SendStatus.REJECTED
    assert sandbox.store.first_rating(record["projectNo"]) is None


def test_a_case_missing_an_element_is_400_naming_it(sandbox: SandboxServer) -> None:
    pad = gateway_pad(sandbox)
    case_xml = case_of(rating_record()).replace("<alternate>5</alternate>\n", "")
    answer = pad.client.call(SAVE, case_xml)
    assert (answer.code, answer.message) == ("400", "缺少必填元素 alternate")


@pytest.mark.parametrize(
    "xml_str",
    [
        "not base64 at all",
        base64.b64encode(b"x" * 15).decode(),
        "",
    ],
)
def test_an_xml_str_that_does_not_decrypt_is_400_naming_it(sandbox: SandboxServer, xml_str: str) -> None:
    pad = gateway_pad(sandbox)
    body = envelope(SAVE, {"appKey": pad.app.app_key, "xmlStr": xml_str}, pad.client.token().access_token)
    answer = parse_answer(raw_call(sandbox, SAVE, body).content)
    assert answer.code == "400"
    assert "xmlStr" in answer.message


def test_a_case_under_another_app_code_is_400_naming_xml_str(sandbox: SandboxServer) -> None:
    pad, other = gateway_pad(sandbox), gateway_pad(sandbox)
    body = envelope(
        SAVE,
        {"appKey": pad.app.app_key, "xmlStr": other.xml_str(case_of(rating_record()))},
        pad.client.token().access_token,
    )
    answer = parse_answer(raw_call(sandbox, SAVE, body).content)
    assert answer.code == "400"
    assert "xmlStr" in answer.message


def test_text_that_is_not_xml_is_400_naming_xml_str(sandbox: SandboxServer) -> None:
    pad = gateway_pad(sandbox)
    answer = pad.client.call(SAVE, "projectNo=1&pf=5")
    assert answer.code == "400"
    assert "xmlStr" in answer.message


def test_another_app_s_key_with_this_token_is_400_naming_app_key(sandbox: SandboxServer) -> None:
    pad, other = gateway_pad(sandbox), gateway_pad(sandbox)
    body = envelope(
        SAVE,
        {"appKey": other.app.app_key, "xmlStr": pad.xml_str(case_of(rating_record()))},
        pad.client.token().access_token,
    )
    answer = parse_answer(raw_call(sandbox, SAVE, body).content)
    assert answer.code == "400"
    assert "appKey" in answer.message


def test_a_name_with_markup_reaches_the_province_intact(sandbox: SandboxServer) -> None:
    pad = gateway_pad(sandbox)
    record = rating_record(userName="陈<明>&", writingEvaluation="'好' \"ok\" ]]>")

    assert pad.client.call(SAVE, case_of(record)).code == "200"

    taken = sandbox.store.gateway_rating(record["projectNo"])
    assert taken is not None
    assert taken.case_fields["userName"] == "陈<明>&"
    assert taken.case_fields["writingEvalua"] == "'好' \"ok\" ]]>"


# What the real clients send


@pytest.mark.parametrize(
    "headers",
    [
        {"Content-Type": "text/xml; charset=utf-8", "SOAPAction": '""'},
        {"Content-Type": "application/soap+xml; charset=utf-8"},
        {"Content-Type": "text/xml"},
        {},
    ],
)
def test_either_content_type_and_no_soap_action(sandbox: SandboxServer, headers: dict[str, str]) -> None:
    pad = gateway_pad(sandbox)
    answer = raw_call(sandbox, SAVE, pad.body(SAVE, case_of(rating_record())), headers)
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/xml")
    assert parse_answer(answer.content).code == "200"


@pytest.mark.parametrize(
    "options",
    [
        {"operation_ns": "http://webservice.wailian.linewell.com/"},
        {"operation_ns": "urn:anything", "auth_ns": "urn:other"},
        {"auth_ns": None},
        {"env_ns": "http://www.w3.org/2003/05/soap-envelope"},
    ],
)
def test_names_are_matched_by_their_local_part(
    sandbox: SandboxServer, options: dict[str, str | None]
) -> None:
    pad = gateway_pad(sandbox)
    answer = raw_call(sandbox, SAVE, pad.body(SAVE, case_of(rating_record()), **options))
    assert answer.status_code == 200
    assert parse_answer(answer.content).code == "200"


def test_the_answer_is_a_jax_ws_style_envelope(sandbox: SandboxServer) -> None:
    pad = gateway_pad(sandbox)
    answer = raw_call(sandbox, DETAIL, pad.body(DETAIL, detail_case("P-none")))
    assert answer.content.startswith(b"<?xml")
    assert b"<soap:Body><ns2:getEvaluationDetailResponse" in answer.content
    assert b"<return>&lt;?xml version=" in answer.content


@pytest.mark.parametrize(
    ("operation", "body", "status"),
    [
        (SAVE, b"not xml", 500),
        (SAVE, b"<Envelope><Body/></Envelope>", 500),
        (SAVE, b'<!DOCTYPE x [<!ENTITY a "b">]><Envelope><Body><x>&a;</x></Body></Envelope>', 500),
        ("getSomethingElse", b"<Envelope/>", 404),
    ],
)
def test_what_is_no_soap_call_gets_a_fault(
    sandbox: SandboxServer, operation: str, body: bytes, status: int
) -> None:
    answer = raw_call(sandbox, operation, body)
    assert answer.status_code == status
    assert b"Fault" in answer.content


def test_the_operation_must_be_the_one_addressed(sandbox: SandboxServer) -> None:
    pad = gateway_pad(sandbox)
    answer = raw_call(sandbox, SAVE, pad.body(DETAIL, detail_case("P1")))
    assert answer.status_code == 500
    assert b"getEvaluationDetail" in answer.content


def test_gateway_calls_stay_out_of_the_published_api(sandbox: SandboxServer) -> None:
    document = requests.get(f"{sandbox.url}/openapi.json", timeout=10).json()
    assert not [path for path in document["paths"] if "gateway" in path]


def test_calls_are_quick(sandbox: SandboxServer) -> None:
    pad = gateway_pad(sandbox)
    pad.client.token()
    started = time.monotonic()
    pad.client.call(DETAIL, detail_case("P1"))
    assert time.monotonic() - started < 5  # only catches a hang (a lost Nagle setting would be 40 ms)


class _ForwardProxy(http.server.BaseHTTPRequestHandler):
    """A plain-HTTP forward proxy that passes every request to one server and notes what it saw."""

    upstream: tuple[str, int]
    seen: list[str]

    def _forward(self) -> None:
        self.seen.append(self.path)
        target = urlsplit(self.path)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        connection = http.client.HTTPConnection(*self.upstream, timeout=10)
        try:
            path = target.path + (f"?{target.query}" if target.query else "")
            connection.request(self.command, path, body=body, headers=dict(self.headers))
            answer = connection.getresponse()
            data = answer.read()
        finally:
            connection.close()
        self.send_response(answer.status)
        for name, value in answer.getheaders():
            if name.lower() not in {"content-length", "connection", "transfer-encoding"}:
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        self._forward()

    def do_POST(self) -> None:
        self._forward()

    def log_message(self, *args: object) -> None:
        pass


def test_the_client_goes_through_the_proxy_it_is_given(sandbox: SandboxServer) -> None:
    handler = type("Proxy", (_ForwardProxy,), {"upstream": ("127.0.0.1", sandbox.port), "seen": []})
    proxy = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=proxy.serve_forever, daemon=True)
    thread.start()
    try:
        pad = gateway_pad(sandbox, transport=Transport(proxy=f"http://127.0.0.1:{proxy.server_address[1]}"))
        # A name that resolves nowhere: only the proxy can reach it.
        pad.client.gateway = "http://gateway.invalid/api-gateway/gateway"
        assert pad.client.call(DETAIL, detail_case("P1")).code == "500"
    finally:
        proxy.shutdown()
        proxy.server_close()
        thread.join(5)
    assert [urlsplit(path).path for path in handler.seen] == [
        "/api-gateway/gateway/get-token",
        "/api-gateway/gateway/96hyvzxl/wailian/webservice/getEvaluationDetail",
    ]
