"""The bridge's HTTP API (counter-bridge-api.md), on Starlette.

Checks run in the spec's order: the client's address, the Origin, the token and the announced size at the
gate (kiosk/bridge/guard.py), then the body's size, the JSON and the fields here. Validation is
the domain's and the OpenAPI document is written out (kiosk/bridge/openapi.py), so the bridge needs none
of FastAPI's machinery: plain Starlette starts in a third of the time, which a pad restarting after a
power cut feels.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from importlib import resources
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from kiosk.bridge.gateway import PadGateway, PadUnresponsive
from kiosk.bridge.guard import MAX_BODY, Guard
from kiosk.bridge.openapi import openapi_document
from kiosk.bridge.views import session_view, status_view
from kiosk.domain.access import Access
from kiosk.domain.sessions import SessionState
from kiosk.domain.validation import FieldError, validate_session_request
from kiosk.pad import Pad, SessionRefused
from kiosk.store.errors import StorageUnavailable
from kiosk.store.rows import StoredSession

log = logging.getLogger(__name__)

MAX_WAIT_S = 60
PREFIX = "/api/v1"
PUBLIC_PATHS = {f"{PREFIX}/openapi.json", f"{PREFIX}/client.js"}


class ApiError(Exception):
    """An error answer in the spec's shape: `{"error": {"code", "field"?, "message"}}` plus extras."""

    def __init__(self, status: int, code: str, message: str, field: str | None = None, **extra: Any) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.field, self.extra = status, code, message, field, extra

    def response(self) -> JSONResponse:
        error: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.field is not None:
            error["field"] = self.field
        return JSONResponse({"error": error, **self.extra}, status_code=self.status)


def _refused(exc: SessionRefused) -> ApiError:
    if exc.code == "not_found":
        return ApiError(404, "not_found", str(exc))
    extra: dict[str, Any] = {}
    if exc.session is not None and exc.code == "already_rated":
        extra = {"sessionId": exc.session.session_id, "state": exc.session.state.value}
    return ApiError(409, exc.code, str(exc), **extra)


async def _read_body(request: Request) -> bytes:
    """The body, refused past 16 KiB whether or not a Content-Length announced it."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            raise ApiError(413, "too_large", f"the body is over {MAX_BODY} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


async def _json_object(request: Request) -> dict[str, Any]:
    body = await _read_body(request)
    try:
        value = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise ApiError(400, "bad_json", "the body is not valid JSON") from None
    if not isinstance(value, dict):
        raise ApiError(400, "bad_json", "the body must be a JSON object")
    return value


def client_script() -> bytes:
    """client.js, the case system's script (package data beside this module)."""
    return resources.files("kiosk.bridge").joinpath("client.js").read_bytes()


def create_app(gateway: PadGateway, token: Callable[[], str], access: Access | None = None) -> Starlette:  # noqa: PLR0915 - the routes are closures over the one gateway they share
    """The bridge application.

    Args:
        gateway: the way to the Pad on the Qt thread.
        token: returns the bridge token in force (it can be regenerated while the pad runs).
        access: the client addresses and web origins allowed; by default loopback clients and no pages.
    """
    document = openapi_document()
    script = client_script()

    async def call(fn: Callable[[Pad], Any]) -> Any:
        try:
            return await gateway.call(fn)
        except FieldError as exc:
            raise ApiError(422, "invalid_field", exc.message, exc.field) from None
        except SessionRefused as exc:
            raise _refused(exc) from None
        except StorageUnavailable:
            raise ApiError(503, "storage_unavailable", "the pad cannot store anything now") from None
        except PadUnresponsive as exc:
            log.error("bridge: %s", exc)
            raise ApiError(503, "pad_unresponsive", str(exc)) from None

    async def api_error(_request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ApiError)
        return exc.response()

    async def http_error(_request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "bad_request")
        return ApiError(exc.status_code, code, str(exc.detail)).response()

    async def post_session(request: Request) -> JSONResponse:
        body = await _json_object(request)

        def open_session(pad: Pad) -> dict[str, Any]:
            validated = validate_session_request(
                body, now=pad.clock.now(), cert_types=pad.cert_types.keys(), staff_roster=pad.placement.roster
            )
            session, qr = pad.open_session(validated)
            return {"sessionId": session.session_id, "state": session.state.value, "qrUrl": qr}

        return JSONResponse(await call(open_session), status_code=201)

    async def get_session(request: Request) -> JSONResponse:
        session_id = request.path_params["session_id"]
        wait = _wait_seconds(request)

        def look(pad: Pad) -> tuple[StoredSession | None, Any]:
            session = pad.session(session_id)
            awaiting = session is not None and session.state is SessionState.AWAITING
            return session, gateway.watch(session_id) if awaiting and wait else None

        session, watcher = await call(look)
        if session is None:
            raise ApiError(404, "not_found", "no such session")
        if watcher is not None:
            try:
                await asyncio.wait_for(asyncio.wrap_future(watcher), wait)
            except TimeoutError:
                await call(lambda _pad: gateway.forget(session_id, watcher))
            session = await call(lambda pad: pad.session(session_id))
            assert session is not None
        return JSONResponse(session_view(session))

    async def delete_session(request: Request) -> JSONResponse:
        session_id = request.path_params["session_id"]
        return JSONResponse(session_view(await call(lambda pad: pad.cancel_session(session_id))))

    async def sign_in(request: Request) -> JSONResponse:
        body = await _json_object(request)
        staff_id = body.get("staffId")
        if not isinstance(staff_id, str) or not 1 <= len(staff_id) <= 50:
            raise ApiError(422, "invalid_field", "staffId must be a string of 1-50 characters", "staffId")
        await call(lambda pad: pad.sign_in(staff_id))
        return JSONResponse({"staffId": staff_id})

    async def sign_out(_request: Request) -> JSONResponse:
        await call(lambda pad: pad.sign_out())
        return JSONResponse({"staffId": None})

    async def status(_request: Request) -> JSONResponse:
        return JSONResponse(status_view(await call(lambda pad: pad.status())))

    async def openapi(_request: Request) -> JSONResponse:
        return JSONResponse(document)

    async def client_js(_request: Request) -> Response:
        # no-cache: a pad updated in place serves its new script at once; the browser revalidates cheaply.
        return Response(
            script,
            media_type="text/javascript; charset=utf-8",
            headers={"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"},
        )

    return Starlette(
        routes=[
            Route(f"{PREFIX}/sessions", post_session, methods=["POST"]),
            Route(PREFIX + "/sessions/{session_id}", get_session, methods=["GET"]),
            Route(PREFIX + "/sessions/{session_id}", delete_session, methods=["DELETE"]),
            Route(f"{PREFIX}/staff/sign-in", sign_in, methods=["POST"]),
            Route(f"{PREFIX}/staff/sign-out", sign_out, methods=["POST"]),
            Route(f"{PREFIX}/status", status, methods=["GET"]),
            Route(f"{PREFIX}/openapi.json", openapi, methods=["GET"]),
            Route(f"{PREFIX}/client.js", client_js, methods=["GET"]),
        ],
        middleware=[
            Middleware(Guard, access=access or Access.from_settings(), token=token, public_paths=PUBLIC_PATHS)
        ],
        exception_handlers={ApiError: api_error, HTTPException: http_error},
    )


def _wait_seconds(request: Request) -> float:
    raw = request.query_params.get("wait")
    if raw is None:
        return 0
    if not raw.isdigit() or int(raw) > MAX_WAIT_S:
        raise ApiError(
            422, "invalid_field", f"wait must be a whole number of seconds, 0-{MAX_WAIT_S}", "wait"
        )
    return int(raw)
