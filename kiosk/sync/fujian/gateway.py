"""A blocking client of the Fujian gateway: the token, and one SOAP call at a time.

It strings the codec together for the uplink worker: it keeps the token until 60 s before it expires, and
when a call is answered `x-error-code: access_token_invalid` it fetches a new token and repeats that call
once. Every failure to get a readable answer (no connection, a timeout, HTTP 5xx or another status, a failed
token call, an envelope that cannot be read) is `GatewayUnreachable`: the outcome is unknown and the record
stays queued. The app_code and the token never appear in an exception or a log line.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

import requests

from kiosk.sync.fujian.cipher import encrypt_xml_str
from kiosk.sync.fujian.soap import (
    CALL_HEADERS,
    AnswerError,
    CaseAnswer,
    build_envelope,
    operation_url,
    parse_answer,
)
from kiosk.sync.fujian.token import Token, TokenAnswerError, is_token_rejected, parse_token_answer, token_url

log = logging.getLogger(__name__)
DEFAULT_SERVICE_PATH = "96hyvzxl/wailian/webservice"


class GatewayUnreachable(Exception):
    """No readable answer from the gateway; the message says what happened, without secrets."""


class GatewayClient:
    """The gateway's token and operations over one requests.Session.

    Args:
        gateway: `uplink.fujian.gateway`, e.g. `http://HOST:71/api-gateway/gateway`.
        service_path: `uplink.fujian.service_path`.
        app_key: the app's key.
        app_code: the app's secret (signs the token call, keys the cipher).
        timeout_s: per request.
        now: Unix time in seconds (tests move it).
        verify: requests' `verify`: True, False, or the path of a CA bundle (`uplink.ca_file`; the
            sandbox's `--tls` CA).
        cert: a client certificate and its key (`uplink.client_cert`, `uplink.client_key`), when the gateway
            asks for one.
        proxy: `uplink.proxy`, e.g. `http://10.1.2.3:3128`; "" goes direct (or as the environment says).
    """

    def __init__(  # noqa: PLR0913 - keyword-only network settings
        self,
        gateway: str,
        service_path: str,
        app_key: str,
        app_code: str,
        *,
        timeout_s: float = 10.0,
        now: Callable[[], float] = time.time,
        verify: bool | str = True,
        cert: tuple[str, str] | None = None,
        proxy: str = "",
    ) -> None:
        self.gateway = gateway.rstrip("/")
        self.service_path = service_path
        self.app_key = app_key
        self._app_code = app_code
        self.timeout_s = timeout_s
        self._now = now
        self._token: Token | None = None
        self.session = requests.Session()
        self.session.headers["User-Agent"] = "kiosk-pad"
        # Passed with each request, not set on the session: requests lets REQUESTS_CA_BUNDLE (or
        # CURL_CA_BUNDLE) in the environment override a session's verify, but never a request's.
        self._transport: dict[str, Any] = {"verify": verify, "cert": cert}
        if proxy:
            self._transport["proxies"] = {"http": proxy, "https": proxy}

    def close(self) -> None:
        self.session.close()

    def token(self) -> Token:
        """A usable token: the one held, or a new one.

        Raises:
            GatewayUnreachable: when the token call fails or its answer cannot be read.
        """
        now = self._now()
        if self._token is not None and self._token.usable(now):
            return self._token
        url = token_url(self.gateway, self.app_key, self._app_code, int(now * 1000))
        try:
            answer = self.session.get(url, timeout=self.timeout_s, **self._transport)
        except requests.RequestException as exc:
            raise GatewayUnreachable(f"token call: {type(exc).__name__}") from None
        if answer.status_code != 200:
            raise GatewayUnreachable(f"token call: HTTP {answer.status_code}")
        try:
            self._token = parse_token_answer(answer.content, self._now())
        except TokenAnswerError as exc:
            raise GatewayUnreachable(f"token call: {exc}") from None
        return self._token

    def forget_token(self) -> None:
        """Drops the token held, so that the next call fetches a new one."""
        self._token = None

    def call(self, operation: str, case_xml: str) -> CaseAnswer:
        """Sends a Case to an operation and reads the Case answer.

        Args:
            operation: one of `soap.OPERATIONS`.
            case_xml: the rendered Case XML, encrypted here.

        Raises:
            GatewayUnreachable: when there is no readable answer (see the module).
        """
        xml_str = encrypt_xml_str(case_xml, self._app_code)
        answer = self._post(operation, xml_str)
        if is_token_rejected(answer.status_code, answer.headers):
            log.info("the gateway found the token invalid; fetching a new one for %s", operation)
            self.forget_token()
            answer = self._post(operation, xml_str)
            if is_token_rejected(answer.status_code, answer.headers):
                self.forget_token()
                raise GatewayUnreachable(f"{operation}: a fresh token was refused too")
        if answer.status_code != 200:
            raise GatewayUnreachable(f"{operation}: HTTP {answer.status_code}")
        try:
            return parse_answer(answer.content)
        except AnswerError as exc:
            raise GatewayUnreachable(f"{operation}: {exc}") from None

    def _post(self, operation: str, xml_str: str) -> requests.Response:
        envelope = build_envelope(operation, self.app_key, xml_str, self.token().access_token)
        url = operation_url(self.gateway, self.service_path, operation)
        try:
            return self.session.post(
                url, data=envelope, headers=CALL_HEADERS, timeout=self.timeout_s, **self._transport
            )
        except requests.RequestException as exc:
            raise GatewayUnreachable(f"{operation}: {type(exc).__name__}") from None
