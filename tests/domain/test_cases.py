"""Look-up queries and answers in domain terms: masked reprs, and cases that cannot be used left out."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from kiosk.domain.cases import CaseQuery, CaseState, FoundCase, parse_cases
from kiosk.domain.idcard import IdCard
from kiosk.domain.validation import Applicant
from tests.helpers.people import resident_id

CERT_NO = resident_id("350104", "19850607", "031")
APPLICANT = {"name": "林小梅", "userProp": "1", "certType": "111", "certNo": CERT_NO, "mobile": ""}


def test_queries_and_their_bodies() -> None:
    card = IdCard("林小梅", "2", "01", "19850607", "演示路9号", CERT_NO, "公安局", "20160101", "20360101")
    assert CaseQuery.by_card(card).to_json() == {"by": "cert", "certType": "111", "certNo": CERT_NO}
    assert CaseQuery.by_project("P1", "1234").to_json() == {
        "by": "project",
        "projectNo": "P1",
        "check": "1234",
    }


def test_queries_are_masked() -> None:
    assert CERT_NO not in repr(CaseQuery("cert", cert_type="111", cert_no=CERT_NO))
    assert (
        repr(CaseQuery.by_project("P1", "1234")) == "CaseQuery(by='project', project_no='P1', check='****')"
    )


def test_a_whole_answer() -> None:
    result = parse_cases(
        {
            "cases": [
                {"projectNo": "P2", "state": "rateable", "taskName": "登记", "applicant": APPLICANT},
                {"projectNo": "P1", "state": "rated", "applicantName": "林*梅"},
            ]
        }
    )
    assert result.left_out == 0
    assert result.cases == [
        FoundCase(
            "P2", CaseState.RATEABLE, task_name="登记", applicant=Applicant("林小梅", "1", "111", CERT_NO)
        ),
        FoundCase("P1", CaseState.RATED, applicant_name="林*梅"),
    ]


def test_cases_that_cannot_be_used_are_left_out_and_counted() -> None:
    result = parse_cases(
        {
            "cases": [
                {"state": "rateable", "applicant": APPLICANT},
                {"projectNo": "P1", "state": "open"},
                {"projectNo": "P2", "state": "rateable"},
                {"projectNo": "P3", "state": "rateable", "applicant": {**APPLICANT, "certNo": ""}},
                "P4",
                {"projectNo": "P5", "state": "expired", "applicant": APPLICANT},
            ]
        }
    )
    assert [case.project_no for case in result.cases] == ["P5"]
    assert result.cases[0].applicant is None  # never kept for a case that cannot be rated
    assert result.left_out == 5


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=10,
)
case_dicts = st.fixed_dictionaries(
    {},
    optional={
        "projectNo": json_values,
        "state": st.sampled_from(["rateable", "rated", "expired", "x"]) | json_values,
        "applicant": json_values | st.just(APPLICANT),
        "taskName": json_values,
    },
)


@given(st.lists(case_dicts | json_values, max_size=6))
def test_any_answer_parses_or_is_left_out(items: list[Any]) -> None:
    result = parse_cases({"cases": items})
    assert len(result.cases) + result.left_out == len(items)
    for case in result.cases:
        assert case.project_no
        assert (case.applicant is not None) == (case.state == CaseState.RATEABLE)
