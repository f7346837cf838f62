"""docs/uplink.md: the worked examples recomputed by the pad's own code, and the requests and answers sent
to and read from the sandbox."""

from __future__ import annotations

import base64
import json
import re
import time
import tomllib
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import requests

from kiosk.config import build
from kiosk.domain.qr import qr_token
from kiosk.domain.record import canonical_bytes, record_hash
from kiosk.sync.signing import canonical_request, sign
from province.server import SandboxServer
from tests.docs.markdown import DOCS, blocks, blocks_under
from tests.province.helpers import HALL, WINDOW, DeviceClient

DOC = DOCS / "uplink.md"
TEXT = DOC.read_text(encoding="utf-8")
JSON = [json.loads(b.text) for b in blocks(DOC) if b.lang == "json"]
(
    ENROL,
    ENROLLED,
    CODE_USED,
    CLOCK_SKEW,
    RECORD,
    BATCH,
    RESULTS,
    CONFIG,
    HEARTBEAT,
    BEAT_ANSWER,
    EVALUATION,
) = JSON
SECRET = "c2FuZGJveC1kZXZpY2Utc2VjcmV0LTAwMDAwMDAwMDA="


def shown(pattern: str) -> str:
    """A value the page states in its prose."""
    match = re.search(pattern, TEXT)
    assert match is not None, pattern
    return match.group(1)


def test_the_signing_example() -> None:
    assert f"Secret `{SECRET}`" in TEXT
    timestamp, nonce = int(shown(r"at\s+timestamp (\d+)")), shown(r"with nonce `([0-9a-f]+)`")
    body = shown(r"the body `(\{.*?\})`").encode()
    (printed,) = blocks_under(DOC, "3.", "text")
    assert canonical_request(
        "POST", "/api/v1/evaluations:batch", timestamp, nonce, body
    ) == printed.text.rstrip("\n")
    signature = sign(base64.b64decode(SECRET), "POST", "/api/v1/evaluations:batch", timestamp, nonce, body)
    assert signature == shown(r"and the signature: `([0-9a-f]{64})`")


def test_the_record_hash_example() -> None:
    assert record_hash(RECORD) == RECORD["hash"]
    assert canonical_bytes(RECORD).decode().startswith(shown(r"canonical JSON begins `(.+?)`"))
    # The table names exactly the fields the record carries.
    section = TEXT[TEXT.index("## 4.") : TEXT.index("## 5.")]
    rows = re.findall(r"^\| (`\w+`(?:, `\w+`)*) \|", section, re.MULTILINE)
    assert {name for row in rows for name in re.findall(r"`(\w+)`", row)} == set(RECORD)


def test_the_qr_token_example() -> None:
    finish = datetime.fromisoformat(shown(r"and finishTime\s+`([^`]+)`"))
    project_no = shown(r"projectNo `(\d+)` and finishTime")
    token = qr_token(base64.b64decode(SECRET), project_no, finish)
    assert token == shown(r"token `([0-9]+\.[A-Za-z0-9_-]{22})`")
    assert token.split(".")[0] == shown(r"expires `(\d+)`")


def test_the_uplink_settings_pass_the_pads_checks() -> None:
    (settings,) = blocks_under(DOC, "8.", "toml")
    uplink = build(tomllib.loads(settings.text)).uplink
    assert uplink.url == "https://hcp.example.gov.cn/api/v1" and uplink.heartbeat_s == 60


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[SandboxServer]:
    server = SandboxServer(tmp_path / "sandbox.sqlite3")
    server.start()
    yield server
    server.stop()


def keys_within(shown_value: Any, actual: Any, where: str = "") -> None:
    """Every member the (shortened) example shows is in the answer, its lists' items among the answer's."""
    if isinstance(shown_value, dict):
        assert isinstance(actual, dict), where
        for key, value in shown_value.items():
            assert key in actual, f"{where}.{key}"
            keys_within(value, actual[key], f"{where}.{key}")
    elif isinstance(shown_value, list):
        assert isinstance(actual, list) and len(shown_value) <= len(actual), where
        for i, item in enumerate(shown_value):
            keys_within(item, actual[i], f"{where}[{i}]")


def test_the_examples_against_the_sandbox(sandbox: SandboxServer) -> None:
    code = sandbox.store.issue_code(HALL, WINDOW)
    enrol = {**ENROL, "enrollCode": code}
    first = requests.post(f"{sandbox.url}/devices/enroll", json=enrol, timeout=10)
    assert first.status_code == 201
    answer = first.json()
    assert answer.keys() == ENROLLED.keys() and answer["deviceId"] == ENROLLED["deviceId"]
    assert (
        len(base64.b64decode(answer["deviceSecret"])) == len(base64.b64decode(ENROLLED["deviceSecret"])) == 32
    )
    again = requests.post(f"{sandbox.url}/devices/enroll", json=enrol, timeout=10)
    assert (again.status_code, again.json()) == (201, answer)
    used = requests.post(
        f"{sandbox.url}/devices/enroll", json={**enrol, "deviceId": "FJ-350102-0002"}, timeout=10
    )
    assert (used.status_code, used.json()) == (403, CODE_USED)

    device = DeviceClient(sandbox.url, answer["deviceId"], base64.b64decode(answer["deviceSecret"]))
    skewed = device.request(
        "GET", f"/devices/{device.device_id}/config", timestamp=str(int(time.time()) - 3600)
    )
    assert skewed.status_code == 401
    assert skewed.json()["error"] == CLOCK_SKEW["error"] and isinstance(skewed.json()["serverTime"], int)

    assert BATCH["evaluations"][0]["evaluationId"] == RECORD["evaluationId"]
    sent = device.request("POST", "/evaluations:batch", {"evaluations": [RECORD]})
    assert (sent.status_code, sent.json()) == (200, RESULTS)
    resent = device.request("POST", "/evaluations:batch", {"evaluations": [RECORD]})
    assert resent.json()["results"] == [{**RESULTS["results"][0], "status": "duplicate"}]

    config = device.request("GET", f"/devices/{device.device_id}/config")
    assert config.status_code == 200 and config.headers["ETag"] == f'"{config.json()["configVersion"]}"'
    actual = config.json()
    keys_within(CONFIG, actual)
    assert (actual["hall"], actual["window"]) == (CONFIG["hall"], CONFIG["window"])
    assert actual["settings"].keys() == CONFIG["settings"].keys()
    for level, reasons in CONFIG["reasons"]["levels"].items():
        assert all(reason in actual["reasons"]["levels"][level] for reason in reasons)
    assert actual["notices"][0]["body"] == CONFIG["notices"][0]["body"]
    unchanged = device.request(
        "GET", f"/devices/{device.device_id}/config", headers={"If-None-Match": config.headers["ETag"]}
    )
    assert unchanged.status_code == 304

    beat = device.request("POST", f"/devices/{device.device_id}/heartbeat", HEARTBEAT)
    assert beat.status_code == 200
    assert (
        beat.json().keys() == BEAT_ANSWER.keys() and beat.json()["acceptedSeq"] == BEAT_ANSWER["acceptedSeq"]
    )
    assert HEARTBEAT["lastHash"] == RECORD["hash"]

    rated = device.request("GET", f"/projects/{RECORD['projectNo']}/evaluation")
    assert rated.json() == EVALUATION
    assert device.request("GET", "/projects/35010220261127000999/evaluation").json() == {"rated": False}
    assert '`{"rated": false}`' in TEXT
