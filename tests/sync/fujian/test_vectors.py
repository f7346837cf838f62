"""province-fujian.md's worked examples, byte for byte."""

from __future__ import annotations

import hashlib

from kiosk.domain.record import record_hash
from kiosk.sync.fujian.case_xml import CaseTemplate, render_case
from kiosk.sync.fujian.cipher import encrypt_xml_str, sm4_key
from kiosk.sync.fujian.token import token_sign
from tests.province.helpers import spec_example_record

SANDBOX_APP_CODE = "sandbox-app-code"
FINISH_TIME = "2026-11-27T09:30:40+08:00"


def _worked_case() -> bytes:
    record = spec_example_record()
    # The record is uplink-api.md's worked example exactly: it hashes to the spec's value.
    assert record_hash(record) == "e0b99bbae3e03f5bc9653017645f00be3bed40e21eaef1ebd6909f66fc1ae12b"
    case = render_case(CaseTemplate.default(), record, finish_time=FINISH_TIME, network="3")
    return case.encode("utf-8")


def test_the_public_cipher_vector() -> None:
    assert encrypt_xml_str("123", "bbbbbbba") == "bJXvesF4IG229ks1bzBcrg=="


def test_the_token_sign() -> None:
    assert token_sign(SANDBOX_APP_CODE, 1795000000000) == "c04831948516aa293b86a9790c3fe651"


def test_the_key() -> None:
    assert sm4_key(SANDBOX_APP_CODE) == b"ce0d8a9ef28145ac"


def test_the_rendered_worked_record() -> None:
    case = _worked_case()

    assert len(case) == 922
    assert hashlib.sha256(case).hexdigest() == (
        "f2fb367ec0834aa9835c283b1033f6545e0f3aed5abcd6aa1f13a207fe06d570"
    )
    assert b"<appraisald>510,517</appraisald>" in case
    assert b"<resultDate>2026-11-27 09:30:40</resultDate>" in case


def test_the_worked_xml_str() -> None:
    xml_str = encrypt_xml_str(_worked_case().decode("utf-8"), SANDBOX_APP_CODE)

    assert len(xml_str) == 1240
    assert xml_str.startswith("cmfuo9pCSr1Vv0/DGa5ZjmMibMdF8J/PdMJpuKHvFxBseHex")
    assert hashlib.sha256(xml_str.encode("ascii")).hexdigest() == (
        "c973f89eedcb55eb5c3e1b8673291700e181f3f1db2ccddd64106b167550e0d7"
    )
