"""The test side of the uplink: a device-like client that signs its requests, and valid records.

It deliberately repeats the few lines of signing and hashing of the spec rather than importing the sandbox's
own: a client written from the spec is what the service must understand.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import secrets
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import requests

SPEC_SECRET = "c2FuZGJveC1kZXZpY2Utc2VjcmV0LTAwMDAwMDAwMDA="
ZERO_HASH = "0" * 64
HALL, WINDOW = "350102-ZWFW", "A07"


def spec_sign(key: bytes, method: str, target: str, timestamp: str, nonce: str, body: bytes) -> str:
    """The signature of uplink-api.md "Signing", written from the spec."""
    canonical = "\n".join([method, target, timestamp, nonce, hashlib.sha256(body).hexdigest()])
    return hmac.new(key, canonical.encode("utf-8"), hashlib.sha256).hexdigest()


def spec_hash(record: Mapping[str, Any]) -> str:
    """A record's hash as the spec defines it."""
    without = {key: value for key, value in record.items() if key != "hash"}
    text = json.dumps(without, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def sealed(record: dict[str, Any]) -> dict[str, Any]:
    """The record with its `hash` set from its content."""
    return {**record, "hash": spec_hash(record)}


def spec_example_record() -> dict[str, Any]:
    """The worked example of uplink-api.md "Evaluation record", without its hash."""
    return {
        "evaluationId": "0b6f1f5e-8f3a-4d2c-9a51-2f7c3e9d1a40",
        "deviceId": "FJ-350102-0001",
        "seq": 1,
        "prevHash": ZERO_HASH,
        "projectNo": "35010220261127000123",
        "taskCode": "1135000000359143343350111002000",
        "taskName": "个体工商户设立登记",
        "deptCode": "11350102003622411H",
        "deptName": "鼓楼区市场监督管理局",
        "areaCode": "350102",
        "windowNo": "A07",
        "staffId": "S1024",
        "staffName": "林晓",
        "pf": "5",
        "satisfaction": 5,
        "evalDetail": ["510", "517"],
        "writingEvaluation": "",
        "acceptTime": "2026-11-27T09:12:00+08:00",
        "assessTime": "2026-11-27T09:31:05+08:00",
        "assessNumber": 1,
        "defaultEvaluation": False,
        "userName": "陈明",
        "userProp": "1",
        "certType": "111",
        "certNo": "350102199001011238",
        "mobile": "13800138000",
        "extraPresses": 0,
    }


def new_project_no() -> str:
    """A 办件编号 no other test uses."""
    return "3501022026" + uuid.uuid4().hex[:16].upper()


def new_device_id() -> str:
    """A deviceId no other test uses."""
    return "T-" + uuid.uuid4().hex[:16].upper()


@dataclass
class Chain:
    """Makes a device's successive records, each chained to the one before, as a pad would."""

    device_id: str
    seq: int = 0
    last_hash: str = ZERO_HASH
    made: list[dict[str, Any]] = field(default_factory=list)

    def next(self, **fields: Any) -> dict[str, Any]:
        """The next record (a fresh 办件 unless given), chained to the last one made."""
        self.seq += 1
        record = {
            **spec_example_record(),
            "evaluationId": str(uuid.uuid4()),
            "deviceId": self.device_id,
            "seq": self.seq,
            "prevHash": self.last_hash,
            "projectNo": new_project_no(),
            **fields,
        }
        record = sealed(record)
        self.last_hash = record["hash"]
        self.made.append(record)
        return record


class DeviceClient:
    """A device that signs its requests to the sandbox.

    Args:
        base_url: the API's base URL, e.g. `http://127.0.0.1:PORT/api/v1`.
        device_id: the device's id.
        key: the 32-byte key decoded from deviceSecret.
        clock: the device's clock (unix seconds).
    """

    def __init__(
        self, base_url: str, device_id: str, key: bytes, clock: Callable[[], float] = time.time
    ) -> None:
        self.base_url = base_url
        self.device_id = device_id
        self.key = key
        self.clock = clock
        self.http = requests.Session()
        self.chain = Chain(device_id)

    def signed_headers(
        self, method: str, target: str, body: bytes, *, timestamp: str | None = None, nonce: str | None = None
    ) -> dict[str, str]:
        """The four signing headers for a request."""
        timestamp = timestamp if timestamp is not None else str(int(self.clock()))
        nonce = nonce if nonce is not None else secrets.token_hex(8)
        return {
            "X-HCP-Device": self.device_id,
            "X-HCP-Timestamp": timestamp,
            "X-HCP-Nonce": nonce,
            "X-HCP-Signature": spec_sign(self.key, method, target, timestamp, nonce, body),
        }

    def request(
        self,
        method: str,
        path: str,
        payload: Any = None,
        *,
        body: bytes | None = None,
        timestamp: str | None = None,
        nonce: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> requests.Response:
        """A signed request to `path` (relative to the base URL), with a JSON payload or raw body bytes."""
        if body is None:
            body = b"" if payload is None else json.dumps(payload, ensure_ascii=False).encode("utf-8")
        target = urlsplit(self.base_url).path + path
        signed = self.signed_headers(method, target, body, timestamp=timestamp, nonce=nonce)
        all_headers = {"Content-Type": "application/json", **signed, **(headers or {})}
        return self.http.request(method, self.base_url + path, data=body, headers=all_headers, timeout=10)

    def send(self, *records: Any, nonce: str | None = None) -> requests.Response:
        """`POST /evaluations:batch` with these records."""
        return self.request("POST", "/evaluations:batch", {"evaluations": list(records)}, nonce=nonce)

    def results(self, *records: Any) -> list[dict[str, Any]]:
        """The per-record results of a batch that must be answered 200."""
        answer = self.send(*records)
        assert answer.status_code == 200, answer.text
        results: list[dict[str, Any]] = answer.json()["results"]
        assert len(results) == len(records)
        return results

    def heartbeat(self) -> dict[str, Any]:
        """A well-formed heartbeat; its answer."""
        body = {
            "at": "2026-11-27T09:40:00+08:00",
            "appVersion": "0.1.0",
            "uptimeS": 120,
            "queueDepth": 0,
            "deadLetters": 0,
            "lastSeq": self.chain.seq,
            "lastHash": self.chain.last_hash,
            "evaluator": {"protocol": "frame", "port": "/dev/ttyUSB0", "state": "armed", "firmware": "1.2"},
        }
        answer = self.request("POST", f"/devices/{self.device_id}/heartbeat", body)
        assert answer.status_code == 200, answer.text
        result: dict[str, Any] = answer.json()
        return result


def raw_request(
    base_url: str, method: str, target: str, headers: Mapping[str, str], body: bytes = b""
) -> Any:
    """Sends a request with exactly this request-target (no client re-quoting), and returns (status, JSON)."""
    parts = urlsplit(base_url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
    try:
        connection.request(method, target, body=body, headers=dict(headers))
        response = connection.getresponse()
        return response.status, json.loads(response.read() or b"null")
    finally:
        connection.close()


def enrol(base_url: str, code: str, device_id: str) -> requests.Response:
    """`POST /devices/enroll` as a pad sends it."""
    body = {"enrollCode": code, "deviceId": device_id, "appVersion": "0.1.0", "hardware": {"model": "test"}}
    return requests.post(f"{base_url}/devices/enroll", json=body, timeout=10)
