"""`create_app`: the sandbox's HTTP service: its API under `/api/v1`, the Fujian gateway's double under
`/api-gateway/gateway` (province.gateway), and its pages for people.

Layers, outermost first: the 1 MiB body limit (nothing else reads an oversized body), the fault injector
(when asked for; it touches only the contract's operations), then FastAPI's routes: the contract's
(routes_uplink), the sandbox-only ones (routes_sandbox), and the HTML pages at the root (pages: the phone
page of a QR rating, `/m/evaluate`, and the overview, `/`). Every error answer of the API has the spec's
shape `{"error": {"code", "message", "field"?}}`.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.responses import Response

from province import pages, routes_sandbox, routes_uplink
from province.body_limit import BodyLimit
from province.context import SandboxContext
from province.errors import ApiError
from province.faults import API_PREFIX, GATEWAY_PREFIX, FaultInjector, FaultPlan
from province.gate import RequestGate
from province.gateway import routes as gateway_routes
from province.gateway.routes import GatewayState
from province.openapi import SandboxAPI
from province.store import SandboxStore
from province.wire import error_response

log = logging.getLogger(__name__)

_DESCRIPTION = """\
The provincial 好差评 sandbox: the province's side of the HCP uplink v1 (uplink-api.md).

Signed operations carry `X-HCP-Device`, `X-HCP-Timestamp`, `X-HCP-Nonce` and `X-HCP-Signature` (hex
HMAC-SHA256 with the device's key over METHOD, PATH with query string as sent, TIMESTAMP, NONCE and the hex
SHA-256 of the body, joined by newlines). Checks, in order: 401 `bad_signature` (also for an unknown device),
403 `device_revoked`, 401 `clock_skew` (with `serverTime` beside `error`), 401 `replay`.

Every error answer is `{"error": {"code", "message", "field"?}}`. A body over 1 MiB gets 413 `body_too_large`.
Operations tagged "sandbox only" are not part of the contract.
"""

_STATUS_CODES = {404: "not_found", 405: "method_not_allowed"}


def create_app(
    store: SandboxStore, faults: FaultPlan | None = None, *, public_url: str | None = None
) -> FastAPI:
    """The sandbox service over a store.

    Args:
        store: the sandbox's state (and its clock).
        faults: failures to inject into the contract's operations, or None.
        public_url: scheme, host and port the service is reached at, for the phone page's qrUrlTemplate;
            None takes them from each request's Host header.

    Returns:
        An ASGI application serving `/api/v1`, its OpenAPI document at `/api/v1/openapi.json`, and the
        pages `/` and `/m/evaluate`, and the gateway's double (kept out of that document: SOAP has no place
        in it).
    """
    app = SandboxAPI(
        title="HCP uplink sandbox",
        version="1",
        description=_DESCRIPTION,
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=f"{API_PREFIX}/docs",
        redoc_url=None,
    )
    app.state.sandbox = SandboxContext(store, RequestGate(store), public_url)
    app.state.gateway = GatewayState(token_expiry=faults.token_expiry if faults is not None else 0)
    app.include_router(routes_uplink.router, prefix=API_PREFIX)
    app.include_router(routes_sandbox.router, prefix=API_PREFIX)
    app.include_router(pages.router)
    app.include_router(gateway_routes.router, prefix=GATEWAY_PREFIX)
    _install_error_handlers(app)
    if faults is not None:
        app.add_middleware(FaultInjector, plan=faults, store=store)
    app.add_middleware(BodyLimit)
    return app


def _install_error_handlers(app: FastAPI) -> None:
    async def on_api_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ApiError)
        return error_response(exc)

    async def on_http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        code = _STATUS_CODES.get(exc.status_code, "http_error")
        return error_response(ApiError(exc.status_code, code, str(exc.detail), headers=exc.headers))

    async def on_validation_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        first = exc.errors()[0] if exc.errors() else {}
        field = ".".join(str(part) for part in first.get("loc", ())[1:]) or None
        return error_response(
            ApiError(400, "invalid_field", str(first.get("msg", "invalid request")), field=field)
        )

    async def on_unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return error_response(ApiError(500, "internal_error", "the sandbox failed; see its log"))

    app.add_exception_handler(ApiError, on_api_error)
    app.add_exception_handler(HTTPException, on_http_error)
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(Exception, on_unexpected)
