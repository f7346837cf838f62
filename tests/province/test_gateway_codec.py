"""The pad's codec (kiosk.sync.fujian) and the double's own (province.gateway) agree, whatever the text."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from kiosk.sync.fujian import soap as pad_soap
from kiosk.sync.fujian.case_xml import CaseTemplate, render_case
from kiosk.sync.fujian.cipher import encrypt_xml_str
from province.gateway import cases, soap
from province.gateway.codec import decrypt_xml_str, sm4_key
from tests.province.helpers import spec_example_record

APP_CODE = "sandbox-app-code"
# What XML 1.0 can carry (no U+0000, no lone surrogates, no other C0 control).
xml_text = st.text(st.characters(blacklist_categories=("Cs", "Cc"), whitelist_characters="\t\n\r"))


def test_the_double_s_key_is_the_spec_s() -> None:
    assert sm4_key(APP_CODE) == b"ce0d8a9ef28145ac"
    assert decrypt_xml_str("bJXvesF4IG229ks1bzBcrg==", "bbbbbbba") == "123"


@given(xml_text, st.text(min_size=1, max_size=20))
def test_the_double_decrypts_what_the_pad_encrypts(text: str, app_code: str) -> None:
    if text:
        assert decrypt_xml_str(encrypt_xml_str(text, app_code), app_code) == text


@given(xml_text, xml_text, xml_text)
def test_the_double_reads_every_value_the_pad_renders(name: str, comment: str, task: str) -> None:
    record: dict[str, Any] = {
        **spec_example_record(),
        "userName": name,
        "writingEvaluation": comment,
        "taskName": task,
    }
    case_xml = render_case(CaseTemplate.default(), record, finish_time="", network="3")

    fields = cases.read_case(encrypt_xml_str(case_xml, APP_CODE), APP_CODE, ())

    # The double strips the whitespace around a value, as a hand-indented Case would have it.
    assert fields["userName"] == name.strip()
    assert fields["writingEvalua"] == comment.strip()
    assert (fields["businessName"], fields["projectName"]) == (task.strip(), task.strip())


printable = st.text(st.characters(blacklist_categories=("Cs", "Cc")))


@given(printable.map(str.strip).filter(lambda t: t and " " not in t), printable, printable)
def test_the_double_reads_the_pad_s_envelope(token: str, app_key: str, xml_str: str) -> None:
    call = soap.read_call(pad_soap.build_envelope("getSaveEvaluation", app_key, xml_str, token))
    assert call == soap.SoapCall("getSaveEvaluation", token, app_key.strip(), xml_str.strip())


names = st.from_regex(r"[A-Za-z][A-Za-z0-9]{0,12}", fullmatch=True)


@given(
    st.sampled_from(["200", "400", "409", "500"]),
    printable.map(str.strip),
    st.dictionaries(names, printable.map(str.strip), max_size=3),
)
def test_the_pad_reads_the_double_s_answers(code: str, message: str, data: dict[str, str]) -> None:
    answer = soap.answer_envelope("getSaveEvaluation", cases.case_answer(code, message, data))
    assert pad_soap.parse_answer(answer) == pad_soap.CaseAnswer(code, message, data)
