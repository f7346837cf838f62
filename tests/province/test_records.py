"""Records: the worked example's hash, and the validation of every field, without HTTP."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from province.catalogue import national_catalogue
from province.identifiers import is_credit_code, is_resident_id
from province.records import FIELDS, RecordProblem, content_problem, identify, record_hash
from province.seed import DEMO_HALL
from province.store import SandboxStore
from tests.province.helpers import Chain, sealed, spec_example_record, spec_hash

SPEC_RECORD_HASH = "e0b99bbae3e03f5bc9653017645f00be3bed40e21eaef1ebd6909f66fc1ae12b"
SIGNER = "FJ-350102-0001"


def test_worked_example_record_hash() -> None:
    record = spec_example_record()
    assert spec_hash(record) == SPEC_RECORD_HASH
    assert record_hash(record) == SPEC_RECORD_HASH
    assert record_hash({**record, "hash": "anything"}) == SPEC_RECORD_HASH


def test_worked_example_is_a_valid_record() -> None:
    record = sealed(spec_example_record())
    identity = identify(record, SIGNER)
    assert not isinstance(identity, RecordProblem)
    assert (identity.seq, identity.hash) == (1, SPEC_RECORD_HASH)
    assert content_problem(record, national_catalogue()) is None


def test_the_table_has_every_field_of_the_worked_example() -> None:
    assert set(FIELDS) == {*spec_example_record(), "hash"}
    assert len(FIELDS) == 28


def test_check_characters_of_the_example_people_and_departments() -> None:
    assert is_resident_id("350102199001011238")
    assert not is_resident_id("350102199001011239")
    assert is_resident_id("11010519491231002X") and is_resident_id("11010519491231002x")
    assert is_credit_code("11350102003622411H")
    assert not is_credit_code("11350102003622411J")


def _problem(record: dict[str, Any]) -> RecordProblem | None:
    record = sealed(record)
    identity = identify(record, SIGNER)
    if isinstance(identity, RecordProblem):
        return identity
    return content_problem(record, national_catalogue())


def _without(field: str) -> dict[str, Any]:
    return {key: value for key, value in spec_example_record().items() if key != field}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"evaluationId": "not-a-uuid"}, "evaluationId"),
        ({"deviceId": "FJ-350102-0002"}, "deviceId"),
        ({"seq": 0}, "seq"),
        ({"seq": True}, "seq"),
        ({"seq": 1.0}, "seq"),
        ({"seq": 2**60}, "seq"),
        ({"prevHash": "0" * 63}, "prevHash"),
        ({"prevHash": "A" * 64}, "prevHash"),
        ({"projectNo": ""}, "projectNo"),
        ({"projectNo": "1" * 51}, "projectNo"),
        ({"taskName": None}, "taskName"),
        ({"deptCode": "11350102003622411J"}, "deptCode"),
        ({"areaCode": "35010"}, "areaCode"),
        ({"areaCode": "３５０１０２"}, "areaCode"),
        ({"windowNo": 7}, "windowNo"),
        ({"pf": "8"}, "pf"),
        ({"pf": 5}, "pf"),
        ({"satisfaction": "5"}, "satisfaction"),
        ({"satisfaction": 6}, "satisfaction"),
        ({"evalDetail": "510"}, "evalDetail"),
        ({"evalDetail": ["999"]}, "evalDetail"),
        ({"evalDetail": ["207"]}, "evalDetail"),
        ({"evalDetail": ["510", "510"]}, "evalDetail"),
        ({"writingEvaluation": "好" * 151}, "writingEvaluation"),
        ({"acceptTime": "2026-11-27T09:12:00Z"}, "acceptTime"),
        ({"acceptTime": "2026-11-27T09:12:00.5+08:00"}, "acceptTime"),
        ({"assessTime": "2026-02-30T09:31:05+08:00"}, "assessTime"),
        ({"assessNumber": 2}, "assessNumber"),
        ({"defaultEvaluation": "false"}, "defaultEvaluation"),
        ({"defaultEvaluation": True}, "defaultEvaluation"),
        ({"userName": ""}, "userName"),
        ({"userProp": "3"}, "userProp"),
        ({"certType": "999"}, "certType"),
        ({"certNo": "350102199001011239"}, "certNo"),
        ({"certType": "001", "certNo": "350102199001011238"}, "certNo"),
        ({"mobile": "0591-87654321"}, "mobile"),
        ({"extraPresses": -1}, "extraPresses"),
        ({"evalDetails": []}, "evalDetails"),
    ],
)
def test_a_malformed_field_is_named(changes: dict[str, Any], field: str) -> None:
    problem = _problem({**spec_example_record(), **changes})
    assert problem is not None
    assert (problem.code, problem.field) == ("invalid_field", field)
    # The message never repeats a value: it may be personal data.
    assert "350102199001011238" not in problem.message


@pytest.mark.parametrize("field", [f for f in FIELDS if f not in {"hash"}])
def test_a_missing_field_is_named(field: str) -> None:
    problem = _problem(_without(field))
    assert problem is not None
    assert (problem.code, problem.field) == ("invalid_field", field)


@pytest.mark.parametrize(
    "changes",
    [
        {"windowNo": "", "staffId": "", "staffName": "", "taskCode": "", "taskName": "", "deptCode": ""},
        {"areaCode": "", "deptName": "", "mobile": "", "writingEvaluation": ""},
        {"areaCode": "350102001"},
        {"evalDetail": []},
        {"evalDetail": ["501", "509"]},  # retired codes are still accepted
        {"satisfaction": 1, "evalDetail": ["101", "115"]},
        {"satisfaction": 4, "pf": "5", "evalDetail": [], "defaultEvaluation": True},
        {"certType": "001", "userProp": "2", "certNo": "11350102003622411H"},
        {"certType": "414", "certNo": "E12345678"},
        {"assessTime": "2026-11-27T01:12:00+00:00"},  # the same instant as acceptTime, in UTC
        {"writingEvaluation": "好" * 150},
    ],
)
def test_valid_variations_are_accepted(changes: dict[str, Any]) -> None:
    assert _problem({**spec_example_record(), **changes}) is None


def test_assess_time_before_accept_time_is_time_order() -> None:
    problem = _problem({**spec_example_record(), "assessTime": "2026-11-27T09:11:59+08:00"})
    assert problem == RecordProblem("time_order", "assessTime", "assessTime is before acceptTime")


def test_a_tampered_record_fails_its_hash() -> None:
    record = {**sealed(spec_example_record()), "satisfaction": 1}
    problem = identify(record, SIGNER)
    assert isinstance(problem, RecordProblem)
    assert problem.field == "hash"


def test_a_lone_surrogate_is_rejected_not_raised() -> None:
    record = {**spec_example_record(), "taskName": "\ud800"}
    problem = identify({**record, "hash": "0" * 64}, SIGNER)
    assert isinstance(problem, RecordProblem)
    assert problem.field == "record"


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)


@st.composite
def mutated_records(draw: st.DrawFn) -> Any:
    """Any JSON value, or a valid record with fields replaced, dropped or added; hashed or not."""
    if draw(st.integers(0, 4)) == 0:
        return draw(json_values)
    record: dict[str, Any] = {**spec_example_record(), "evaluationId": str(uuid.uuid4())}
    for field in draw(st.lists(st.sampled_from(FIELDS), max_size=4)):
        if draw(st.booleans()):
            record.pop(field, None)
        else:
            record[field] = draw(json_values)
    record.update(draw(st.dictionaries(st.text(max_size=8), json_values, max_size=2)))
    return sealed(record) if draw(st.booleans()) else {**record, "hash": draw(json_values)}


@settings(max_examples=300)
@given(mutated_records())
def test_the_validator_answers_any_json_without_raising(record: Any) -> None:
    identity = identify(record, SIGNER)
    if not isinstance(identity, RecordProblem):
        problem = content_problem(identity.record, national_catalogue())
        assert problem is None or problem.code in {"invalid_field", "time_order"}
    else:
        assert identity.code == "invalid_field"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxStore]:
    with SandboxStore(tmp_path_factory.mktemp("records") / "sandbox.sqlite3") as store:
        store.add_device(SIGNER, DEMO_HALL, "A07")
        yield store


@settings(max_examples=150)
@given(st.lists(mutated_records(), min_size=1, max_size=5))
def test_the_store_takes_any_batch_and_answers_each_record(store: SandboxStore, records: list[Any]) -> None:
    outcomes = store.ingest(SIGNER, records)
    assert len(outcomes) == len(records)
    for outcome in outcomes:
        assert outcome.status in {"accepted", "duplicate", "conflict", "rejected"}
        assert (outcome.error is not None) == (outcome.status == "rejected")


def test_the_store_accepts_a_chain_of_valid_records(tmp_path: Path) -> None:
    with SandboxStore(tmp_path / "sandbox.sqlite3") as store:
        store.add_device(SIGNER, DEMO_HALL, "A07")
        chain = Chain(SIGNER)
        outcomes = store.ingest(SIGNER, [chain.next() for _ in range(5)])
        assert [o.status for o in outcomes] == ["accepted"] * 5
        assert store.accepted_count(SIGNER) == 5
        assert store.chain_ok(SIGNER)
        assert store.accepted_seq(SIGNER) == 5
