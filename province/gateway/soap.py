"""SOAP 1.1 as the double reads and writes it.

A call: an Envelope whose Header holds `Authorization` (`Basic TOKEN`) and whose Body holds one element
named after the operation, with `appKey` and `xmlStr`; every name matched by its local part, whatever its
prefix or namespace. An answer: the Body holds `<…Response><return>CASE</return></…Response>`, the Case as
text, as a JAX-WS service writes it and the Java client reads it.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass

from province.gateway.codec import NotXml, child_named, descendant_named, local_name, parse_xml

SOAP_ENV_NS = "http://schemas.xmlsoap.org/soap/envelope/"
SERVICE_NS = "http://webservice.wailian.linewell.com/"
CONTENT_TYPE = "text/xml; charset=utf-8"


class EnvelopeError(ValueError):
    """A body that is not a SOAP call at all: answered with a SOAP Fault (HTTP 500), as Axis does."""


@dataclass(frozen=True)
class SoapCall:
    """What a call carries: its operation, its token, and its two arguments (None when absent)."""

    operation: str
    token: str | None
    app_key: str | None
    xml_str: str | None


def read_call(body: bytes) -> SoapCall:
    """The call in a request body.

    Raises:
        EnvelopeError: when the body is not XML, not an Envelope, or has no operation in its Body.
    """
    try:
        envelope = parse_xml(body)
    except NotXml as exc:
        raise EnvelopeError(f"the request is not XML: {exc}") from None
    if local_name(envelope.tag) != "Envelope":
        raise EnvelopeError("the request is not a SOAP Envelope")
    soap_body = child_named(envelope, "Body")
    call = next(iter(soap_body), None) if soap_body is not None else None
    if call is None:
        raise EnvelopeError("the SOAP Body holds no operation")
    header = child_named(envelope, "Header")
    authorization = descendant_named(header, "Authorization") if header is not None else None
    token = None
    if authorization is not None:
        # `Basic TOKEN` as the clients send it; a bare token, or another scheme's, is taken as it comes.
        scheme, _, credentials = (authorization.text or "").strip().partition(" ")
        token = credentials.strip() or scheme

    def argument(name: str) -> str | None:
        element = child_named(call, name)
        return None if element is None else (element.text or "").strip()

    return SoapCall(local_name(call.tag), token or None, argument("appKey"), argument("xmlStr"))


def _envelope() -> tuple[ET.Element, ET.Element]:
    # Prefixes written as plain names with their xmlns attributes: the answer looks like a JAX-WS one (soap,
    # ns2), other than the pad's own soapenv/ns1, so the pad's reading by local name is exercised.
    envelope = ET.Element("soap:Envelope", {"xmlns:soap": SOAP_ENV_NS})
    return envelope, ET.SubElement(envelope, "soap:Body")


def answer_envelope(operation: str, case_text: str) -> bytes:
    """The answer to an operation: its Response element holding `return` with the Case's text."""
    envelope, body = _envelope()
    response = ET.SubElement(body, f"ns2:{operation}Response", {"xmlns:ns2": SERVICE_NS})
    ET.SubElement(response, "return").text = case_text
    data: bytes = ET.tostring(envelope, encoding="utf-8", xml_declaration=True)
    return data


def fault_envelope(fault_code: str, message: str) -> bytes:
    """A SOAP 1.1 Fault (`soap:Client` for a malformed call, `soap:Server` for the service's failure)."""
    envelope, body = _envelope()
    fault = ET.SubElement(body, "soap:Fault")
    ET.SubElement(fault, "faultcode").text = f"soap:{fault_code}"
    ET.SubElement(fault, "faultstring").text = message
    data: bytes = ET.tostring(envelope, encoding="utf-8", xml_declaration=True)
    return data
