"""The record hash, the QR token and the request signature against the specs' worked examples."""

from __future__ import annotations

import base64
import hashlib

import pytest

from kiosk.domain.qr import qr_token, qr_url
from kiosk.domain.record import GENESIS_HASH, RECORD_FIELDS, canonical_bytes, record_hash, seal
from kiosk.domain.timefmt import parse_time
from kiosk.sync.signing import canonical_request, sign

SECRET = base64.b64decode("c2FuZGJveC1kZXZpY2Utc2VjcmV0LTAwMDAwMDAwMDA=")

WORKED_RECORD = {
    "evaluationId": "0b6f1f5e-8f3a-4d2c-9a51-2f7c3e9d1a40",
    "deviceId": "FJ-350102-0001",
    "seq": 1,
    "prevHash": "0" * 64,
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
WORKED_HASH = "e0b99bbae3e03f5bc9653017645f00be3bed40e21eaef1ebd6909f66fc1ae12b"


def test_worked_record_hashes_to_the_spec() -> None:
    assert record_hash(WORKED_RECORD) == WORKED_HASH


def test_canonical_form_is_sorted_compact_utf8() -> None:
    canonical = canonical_bytes(WORKED_RECORD)
    # Byte for byte what the spec names: sorted keys, no spaces, Chinese not escaped, no hash.
    assert canonical.startswith(b'{"acceptTime":"2026-11-27T09:12:00+08:00","areaCode":"350102",')
    assert "个体工商户设立登记".encode() in canonical
    assert b"\\u" not in canonical
    assert b" " not in canonical
    assert b'"hash"' not in canonical
    assert canonical.endswith(b',"windowNo":"A07","writingEvaluation":""}')
    assert hashlib.sha256(canonical).hexdigest() == WORKED_HASH


def test_hash_ignores_its_own_field_and_seal_sets_it() -> None:
    sealed = seal(WORKED_RECORD)
    assert sealed["hash"] == WORKED_HASH
    assert record_hash(sealed) == WORKED_HASH


@pytest.mark.parametrize("field", RECORD_FIELDS)
def test_every_field_changes_the_hash(field: str) -> None:
    changed = dict(WORKED_RECORD)
    value = changed[field]
    changed[field] = (
        not value
        if isinstance(value, bool)
        else value + 1
        if isinstance(value, int)
        else [*value, "511"]
        if isinstance(value, list)
        else value + "x"
    )
    assert record_hash(changed) != WORKED_HASH


def test_a_missing_or_unknown_field_is_refused() -> None:
    missing = {k: v for k, v in WORKED_RECORD.items() if k != "mobile"}
    with pytest.raises(ValueError, match="mobile"):
        record_hash(missing)
    with pytest.raises(ValueError, match="extra"):
        record_hash({**WORKED_RECORD, "extra": 1})
    assert len(GENESIS_HASH) == 64


def test_qr_token_worked_example() -> None:
    token = qr_token(SECRET, "35010220261127000123", parse_time("2026-11-27T09:30:40+08:00"))
    assert token == "1796347840.Po-mTSDtWwGXwT9fdmP9xn"


def test_qr_url_fills_the_template() -> None:
    url = qr_url(
        "https://hcp.example.gov.cn/m/evaluate?d={deviceId}&p={projectNo}&t={token}", "P-1", "35-0", "1.a"
    )
    assert url == "https://hcp.example.gov.cn/m/evaluate?d=P-1&p=35-0&t=1.a"


def test_signature_worked_example() -> None:
    body = b'{"evaluations":[]}'
    assert (
        hashlib.sha256(body).hexdigest() == "ba2d9cbd39e66717e6cd601f2be292b2b81b7ace3837118a30b6a080adf8bdc0"
    )
    canonical = canonical_request("POST", "/api/v1/evaluations:batch", 1795000000, "4f1c2a9b7d3e8f60", body)
    assert canonical.count("\n") == 4
    assert not canonical.endswith("\n")
    signature = sign(SECRET, "POST", "/api/v1/evaluations:batch", 1795000000, "4f1c2a9b7d3e8f60", body)
    assert signature == "592cddfe55a5d1f69caeafdd638ffb5b2cae3c53db1c471df22e3a879b1ec7ad"
