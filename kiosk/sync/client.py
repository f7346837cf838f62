"""The uplink client: one keep-alive HTTP session to the province, every request but enrolment signed.

A province whose real interface differs gets an adapter with these same methods; the sender's queue,
signing and retry logic stay the same.
"""

from __future__ import annotations

import base64
import binascii
import email.utils
import json
import logging
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import quote

import requests

from kiosk.domain.cases import CaseQuery, LookupResult, parse_cases
from kiosk.domain.clock import ProvinceClock, SystemClock
from kiosk.domain.masking import redact
from kiosk.domain.wire import batch_body
from kiosk.sync.signing import signed_headers
from kiosk.sync.transport import Transport

log = logging.getLogger(__name__)


class UplinkUnreachable(Exception):
    """No answer: a refused or broken connection, a timeout, a malformed answer."""


class UplinkError(Exception):
    """The province answered with an error.

    Attributes:
        status: the HTTP status.
        code: the spec's error code (`bad_signature`, `clock_skew`, …), or "" when the body has none.
        body: the decoded body, or {}.
        retry_after: seconds from a Retry-After header, or None.
    """

    def __init__(self, status: int, code: str, message: str, body: dict[str, Any], retry_after: float | None):
        super().__init__(f"HTTP {status} {code}: {message}")
        self.status = status
        self.code = code
        self.body = body
        self.retry_after = retry_after


