"""The outcome table: what each answer means for the record sent, the detail query and the QR call."""

from __future__ import annotations

import pytest

from kiosk.sync.fujian.outcome import (
    DetailStatus,
    SendOutcome,
    SendStatus,
    detail_outcome,
    mask_personal,
    qr_url,
    send_outcome,
)
from kiosk.sync.fujian.soap import CaseAnswer
from tests.province.helpers import spec_example_record


def test_200_is_accepted_with_the_province_s_id() -> None:
    outcome = send_outcome(CaseAnswer("200", "评价成功", {"evaluateUnid": "E1"}))
    assert outcome == SendOutcome(SendStatus.ACCEPTED, "E1", "200", "评价成功")


def test_409_is_superseded() -> None:
    assert send_outcome(CaseAnswer("409", "该办件已评价")).status is SendStatus.SUPERSEDED


@pytest.mark.parametrize("code", ["400", "500", "201", "abc"])
def test_any_other_code_is_rejected(code: str) -> None:
    outcome = send_outcome(CaseAnswer(code, "缺少 pf"))
    assert (outcome.status, outcome.code, outcome.message) == (SendStatus.REJECTED, code, "缺少 pf")


def test_no_readable_answer_is_unknown() -> None:
    assert send_outcome(None) == SendOutcome(SendStatus.UNKNOWN)


def test_a_rejection_s_message_is_masked() -> None:
    record = spec_example_record()
    message = "证件号码 350102199001011238 与姓名 陈明 不符，联系电话 13800138000；另 11010519491231002X"

    outcome = send_outcome(CaseAnswer("400", message), record)

    assert (
        outcome.message
        == "证件号码 3501**********1238 与姓名 陈* 不符，联系电话 138****8000；另 1101**********002X"
    )
    assert mask_personal("办件 35010220261127000123 无误") == "办件 35010220261127000123 无误"


@pytest.mark.parametrize(
    ("answer", "status"),
    [
        (CaseAnswer("200", "", {"pf": "3"}), DetailStatus.RATED),
        (CaseAnswer("500", "未找到评价"), DetailStatus.NOT_RATED),
        (CaseAnswer("400", "缺少 projectNo"), DetailStatus.UNKNOWN),
        (None, DetailStatus.UNKNOWN),
    ],
)
def test_the_detail_query(answer: CaseAnswer | None, status: DetailStatus) -> None:
    assert detail_outcome(answer) is status


def test_the_qr_url_is_the_data_url_of_a_200() -> None:
    assert qr_url(CaseAnswer("200", "", {"url": "https://m.example/e?x=1"})) == "https://m.example/e?x=1"
    assert qr_url(CaseAnswer("200", "", {})) is None
    assert qr_url(CaseAnswer("409", "", {"url": "https://m.example"})) is None
    assert qr_url(None) is None
