"""The pad's side of the Fujian gateway, for tests of the sandbox's double: the pad's own codec and client
(kiosk.sync.fujian), and a few raw SOAP calls of the kinds other clients send."""

from __future__ import annotations

import hashlib
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import requests

from kiosk.sync.fujian.case_xml import CaseTemplate, render_case
from kiosk.sync.fujian.cipher import encrypt_xml_str
from kiosk.sync.fujian.gateway import DEFAULT_SERVICE_PATH, GatewayClient
from province.gateway.apps import GatewayApp
from province.server import SandboxServer
from tests.province.helpers import HALL, WINDOW, new_project_no, spec_example_record

FINISH_TIME = "2026-11-27T09:30:40+08:00"


@dataclass
class Pad:
    """A pad in the gateway profile: its app (key and code) and its client."""

    app: GatewayApp
    client: GatewayClient

    def xml_str(self, case_xml: str) -> str:
        return encrypt_xml_str(case_xml, self.app.app_code)

    def body(self, operation: str, case_xml: str, **options: Any) -> bytes:
        """The envelope of a call for a Case, written by ElementTree with the options given."""
        arguments = {"appKey": self.app.app_key, "xmlStr": self.xml_str(case_xml)}
        return envelope(operation, arguments, self.client.token().access_token, **options)


def gateway_pad(
    server: SandboxServer, window: str = WINDOW, *, now: Callable[[], float] = time.time, **options: Any
) -> Pad:
    """A pad's gateway client with a new app issued for a window of the demo hall."""
    app = server.store.issue_app(HALL, window)
    client = GatewayClient(
        server.gateway_url, DEFAULT_SERVICE_PATH, app.app_key, app.app_code, now=now, **options
    )
    return Pad(app, client)


def rating_record(**fields: Any) -> dict[str, Any]:
    """The spec's worked record for a 办件 of its own."""
    return {**spec_example_record(), "projectNo": new_project_no(), **fields}


def case_of(record: Mapping[str, Any], finish_time: str = FINISH_TIME) -> str:
    """The Case XML the pad renders for a record, with the built-in template."""
    return render_case(CaseTemplate.default(), record, finish_time=finish_time, network="3")


def operation_url(server: SandboxServer, operation: str) -> str:
    return f"{server.gateway_url}/{DEFAULT_SERVICE_PATH}/{operation}?wsdl"


def envelope(
    operation: str,
    children: Mapping[str, str],
    token: str | None,
    *,
    env_ns: str = "http://schemas.xmlsoap.org/soap/envelope/",
    operation_ns: str | None = None,
    auth_ns: str | None = "http://linewell.com/ws/",
) -> bytes:
    """A SOAP call as another client might write it: any namespaces, ElementTree's own prefixes."""
    root = ET.Element(f"{{{env_ns}}}Envelope")
    if token is not None:
        header = ET.SubElement(root, f"{{{env_ns}}}Header")
        auth = f"{{{auth_ns}}}Authorization" if auth_ns else "Authorization"
        ET.SubElement(header, auth).text = f"Basic {token}"
    body = ET.SubElement(root, f"{{{env_ns}}}Body")
    call = ET.SubElement(body, f"{{{operation_ns}}}{operation}" if operation_ns else operation)
    for name, text in children.items():
        ET.SubElement(call, name).text = text
    data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return data


def raw_call(
    server: SandboxServer, operation: str, body: bytes, headers: Mapping[str, str] | None = None
) -> requests.Response:
    return requests.post(operation_url(server, operation), data=body, headers=dict(headers or {}), timeout=10)


def md5_sign(app_code: str, ms: str) -> str:
    return hashlib.md5(f"{app_code}{ms}".encode()).hexdigest()
