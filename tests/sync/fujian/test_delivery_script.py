"""The gateway profile's sender against a scripted gateway: what it sends, in which order, when the gateway
answers code 400, loses an answer, or cannot give a token."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.store.ledger import Ledger
from tests.helpers.people import CHEN_MING_ID, CHEN_MING_MOBILE
from tests.sync.conftest import ledger_path
from tests.sync.fujian.conftest import StartGateway
from tests.sync.fujian.scripted_gateway import APP_CODE, APP_KEY, Answer, Script, serve
from tests.sync.fujian.test_delivery import statuses

SAVE, DETAIL = "getSaveEvaluation", "getEvaluationDetail"


@pytest.fixture
def script() -> Script:
    return Script()


@pytest.fixture
def gateway(script: Script) -> Iterator[str]:
    yield from serve(script)


def test_a_code_400_makes_a_dead_letter_whose_message_is_masked(
    script: Script, gateway: str, start_gateway: StartGateway, caplog: pytest.LogCaptureFixture
) -> None:
    quoted = f"证件号码 {CHEN_MING_ID} 与手机 {CHEN_MING_MOBILE} 不符（陈明）"
    script.answers[SAVE] = [Answer("400", quoted)]
    caplog.set_level(logging.DEBUG)
    run = start_gateway(gateway, APP_KEY, APP_CODE)

    run.rate("DEAD-1", 5)
    run.rate("LIVE-2", 4)
    run.wait(lambda: run.ledger.queue_depth() == 0)

    assert statuses(run.ledger) == {1: "dead", 2: "accepted"}
    (letter,) = run.ledger.dead_letters()
    assert letter.code == "400"
    assert "3501**********1238" in letter.message and "138****8000" in letter.message
    # Neither number in clear anywhere: the stored error, the ledger's files, the log.
    for secret in (CHEN_MING_ID, CHEN_MING_MOBILE):
        assert secret not in letter.message
        assert secret not in caplog.text
        for path in Path(ledger_path(run.ledger)).parent.glob("kiosk.sqlite3*"):
            assert secret.encode() not in path.read_bytes()
    assert json.loads(_stored_error(run.ledger, 1))["code"] == "400"


def _stored_error(ledger: Ledger, seq: int) -> str:
    import sqlite3

    with sqlite3.connect(f"file:{ledger_path(ledger)}?mode=ro", uri=True) as db:
        return str(db.execute("SELECT error FROM sending WHERE seq = ?", (seq,)).fetchone()[0])


def test_a_lost_answer_is_asked_about_before_the_record_is_sent_again(
    script: Script, gateway: str, start_gateway: StartGateway
) -> None:
    # P1's rating is stored and its answer lost; P2's call fails before anything is stored.
    script.answers[SAVE] = [Answer(drop=True), Answer(status=500)]
    run = start_gateway(gateway, APP_KEY, APP_CODE)

    run.rate("P1", 5)
    run.rate("P2", 4)
    run.wait(lambda: run.ledger.queue_depth() == 0)

    assert script.calls == [
        (DETAIL, "P1"),  # the head of the queue after a start: not held
        (SAVE, "P1"),  # stored, answer lost
        (DETAIL, "P1"),  # held: duplicate
        (SAVE, "P2"),  # 500, nothing stored
        (DETAIL, "P2"),  # not held: send again
        (SAVE, "P2"),
    ]
    assert statuses(run.ledger) == {1: "duplicate", 2: "accepted"}
    assert run.ledger.province_id(1) == script.stored["P1"]


def test_without_detail_check_a_lost_answer_is_sent_again_and_found_superseded(
    script: Script, gateway: str, start_gateway: StartGateway
) -> None:
    script.answers[SAVE] = [Answer(drop=True)]
    run = start_gateway(gateway, APP_KEY, APP_CODE, detail_check=False)

    run.rate("P1", 5)
    run.wait(lambda: run.ledger.queue_depth() == 0)

    assert script.calls == [(SAVE, "P1"), (SAVE, "P1")]
    assert statuses(run.ledger) == {1: "superseded"}


def test_a_token_endpoint_that_is_down_holds_the_queue_and_nothing_is_lost(
    script: Script, gateway: str, start_gateway: StartGateway
) -> None:
    script.token_down = 4
    run = start_gateway(gateway, APP_KEY, APP_CODE)

    for index in range(5):
        run.rate(f"T{index}", 5)
    run.wait(lambda: script.token_calls >= 2)
    run.wait(lambda: run.recorder.states[-1:] == ["retrying"])
    assert run.ledger.queue_depth() in range(1, 6)
    run.wait(lambda: run.ledger.queue_depth() == 0)

    assert run.recorder.states[-1] == "online"
    # A failed token call sends nothing, so nothing was in doubt: no detail query but the one for the head
    # of the queue after the start, and one call per record.
    assert script.operations(DETAIL) == ["T0"]
    assert script.operations(SAVE) == [f"T{index}" for index in range(5)]
    assert set(statuses(run.ledger).values()) == {"accepted"}
