"""The gateway's SOAP 1.1 calls (province-fujian.md "Sending one rating").

A call is `POST {gateway}/{service_path}/{operation}?wsdl` with `Content-Type: text/xml; charset=utf-8` and
`SOAPAction: ""`, RPC style: the token in a header element `Authorization`, the body one element named after
the operation holding `appKey` and `xmlStr`. The envelope is built with ElementTree, so that every value is
escaped by the library. The answer is an envelope whose body holds one element `return` (any prefix or
namespace) whose text is itself a Case document: `<Case><code/><message/><data>…</data></Case>`.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from urllib.parse import quote

from kiosk.sync.fujian.xmldoc import XmlError, child_named, descendant_named, local_name, parse_xml

SAVE_EVALUATION = "getSaveEvaluation"
EVALUATION_DETAIL = "getEvaluationDetail"
SAVE_EVALUATION_URL = "getSaveEvaluationUrl"
OPERATIONS = (SAVE_EVALUATION, EVALUATION_DETAIL, SAVE_EVALUATION_URL)

SOAP_ENV_NS = "http://schemas.xmlsoap.org/soap/envelope/"
AUTH_NS = "http://linewell.com/ws/"
CALL_HEADERS = {"Content-Type": "text/xml; charset=utf-8", "SOAPAction": '""'}


class AnswerError(ValueError):
    """An answer that is not a SOAP envelope holding a readable Case: the outcome is unknown."""


@dataclass(frozen=True)
class CaseAnswer:
    """The gateway's answer to a call.

    Attributes:
        code: `<code>` as text (`200`, `409`, `400`, `500`, …), stripped.
        message: `<message>`, stripped ("" when absent).
        data: each child of `<data>` by local name and its text, stripped (the first of a repeated name).
    """

    code: str
    message: str
    data: dict[str, str] = field(default_factory=dict)


def operation_url(gateway: str, service_path: str, operation: str) -> str:
    """`{gateway}/{service_path}/{operation}?wsdl`, without doubled slashes.

    Args:
        gateway: the gateway's base URL, e.g. `http://HOST:71/api-gateway/gateway`.
        service_path: e.g. `96hyvzxl/wailian/webservice`.
        operation: one of OPERATIONS.
    """
    path = "/".join(quote(part, safe="") for part in service_path.strip("/").split("/") if part)
    return f"{gateway.rstrip('/')}/{path}/{quote(operation, safe='')}?wsdl"


def build_envelope(operation: str, app_key: str, xml_str: str, token: str) -> bytes:
    """The SOAP envelope of one call, UTF-8 with an XML declaration.

    The prefixes are those of the province's own example (`soapenv`, `ns1`), written as plain names with
    their `xmlns` attributes, so the bytes are the same on every Python; the text of each element is escaped
    by ElementTree.

    Args:
        operation: the operation's name (the body's element).
        app_key: the app's key.
        xml_str: the encrypted Case (`cipher.encrypt_xml_str`).
        token: the access token, sent as `Basic TOKEN`.
    """
    envelope = ET.Element("soapenv:Envelope", {"xmlns:soapenv": SOAP_ENV_NS})
    header = ET.SubElement(envelope, "soapenv:Header")
    authorization = ET.SubElement(header, "ns1:Authorization", {"xmlns:ns1": AUTH_NS})
    authorization.text = f"Basic {token}"
    body = ET.SubElement(envelope, "soapenv:Body")
    call = ET.SubElement(body, operation)
    ET.SubElement(call, "appKey").text = app_key
    ET.SubElement(call, "xmlStr").text = xml_str
    data: bytes = ET.tostring(envelope, encoding="utf-8", xml_declaration=True)
    return data


def parse_answer(body: bytes) -> CaseAnswer:
    """The Case inside the gateway's SOAP answer.

    Raises:
        AnswerError: when the body is not XML, has no SOAP Body, no `return` element in it, a `return`
            whose text is not a Case document, or a Case without `code`. A SOAP Fault says its faultstring.
    """
    try:
        envelope = parse_xml(body)
    except XmlError as exc:
        raise AnswerError(f"the answer is not XML: {exc}") from None
    if local_name(envelope.tag) != "Envelope":
        raise AnswerError(f"the answer is <{local_name(envelope.tag)}>, not a SOAP envelope")
    soap_body = child_named(envelope, "Body")
    if soap_body is None:
        raise AnswerError("the SOAP answer has no Body")
    fault = descendant_named(soap_body, "Fault")
    if fault is not None:
        reason = descendant_named(fault, "faultstring")
        text = (reason.text or "").strip() if reason is not None else ""
        raise AnswerError(f"the gateway answered a SOAP fault: {text or 'no faultstring'}")
    returned = descendant_named(soap_body, "return")
    if returned is None:
        raise AnswerError("the SOAP answer has no return element")
    # The Case is the return element's text; a service that wrote it as elements instead is read as well.
    nested = child_named(returned, "Case")
    if nested is not None and not (returned.text or "").strip():
        return _read_case(nested)
    return parse_case_answer(returned.text or "")


def parse_case_answer(text: str) -> CaseAnswer:
    """The Case document of an answer: `<Case><code/><message/><data/></Case>`.

    Raises:
        AnswerError: when the text is not XML or has no non-empty `code`.
    """
    try:
        case = parse_xml(text.strip())
    except XmlError as exc:
        raise AnswerError(f"the return element does not hold a Case document: {exc}") from None
    return _read_case(case)


def _read_case(case: ET.Element) -> CaseAnswer:
    code_element = child_named(case, "code")
    code = (code_element.text or "").strip() if code_element is not None else ""
    if not code:
        raise AnswerError("the Case answer has no code")
    message_element = child_named(case, "message")
    message = (message_element.text or "").strip() if message_element is not None else ""
    data: dict[str, str] = {}
    data_element = child_named(case, "data")
    if data_element is not None:
        for item in data_element:
            data.setdefault(local_name(item.tag), (item.text or "").strip())
    return CaseAnswer(code, message, data)
