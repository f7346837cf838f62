"""The SOAP call's envelope, and the Case read out of the gateway's answer whatever its prefixes."""

from __future__ import annotations

import contextlib
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.sync.fujian.soap import (
    AUTH_NS,
    SOAP_ENV_NS,
    AnswerError,
    CaseAnswer,
    build_envelope,
    operation_url,
    parse_answer,
)

ENV = f"{{{SOAP_ENV_NS}}}"


def test_the_operation_url() -> None:
    assert (
        operation_url(
            "http://h:71/api-gateway/gateway/", "/96hyvzxl/wailian/webservice/", "getSaveEvaluation"
        )
        == "http://h:71/api-gateway/gateway/96hyvzxl/wailian/webservice/getSaveEvaluation?wsdl"
    )


def test_the_envelope_is_the_spec_s_shape() -> None:
    envelope = ET.fromstring(build_envelope("getSaveEvaluation", "KEY", "X/Y+==", "TOK"))

    assert envelope.tag == f"{ENV}Envelope"
    header, body = list(envelope)
    assert header.tag == f"{ENV}Header"
    assert [(child.tag, child.text) for child in header] == [(f"{{{AUTH_NS}}}Authorization", "Basic TOK")]
    assert body.tag == f"{ENV}Body"
    (call,) = list(body)
    assert call.tag == "getSaveEvaluation"  # RPC style, no namespace
    assert [(child.tag, child.text) for child in call] == [("appKey", "KEY"), ("xmlStr", "X/Y+==")]


def test_the_envelope_uses_the_spec_s_prefixes() -> None:
    data = build_envelope("getEvaluationDetail", "K", "S", "T")
    assert data.startswith(b"<?xml version='1.0' encoding='utf-8'?>\n<soapenv:Envelope")
    assert b'<ns1:Authorization xmlns:ns1="http://linewell.com/ws/">Basic T</ns1:Authorization>' in data


@given(
    st.text(st.characters(blacklist_categories=("Cs", "Cc"))),
    st.text(st.characters(blacklist_categories=("Cs", "Cc"))),
)
def test_every_value_is_escaped_by_the_library(app_key: str, token: str) -> None:
    envelope = ET.fromstring(build_envelope("getSaveEvaluation", app_key, "x", token))
    call = envelope.find(f"{ENV}Body/getSaveEvaluation")
    assert call is not None
    assert (call.findtext("appKey") or "") == app_key
    assert envelope.findtext(f"{ENV}Header/{{{AUTH_NS}}}Authorization") == f"Basic {token}"


def _answer(
    case: str,
    *,
    env: str = SOAP_ENV_NS,
    wrapper: str = "{http://ws.example/}getSaveEvaluationResponse",
    returned: str = "return",
) -> bytes:
    envelope = ET.Element(f"{{{env}}}Envelope")
    body = ET.SubElement(envelope, f"{{{env}}}Body")
    ET.SubElement(ET.SubElement(body, wrapper), returned).text = case
    data: bytes = ET.tostring(envelope, encoding="utf-8", xml_declaration=True)
    return data


ACCEPTED = (
    '<?xml version="1.0" encoding="UTF-8"?><Case><code>200</code><message>评价成功</message>'
    "<data><evaluateUnid>9f2c</evaluateUnid></data></Case>"
)


def test_an_answer_is_read_into_code_message_and_data() -> None:
    assert parse_answer(_answer(ACCEPTED)) == CaseAnswer("200", "评价成功", {"evaluateUnid": "9f2c"})


@pytest.mark.parametrize(
    "answer",
    [
        _answer(ACCEPTED, returned="{urn:any}return"),
        _answer(ACCEPTED, wrapper="getSaveEvaluationResponse"),
        _answer(ACCEPTED, env="http://www.w3.org/2003/05/soap-envelope"),
        # The prefixes of a JAX-WS service, and the Case given in CDATA.
        (
            b'<S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Header/><S:Body>'
            b'<ns2:getSaveEvaluationResponse xmlns:ns2="http://webservice/"><return><![CDATA['
            + ACCEPTED.encode()
            + b"]]></return></ns2:getSaveEvaluationResponse></S:Body></S:Envelope>"
        ),
    ],
)
def test_names_are_matched_by_their_local_part(answer: bytes) -> None:
    assert parse_answer(answer).data == {"evaluateUnid": "9f2c"}


def test_a_case_written_as_elements_inside_return_is_read_too() -> None:
    answer = (
        '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><r:x xmlns:r="urn:r">'
        "<return><Case><code>409</code><message>该办件已评价</message></Case></return>"
        "</r:x></soap:Body></soap:Envelope>"
    )
    assert parse_answer(answer.encode()) == CaseAnswer("409", "该办件已评价", {})


def test_a_case_without_message_or_data_has_them_empty() -> None:
    assert parse_answer(_answer("<Case><code> 500 </code></Case>")) == CaseAnswer("500", "", {})


@pytest.mark.parametrize(
    ("answer", "complaint"),
    [
        (b"", "not XML"),
        (b"<html><body>502 Bad Gateway</body></html>", "not a SOAP envelope"),
        (b'<Envelope xmlns="http://schemas.xmlsoap.org/soap/envelope/"/>', "no Body"),
        (_answer(ACCEPTED, returned="result"), "no return element"),
        (_answer("not xml"), "does not hold a Case"),
        (_answer("<Case><message>x</message></Case>"), "no code"),
        (
            b'<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Body><e:Fault>'
            b"<faultcode>e:Server</faultcode><faultstring>NullPointerException</faultstring></e:Fault>"
            b"</e:Body></e:Envelope>",
            "SOAP fault: NullPointerException",
        ),
        (
            b'<!DOCTYPE e [<!ENTITY a "aaaa">]><Envelope><Body><return>&a;</return></Body></Envelope>',
            "DTD",
        ),
        (_answer('<!DOCTYPE Case [<!ENTITY a "200">]><Case><code>&a;</code></Case>'), "DTD"),
    ],
)
def test_junk_is_an_answer_error(answer: bytes, complaint: str) -> None:
    with pytest.raises(AnswerError, match=complaint):
        parse_answer(answer)


@given(st.binary())
def test_any_bytes_give_an_answer_or_the_one_error(data: bytes) -> None:
    with contextlib.suppress(AnswerError):
        parse_answer(data)


text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=30).map(str.strip)
names = st.from_regex(r"[A-Za-z][A-Za-z0-9]{0,12}", fullmatch=True)


@given(text.filter(bool), text, st.dictionaries(names, text, max_size=4))
def test_what_a_case_answer_holds_is_read_back(code: str, message: str, data: dict[str, str]) -> None:
    case = ET.Element("Case")
    ET.SubElement(case, "code").text = code
    ET.SubElement(case, "message").text = message
    holder = ET.SubElement(case, "data")
    for name, value in data.items():
        ET.SubElement(holder, name).text = value

    assert parse_answer(_answer(ET.tostring(case, encoding="unicode"))) == CaseAnswer(code, message, data)
