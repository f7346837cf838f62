"""Signing (uplink-api.md "Signing"): the worked example, and every failure in the spec's order."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable

import pytest
import requests

from province.server import SandboxServer
from province.signing import body_digest, canonical_request, sign
from tests.province.conftest import FakeClock, enrolled_device
from tests.province.helpers import SPEC_SECRET, DeviceClient, raw_request, spec_sign

SPEC_TIMESTAMP = 1795000000
SPEC_NONCE = "4f1c2a9b7d3e8f60"
SPEC_BODY = b'{"evaluations":[]}'
SPEC_BODY_HASH = "ba2d9cbd39e66717e6cd601f2be292b2b81b7ace3837118a30b6a080adf8bdc0"
SPEC_SIGNATURE = "592cddfe55a5d1f69caeafdd638ffb5b2cae3c53db1c471df22e3a879b1ec7ad"
SPEC_TARGET = "/api/v1/evaluations:batch"


def _error(answer: requests.Response) -> str:
    code: str = answer.json()["error"]["code"]
    return code


def test_worked_example_signature_of_the_spec() -> None:
    key = base64.b64decode(SPEC_SECRET)
    assert hashlib.sha256(SPEC_BODY).hexdigest() == SPEC_BODY_HASH
    assert body_digest(SPEC_BODY) == SPEC_BODY_HASH
    canonical = canonical_request(
        b"POST", SPEC_TARGET.encode(), str(SPEC_TIMESTAMP).encode(), SPEC_NONCE.encode(), SPEC_BODY
    )
    assert sign(key, canonical) == SPEC_SIGNATURE
    assert spec_sign(key, "POST", SPEC_TARGET, str(SPEC_TIMESTAMP), SPEC_NONCE, SPEC_BODY) == SPEC_SIGNATURE


def _spec_example_headers(device_id: str) -> dict[str, str]:
    return {
        "X-HCP-Device": device_id,
        "X-HCP-Timestamp": str(SPEC_TIMESTAMP),
        "X-HCP-Nonce": SPEC_NONCE,
        "X-HCP-Signature": SPEC_SIGNATURE,
        "Content-Type": "application/json",
    }


def test_worked_example_request_is_admitted_at_its_own_time(
    start_sandbox: Callable[..., SandboxServer],
) -> None:
    server = start_sandbox(clock=FakeClock(SPEC_TIMESTAMP + 12))
    server.store.add_device("FJ-350102-0001", "350102-ZWFW", "A07", base64.b64decode(SPEC_SECRET))

    status, answer = raw_request(
        server.url, "POST", SPEC_TARGET, _spec_example_headers("FJ-350102-0001"), SPEC_BODY
    )

    assert (status, answer) == (200, {"results": []})
    # The same request again is a replay: the nonce was remembered.
    status, answer = raw_request(
        server.url, "POST", SPEC_TARGET, _spec_example_headers("FJ-350102-0001"), SPEC_BODY
    )
    assert (status, answer["error"]["code"]) == (401, "replay")


def test_worked_example_today_passes_the_signature_and_fails_the_clock(
    start_sandbox: Callable[..., SandboxServer],
) -> None:
    clock = FakeClock(SPEC_TIMESTAMP + 301)
    server = start_sandbox(clock=clock)
    server.store.add_device("FJ-350102-0001", "350102-ZWFW", "A07", base64.b64decode(SPEC_SECRET))

    status, answer = raw_request(
        server.url, "POST", SPEC_TARGET, _spec_example_headers("FJ-350102-0001"), SPEC_BODY
    )

    assert status == 401
    assert answer["error"]["code"] == "clock_skew"
    assert answer["serverTime"] == SPEC_TIMESTAMP + 301
    clock.now = SPEC_TIMESTAMP - 300  # exactly at the limit is still in time
    status, answer = raw_request(
        server.url, "POST", SPEC_TARGET, _spec_example_headers("FJ-350102-0001"), SPEC_BODY
    )
    assert status == 200


def test_a_good_signature_is_admitted(device: DeviceClient) -> None:
    answer = device.request("GET", "/projects/350102X/evaluation")
    assert answer.status_code == 200
    assert answer.json() == {"rated": False}


def test_a_forged_signature_is_bad_signature(device: DeviceClient) -> None:
    answer = device.request("GET", "/projects/350102X/evaluation", headers={"X-HCP-Signature": "ab" * 32})
    assert answer.status_code == 401
    assert _error(answer) == "bad_signature"


def test_a_signature_made_with_another_key_is_bad_signature(
    sandbox: SandboxServer, device: DeviceClient
) -> None:
    impostor = DeviceClient(sandbox.url, device.device_id, b"\x01" * 32)
    answer = impostor.request("GET", "/projects/350102X/evaluation")
    assert (answer.status_code, _error(answer)) == (401, "bad_signature")


def test_the_signature_covers_the_body(device: DeviceClient) -> None:
    record = device.chain.next()
    headers = device.signed_headers("POST", "/api/v1/evaluations:batch", b'{"evaluations":[]}')
    answer = device.http.post(
        f"{device.base_url}/evaluations:batch", json={"evaluations": [record]}, headers=headers
    )
    assert (answer.status_code, _error(answer)) == (401, "bad_signature")


def test_an_unknown_device_is_bad_signature(sandbox: SandboxServer) -> None:
    stranger = DeviceClient(sandbox.url, "P-NEVER-ENROLLED", b"\x02" * 32)
    answer = stranger.request("GET", "/projects/350102X/evaluation")
    assert (answer.status_code, _error(answer)) == (401, "bad_signature")


@pytest.mark.parametrize(
    ("header", "value"),
    [
        ("X-HCP-Timestamp", ""),
        ("X-HCP-Timestamp", "17950000.5"),
        ("X-HCP-Nonce", "abc"),
        ("X-HCP-Nonce", "z" * 16),
        ("X-HCP-Signature", "not-hex"),
    ],
)
def test_malformed_signing_headers_are_bad_signature(device: DeviceClient, header: str, value: str) -> None:
    answer = device.request("GET", "/projects/350102X/evaluation", headers={header: value})
    assert answer.status_code == 401
    assert answer.json()["error"] == {
        "code": "bad_signature",
        "message": f"{header} is missing or malformed",
        "field": header,
    }


def test_an_unsigned_request_is_bad_signature(sandbox: SandboxServer) -> None:
    answer = DeviceClient(sandbox.url, "x", b"").http.get(f"{sandbox.url}/projects/350102X/evaluation")
    assert (answer.status_code, _error(answer)) == (401, "bad_signature")


def test_a_revoked_device_is_refused_after_the_signature_check(
    sandbox: SandboxServer, device: DeviceClient
) -> None:
    assert sandbox.store.revoke_device(device.device_id)

    forged = device.request("GET", "/projects/350102X/evaluation", headers={"X-HCP-Signature": "00" * 32})
    signed = device.request("GET", "/projects/350102X/evaluation")

    assert (forged.status_code, _error(forged)) == (401, "bad_signature")
    assert (signed.status_code, _error(signed)) == (403, "device_revoked")


def test_revocation_comes_before_the_clock(sandbox: SandboxServer, device: DeviceClient) -> None:
    sandbox.store.revoke_device(device.device_id)
    answer = device.request("GET", "/projects/350102X/evaluation", timestamp=str(int(device.clock()) - 3600))
    assert (answer.status_code, _error(answer)) == (403, "device_revoked")


@pytest.mark.parametrize("offset", [-301, 301, -86400])
def test_a_skewed_clock_gets_clock_skew_with_the_server_time(device: DeviceClient, offset: int) -> None:
    now = int(device.clock())
    answer = device.request("GET", "/projects/350102X/evaluation", timestamp=str(now + offset))
    assert (answer.status_code, _error(answer)) == (401, "clock_skew")
    assert abs(answer.json()["serverTime"] - now) <= 5


def test_the_clock_comes_before_the_nonce(device: DeviceClient) -> None:
    assert device.request("GET", "/projects/350102X/evaluation", nonce="a1" * 8).status_code == 200
    stale = device.request("GET", "/projects/350102X/evaluation", nonce="a1" * 8, timestamp="1000")
    assert _error(stale) == "clock_skew"


def test_a_replayed_nonce_is_refused(device: DeviceClient) -> None:
    first = device.request("GET", "/projects/350102X/evaluation", nonce="0123456789abcdef")
    again = device.request("GET", "/projects/350102Y/evaluation", nonce="0123456789abcdef")
    assert first.status_code == 200
    assert (again.status_code, _error(again)) == (401, "replay")


def test_nonces_are_per_device(sandbox: SandboxServer, device: DeviceClient) -> None:
    other = enrolled_device(sandbox)
    assert device.request("GET", "/projects/350102X/evaluation", nonce="feedfacefeedface").status_code == 200
    assert other.request("GET", "/projects/350102X/evaluation", nonce="feedfacefeedface").status_code == 200


@pytest.mark.parametrize(
    ("headers", "timestamp"),
    [({"X-HCP-Signature": "11" * 32}, None), ({}, "1000")],
    ids=["bad_signature", "clock_skew"],
)
def test_the_nonce_of_a_refused_request_is_not_remembered(
    device: DeviceClient, headers: dict[str, str], timestamp: str | None
) -> None:
    refused = device.request(
        "GET", "/projects/350102X/evaluation", nonce="5eed" * 4, headers=headers, timestamp=timestamp
    )
    assert refused.status_code == 401

    answer = device.request("GET", "/projects/350102X/evaluation", nonce="5eed" * 4)

    assert answer.status_code == 200


def test_the_nonce_of_a_revoked_request_is_not_remembered(
    sandbox: SandboxServer, device: DeviceClient
) -> None:
    sandbox.store.revoke_device(device.device_id)
    assert device.request("GET", "/projects/350102X/evaluation", nonce="7a" * 8).status_code == 403
    # Allowed back by a new code for the same window: a new secret, and the nonce still unused.
    code = sandbox.store.issue_code("350102-ZWFW", "A07")
    device.key = sandbox.store.enroll(code, device.device_id)

    assert device.request("GET", "/projects/350102X/evaluation", nonce="7a" * 8).status_code == 200


def test_a_nonce_is_forgotten_after_600_seconds(start_sandbox: Callable[..., SandboxServer]) -> None:
    clock = FakeClock(SPEC_TIMESTAMP)
    server = start_sandbox(clock=clock)
    device = enrolled_device(server)
    assert device.request("GET", "/projects/X/evaluation", nonce="c0ffee" * 3).status_code == 200
    clock.now += 600
    assert _error(device.request("GET", "/projects/X/evaluation", nonce="c0ffee" * 3)) == "replay"
    clock.now += 1
    assert device.request("GET", "/projects/X/evaluation", nonce="c0ffee" * 3).status_code == 200


def test_the_path_is_signed_exactly_as_sent(device: DeviceClient) -> None:
    encoded = "/api/v1/projects/3501%2D02/evaluation"
    decoded = "/api/v1/projects/3501-02/evaluation"

    as_sent = device.signed_headers("GET", encoded, b"")
    as_decoded = device.signed_headers("GET", decoded, b"")

    assert raw_request(device.base_url, "GET", encoded, as_sent) == (200, {"rated": False})
    status, answer = raw_request(device.base_url, "GET", encoded, as_decoded)
    assert (status, answer["error"]["code"]) == (401, "bad_signature")


def test_the_query_string_is_signed(device: DeviceClient) -> None:
    target = "/api/v1/projects/350102X/evaluation?channel=qr&x=%20"
    with_query = device.signed_headers("GET", target, b"")
    without_query = device.signed_headers("GET", target.partition("?")[0], b"")

    assert raw_request(device.base_url, "GET", target, with_query)[0] == 200
    assert raw_request(device.base_url, "GET", target, without_query)[0] == 401
