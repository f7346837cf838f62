"""A blocking client of the Fujian gateway: the token, and one SOAP call at a time.

It strings the codec together for the uplink worker: it keeps the token until 60 s before it expires, and
when a call is answered `x-error-code: access_token_invalid` it fetches a new token and repeats that call
once. Every failure to get a readable answer (no connection, a timeout, HTTP 5xx or another status, a failed
token call, an envelope that cannot be read) is `GatewayUnreachable`: the outcome is unknown and the record
stays queued. The app_code and the token never appear in an exception or a log line.
"""

from __future__ import annotations

import email.utils
import logging
import time
from collections.abc import Callable
from typing import Any

import requests

from kiosk.domain.clock import ProvinceClock
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
from kiosk.sync.transport import Transport

log = logging.getLogger(__name__)
DEFAULT_SERVICE_PATH = "96hyvzxl/wailian/webservice"


class GatewayUnreachable(Exception):
    """No readable answer from the gateway; the message says what happened, without secrets."""


class TokenUnavailable(GatewayUnreachable):
    """No usable token (the token call failed, or a fresh token was refused too): the operation was never
    carried out, so its outcome is known: nothing was stored."""


class GatewayClient:
    """The gateway's token and operations over one keep-alive requests.Session.

    Each operation's request is prepared once (its URL, its headers) and sent as a copy with a new body:
    preparing a request costs more than a loopback call takes, and a backlog is thousands of calls.

    Args:
        gateway: `uplink.fujian.gateway`, e.g. `http://HOST:71/api-gateway/gateway`.
        service_path: `uplink.fujian.service_path`.
        app_key: the app's key.
        app_code: the app's secret (signs the token call, keys the cipher).
        timeout_s: per request.
        clock: the pad's clock corrected to the province's time (R13): the token call's timestamp is its
            time, and every answer's Date header teaches it (the gateway tells its time no other way).
        now: Unix time in seconds, where no clock is given (tests move it).
        transport: the CA, client certificate and proxy (`uplink.ca_file`, …); none from the environment.
    """

    def __init__(
        self,
        gateway: str,
        service_path: str,
        app_key: str,
        app_code: str,
        *,
        timeout_s: float = 10.0,
        clock: ProvinceClock | None = None,
        now: Callable[[], float] | None = None,
        transport: Transport | None = None,
    ) -> None:
        self.gateway = gateway.rstrip("/")
        self.service_path = service_path
        self.app_key = app_key
        self._app_code = app_code
        self.timeout_s = timeout_s
        self._clock = clock
        self._now = now or (clock.unix if clock is not None else time.time)
        self._token: Token | None = None
        transport = transport or Transport()
        self.session = transport.session()
        # Passed with each request: a session's own settings are not what session.send() uses.
        self._options: dict[str, Any] = transport.options(self.gateway)
        self._prepared: dict[str, requests.PreparedRequest] = {}

    def close(self) -> None:
        self.session.close()

    def token(self) -> Token:
        """A usable token: the one held, or a new one.

        Raises:
            TokenUnavailable: when the token call fails or its answer cannot be read.
        """
        now = self._now()
        if self._token is not None and self._token.usable(now):
            return self._token
        url = token_url(self.gateway, self.app_key, self._app_code, int(now * 1000))
        try:
            answer = self.session.get(url, timeout=self.timeout_s, **self._options)
        except requests.RequestException as exc:
            raise TokenUnavailable(f"token call: {_reason(exc)}") from None
        self._learn_date(answer)
        if answer.status_code != 200:
            raise TokenUnavailable(f"token call: HTTP {answer.status_code}")
        try:
            self._token = parse_token_answer(answer.content, self._now())
        except TokenAnswerError as exc:
            raise TokenUnavailable(f"token call: {exc}") from None
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
            TokenUnavailable: there was no token to call with: nothing was done.
            GatewayUnreachable: when there is no readable answer (see the module).
        """
        return self.call_encrypted(operation, encrypt_xml_str(case_xml, self._app_code))

    def call_encrypted(self, operation: str, xml_str: str) -> CaseAnswer:
        """`call` with the Case already encrypted (`cipher.encrypt_xml_str` with this app's code).

        Raises:
            TokenUnavailable, GatewayUnreachable: as `call`.
        """
        answer = self._post(operation, xml_str)
        if is_token_rejected(answer.status_code, answer.headers):
            log.info("the gateway found the token invalid; fetching a new one for %s", operation)
            self.forget_token()
            answer = self._post(operation, xml_str)
            if is_token_rejected(answer.status_code, answer.headers):
                self.forget_token()
                raise TokenUnavailable(f"{operation}: a fresh token was refused too")
        if answer.status_code != 200:
            raise GatewayUnreachable(f"{operation}: HTTP {answer.status_code}")
        try:
            return parse_answer(answer.content)
        except AnswerError as exc:
            raise GatewayUnreachable(f"{operation}: {exc}") from None

    def encrypt(self, case_xml: str) -> str:
        """The xmlStr of a Case for this app (any thread: it touches nothing of the client's)."""
        return encrypt_xml_str(case_xml, self._app_code)

    def _request(self, operation: str, envelope: bytes) -> requests.PreparedRequest:
        prepared = self._prepared.get(operation)
        if prepared is None:
            url = operation_url(self.gateway, self.service_path, operation)
            prepared = self.session.prepare_request(
                requests.Request("POST", url, headers=CALL_HEADERS, data=b"-")
            )
            self._prepared[operation] = prepared
        request = prepared.copy()
        request.body = envelope
        request.headers["Content-Length"] = str(len(envelope))
        return request

    def _post(self, operation: str, xml_str: str) -> requests.Response:
        envelope = build_envelope(operation, self.app_key, xml_str, self.token().access_token)
        try:
            answer = self.session.send(
                self._request(operation, envelope), timeout=self.timeout_s, **self._options
            )
        except requests.RequestException as exc:
            raise GatewayUnreachable(f"{operation}: {_reason(exc)}") from None
        self._learn_date(answer)
        return answer

    def _learn_date(self, answer: requests.Response) -> None:
        """The gateway's time from an answer's Date header, to the second (rules.md R13)."""
        if self._clock is None:
            return
        header = answer.headers.get("Date", "")
        try:
            when = email.utils.parsedate_to_datetime(header) if header else None
        except (TypeError, ValueError, IndexError):
            return
        if when is not None and when.tzinfo is not None:
            self._clock.learn(when.timestamp(), exact=False)


def _reason(exc: requests.RequestException) -> str:
    """The exception's class, and for a TLS failure what OpenSSL said (never a URL, which holds no secret
    here but a sign, and never more than a line)."""
    if isinstance(exc, requests.exceptions.SSLError):
        return f"SSLError: {tls_reason(exc)}"
    return type(exc).__name__


def tls_reason(exc: BaseException) -> str:
    """The OpenSSL reason inside a requests/urllib3 TLS failure, e.g. `CERTIFICATE_VERIFY_FAILED`
    (`certificate verify failed: unable to get local issuer certificate`), or its class."""
    text = str(exc)
    for marker in ("certificate verify failed", "CERTIFICATE_VERIFY_FAILED", "alert", "sslv3", "tlsv1"):
        index = text.find(marker)
        if index >= 0:
            end = min(
                (i for i in (text.find(")", index), text.find("'", index)) if i > index), default=len(text)
            )
            return text[index:end][:160]
    return type(exc).__name__
