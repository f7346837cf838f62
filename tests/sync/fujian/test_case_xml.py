"""The Case XML: the default template, derived values, escaping, and templates checked at load."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.sync.fujian.case_xml import (
    DEFAULT_TEMPLATE,
    CaseTemplate,
    TemplateError,
    case_values,
    detail_case,
    gateway_time,
    render_case,
    render_url_case,
    xml_escape,
)
from tests.province.helpers import spec_example_record

FINISHED = "2026-11-27T09:30:40+08:00"
SPEC_TEMPLATE_ELEMENTS = [
    "projectNo",
    "businessCode",
    "businessName",
    "projectName",
    "proStatus",
    "nodeName",
    "regionCode",
    "acceptDate",
    "resultDate",
    "serviceTime",
    "userProp",
    "userName",
    "userPageType",
    "certKey",
    "contactMobile",
    "evaluateType",
    "pf",
    "type",
    "alternate",
    "appraisald",
    "appraisaldnum",
    "writingEvalua",
    "assessTime",
    "customFields",
]


def _fields(case_xml: str) -> dict[str, str]:
    root = ET.fromstring(case_xml.encode("utf-8"))
    assert root.tag == "Case"
    return {child.tag: child.text or "" for child in root}


def _render(record: dict[str, Any] | None = None, **options: Any) -> dict[str, str]:
    options = {"finish_time": FINISHED, "network": "3", **options}
    return _fields(render_case(CaseTemplate.default(), record or spec_example_record(), **options))


def test_the_default_template_is_the_spec_s() -> None:
    assert DEFAULT_TEMPLATE.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<Case>\n')
    assert DEFAULT_TEMPLATE.endswith("</Case>\n")
    assert not DEFAULT_TEMPLATE.endswith("\n\n")
    assert [child.tag for child in ET.fromstring(DEFAULT_TEMPLATE.encode())] == SPEC_TEMPLATE_ELEMENTS


def test_the_worked_record_renders_field_by_field() -> None:
    assert _render() == {
        "projectNo": "35010220261127000123",
        "businessCode": "1135000000359143343350111002000",
        "businessName": "个体工商户设立登记",
        "projectName": "个体工商户设立登记",
        "proStatus": "3",
        "nodeName": "办结",
        "regionCode": "350102",
        "acceptDate": "2026-11-27 09:12:00",
        "resultDate": "2026-11-27 09:30:40",
        "serviceTime": "2026-11-27 09:30:40",
        "userProp": "1",
        "userName": "陈明",
        "userPageType": "111",
        "certKey": "350102199001011238",
        "contactMobile": "13800138000",
        "evaluateType": "1",
        "pf": "5",
        "type": "3",
        "alternate": "5",
        "appraisald": "510,517",
        "appraisaldnum": "2",
        "writingEvalua": "",
        "assessTime": "2026-11-27 09:31:05",
        "customFields": "A07,S1024",
    }


def test_an_unfinished_case_is_accepted_and_dated_by_its_acceptance() -> None:
    fields = _render(finish_time="")
    assert (fields["proStatus"], fields["nodeName"]) == ("2", "受理")
    assert fields["resultDate"] == fields["serviceTime"] == fields["acceptDate"] == "2026-11-27 09:12:00"


def test_region_code_wins_over_the_hall_s_area_code() -> None:
    assert _render(region_code="350100")["regionCode"] == "350100"


def test_no_reasons_count_zero() -> None:
    fields = _render({**spec_example_record(), "evalDetail": []})
    assert (fields["appraisald"], fields["appraisaldnum"]) == ("", "0")


def test_times_are_written_in_china_standard_time() -> None:
    assert gateway_time("2026-11-27T01:31:05Z") == "2026-11-27 09:31:05"
    assert gateway_time("2026-11-26T20:31:05-05:00") == "2026-11-27 09:31:05"
    assert gateway_time("") == ""
    with pytest.raises(ValueError, match="ISO 8601"):
        gateway_time("2026-11-27 09:31:05")


def test_values_of_other_types_are_written_plainly() -> None:
    values = case_values({"defaultEvaluation": True, "seq": 7}, finish_time="", network="1")
    assert (values["defaultEvaluation"], values["seq"], values["userName"]) == ("true", "7", "")


def test_a_name_with_markup_comes_back_intact() -> None:
    fields = _render({**spec_example_record(), "userName": "陈<明>&", "writingEvaluation": "\"好\" 'ok' ]]>"})
    assert fields["userName"] == "陈<明>&"
    assert fields["writingEvalua"] == "\"好\" 'ok' ]]>"


xml_chars = st.characters(blacklist_categories=("Cs",), blacklist_characters="\0")


@given(st.text(xml_chars), st.text(xml_chars))
def test_any_text_comes_back_from_the_rendered_xml(name: str, comment: str) -> None:
    record = {**spec_example_record(), "userName": name, "writingEvaluation": comment}
    fields = _render(record)

    def legal(text: str) -> str:  # what XML 1.0 can carry at all
        return "".join(
            c
            for c in text
            if c in "\t\n\r" or "\x20" <= c <= "\ud7ff" or "\ue000" <= c <= "\ufffd" or c > "\uffff"
        )

    assert fields["userName"] == legal(name)
    assert fields["writingEvalua"] == legal(comment)


def test_a_carriage_return_survives_parsing() -> None:
    assert xml_escape("a\r\nb") == "a&#13;\nb"
    assert _render({**spec_example_record(), "writingEvaluation": "a\r\nb"})["writingEvalua"] == "a\r\nb"


def test_the_qr_call_sends_pf_3_without_a_rating() -> None:
    session = {
        key: value
        for key, value in spec_example_record().items()
        if key not in {"satisfaction", "assessTime", "evalDetail", "pf"}
    }
    fields = _fields(render_url_case(CaseTemplate.default(), session, finish_time="", network="3"))
    assert fields["pf"] == "3"
    assert (fields["alternate"], fields["assessTime"], fields["appraisald"]) == ("", "", "")
    assert fields["projectNo"] == "35010220261127000123"


def test_the_detail_query_case() -> None:
    assert detail_case("35010220261127000123") == "<Case><projectNo>35010220261127000123</projectNo></Case>"
    assert _fields(detail_case("A&B<C>")) == {"projectNo": "A&B<C>"}


def test_a_custom_template_may_use_any_value(tmp_path: Path) -> None:
    path = tmp_path / "case.xml"
    path.write_text('\ufeff<Case a="${deptCode}"><x>$staffName</x><h>${hash}</h><d>$$</d></Case>', "utf-8")
    template = CaseTemplate.load(path)
    rendered = render_case(template, spec_example_record(), finish_time="", network="3")
    assert rendered == '<Case a="11350102003622411H"><x>林晓</x><h></h><d>$</d></Case>'


@pytest.mark.parametrize(
    ("text", "placeholder", "complaint"),
    [
        ("<Case>${finishTime}</Case>", "finishTime", r"unknown placeholder \$\{finishTime\}"),
        ("<Case>$projectno</Case>", "projectno", "unknown placeholder"),
        ("<Case>${taskName}$5</Case>", "$5", "line 1: '\\$5' is not a placeholder"),
        ("<Case>\n${x y}</Case>", "${x y}", "line 2"),
        ("<Case>$</Case>", "$", "is not a placeholder"),
    ],
)
def test_a_template_naming_no_value_is_refused_naming_the_placeholder(
    tmp_path: Path, text: str, placeholder: str, complaint: str
) -> None:
    path = tmp_path / "case.xml"
    path.write_text(text, "utf-8")
    with pytest.raises(TemplateError, match=complaint) as caught:
        CaseTemplate.load(path)
    assert caught.value.placeholder == placeholder
    assert "case.xml" in str(caught.value)


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("<Case><projectNo>${projectNo}</Case>", "not a well-formed XML document"),
        ("<Evaluation>${projectNo}</Evaluation>", "not <Case>"),
        ('<!DOCTYPE Case [<!ENTITY x "y">]><Case>&x;</Case>', "DTD"),
    ],
)
def test_a_template_that_is_not_a_case_document_is_refused(text: str, complaint: str) -> None:
    with pytest.raises(TemplateError, match=complaint):
        CaseTemplate(text)


def test_an_unreadable_template_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match=r"cannot read the Case template .*missing\.xml"):
        CaseTemplate.load(tmp_path / "missing.xml")
    (tmp_path / "latin1.xml").write_bytes("<Case>é</Case>".encode("latin-1"))
    with pytest.raises(TemplateError, match="not UTF-8"):
        CaseTemplate.load(tmp_path / "latin1.xml")


def test_no_template_file_is_the_built_in_one() -> None:
    assert CaseTemplate.load("").text == CaseTemplate.load(None).text == DEFAULT_TEMPLATE