class UplinkClient:
    """Calls of uplink-api.md over one requests.Session.

    Args:
        base_url: `uplink.url`, with the version prefix (e.g. https://hcp.example.gov.cn/api/v1).
        device_id: this device's id.
        key: returns the 32-byte device key, or None before enrolment.
        timeout_s: per request.
        clock: the pad's clock corrected to the province's time (R13); every answer's time teaches it, and
            signatures carry its time. A clock of the client's own when none is given.
        transport: the CA, client certificate and proxy (`uplink.ca_file`, …); nothing from the environment.
    """

    def __init__(
        self,
        base_url: str,
        device_id: str,
        key: Callable[[], bytes | None],
        timeout_s: float = 10.0,
        clock: ProvinceClock | None = None,
        transport: Transport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.device_id = device_id
        self._key = key
        self.timeout_s = timeout_s
        self.clock = clock or ProvinceClock(SystemClock())
        transport = transport or Transport()
        self.session = transport.session()
        self._options = transport.options(self.base_url)

    def close(self) -> None:
        self.session.close()

    def server_time(self) -> int:
        """Unix seconds as the province counts them (the pad's clock corrected by the learned offset)."""
        return int(self.clock.unix())

    def learn_server_time(self, server_time: float) -> None:
        """A `serverTime` from the province (a heartbeat's answer, a clock_skew refusal)."""
        self.clock.learn(server_time, exact=True)

    def _learn_date(self, response: requests.Response) -> None:
        """Any answer's Date header, to the second, where no serverTime comes (rules.md R13)."""
        header = response.headers.get("Date", "")
        try:
            when = email.utils.parsedate_to_datetime(header) if header else None
        except (TypeError, ValueError, IndexError):
            return
        if when is not None and when.tzinfo is not None:
            self.clock.learn(when.timestamp(), exact=False)

    def _request(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        data: bytes | None = None,
        signed: bool = True,
        headers: dict[str, str] | None = None,
        ok: tuple[int, ...] = (200, 201),
    ) -> requests.Response:
        if data is None:
            data = (
                b"" if body is None else json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
            )
        prepared = requests.Request(
            method,
            self.base_url + path,
            data=data or None,
            headers={**({"Content-Type": "application/json"} if data else {}), **(headers or {})},
        )
        request = self.session.prepare_request(prepared)
        if signed:
            key = self._key()
            if key is None:
                raise UplinkError(0, "not_enrolled", "the device is not enrolled", {}, None)
            # The signature covers the request-target exactly as sent.
            request.headers.update(
                signed_headers(self.device_id, key, method, request.path_url, self.server_time(), data)
            )
        try:
            response = self.session.send(request, timeout=self.timeout_s, **self._options)
        except requests.RequestException as exc:
            raise UplinkUnreachable(f"{method} {path}: {exc.__class__.__name__}") from exc
        self._learn_date(response)
        if response.status_code not in ok:
            raise _error(response, self.clock.unix())
        return response

    def enroll(self, code: str, app_version: str, hardware: dict[str, Any]) -> bytes:
        """Enrols with the device's own id; safe to retry (the spec makes it idempotent).

        Returns:
            The 32-byte device secret.
        """
        response = self._request(
            "POST",
            "/devices/enroll",
            {"enrollCode": code, "deviceId": self.device_id, "appVersion": app_version, "hardware": hardware},
            signed=False,
        )
        encoded = _json(response).get("deviceSecret")
        try:
            secret = base64.b64decode(encoded, validate=True) if isinstance(encoded, str) else b""
        except (binascii.Error, ValueError):
            secret = b""
        # Never the value in the message: it is the device's key.
        if len(secret) != 32:
            raise UplinkUnreachable("the province's deviceSecret is missing or not 32 bytes")
        return secret

    def send_encoded(self, records: Sequence[bytes]) -> list[dict[str, Any]]:
        """POSTs records already encoded as JSON (the sender counts a batch's bytes as it encodes it, and
        encodes each record once); returns the per-record results, in order."""
        data = batch_body(records)
        response = self._request("POST", "/evaluations:batch", data=data)
        results = _json(response).get("results")
        if not isinstance(results, list) or len(results) != len(records):
            raise UplinkUnreachable("the province's batch answer does not match the batch")
        return results

    def config(self, etag: str | None) -> tuple[dict[str, Any] | None, str | None]:
        """The device's configuration, or None when unchanged since `etag` (304)."""
        headers = {"If-None-Match": etag} if etag else {}
        path = f"/devices/{quote(self.device_id, safe='')}/config"
        response = self._request("GET", path, headers=headers, ok=(200, 304))
        if response.status_code == 304:
            return None, etag
        return _json(response), response.headers.get("ETag")

    def heartbeat(self, body: dict[str, Any]) -> dict[str, Any]:
        response = self._request("POST", f"/devices/{quote(self.device_id, safe='')}/heartbeat", body)
        answer = _json(response)
        if isinstance(answer.get("serverTime"), int | float):
            self.learn_server_time(answer["serverTime"])
        return answer

    def project_evaluation(self, project_no: str) -> dict[str, Any]:
        """`{rated: false}` or `{rated: true, satisfaction, pf, assessTime}` for a 办件."""
        return _json(self._request("GET", f"/projects/{quote(project_no, safe='')}/evaluation"))

    def lookup(self, query: CaseQuery) -> LookupResult:
        """A self-service terminal's look-up of a citizen's cases (`POST /devices/{deviceId}/lookup`).

        The body carries an ID number or a check: no log line or exception here repeats anything of it, or
        of the applicants in the answer.

        Raises:
            UplinkError: 422 `invalid_field` (with the field in `body`), 429 `too_many_lookups` (with
                `retry_after`), or any signing error; its message and body keep only the code and field.
            UplinkUnreachable: no answer, or one that is not a look-up's.
        """
        path = f"/devices/{quote(self.device_id, safe='')}/lookup"
        try:
            response = self._request("POST", path, query.to_json(), ok=(200,))
        except UplinkError as exc:
            # A province may echo what it refused: keep its code and field only.
            raw = exc.body.get("error")
            error: dict[str, Any] = raw if isinstance(raw, dict) else {}
            kept = {key: str(error[key]) for key in ("code", "field") if key in error}
            raise UplinkError(
                exc.status,
                exc.code,
                f"the look-up was refused ({kept.get('field', 'no field')})",
                # The province's time stays: a clock_skew refusal is answered by learning it.
                {"error": kept, **{k: v for k, v in exc.body.items() if k == "serverTime"}},
                exc.retry_after,
            ) from None
        try:
            result = parse_cases(_json(response))
        except ValueError:
            raise UplinkUnreachable(f"HTTP {response.status_code}: not a look-up answer") from None
        if result.left_out:
            log.warning(
                "look-up: %d cases left out (no projectNo, state or whole applicant)", result.left_out
            )
        log.info("look-up by %s: %d cases", query.by, len(result.cases))
        return result


def _json(response: requests.Response) -> dict[str, Any]:
    try:
        value = response.json()
    except ValueError:
        raise UplinkUnreachable(f"HTTP {response.status_code}: the answer is not JSON") from None
    if not isinstance(value, dict):
        raise UplinkUnreachable(f"HTTP {response.status_code}: the answer is not a JSON object")
    return value


def _error(response: requests.Response, now: float) -> UplinkError:
    try:
        body = response.json()
    except ValueError:
        body = {}
    if not isinstance(body, dict):
        body = {}
    error: dict[str, Any] = body["error"] if isinstance(body.get("error"), dict) else {}
    # The province's words may quote an applicant: masked before they can reach a log line (R3).
    return UplinkError(
        response.status_code,
        redact(str(error.get("code", ""))),
        redact(str(error.get("message", ""))),
        body,
        _retry_after(response.headers.get("Retry-After", ""), now),
    )


def _retry_after(header: str, now: float) -> float | None:
    """Seconds from a Retry-After header: delay-seconds, or an HTTP-date (RFC 9110), else None."""
    text = header.strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - now)
