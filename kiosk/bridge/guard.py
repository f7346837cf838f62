"""The bridge's gate: every request passes it before any handler runs (counter-bridge-api.md).

The checks run in the spec's order, each before the next is looked at:

1. the client's address (`bridge.allow_from`): 403 `address_not_allowed`;
2. the Origin, where the request carries one (`bridge.allowed_origins`): 403 `origin_not_allowed`, with no
   CORS headers, so that the page's script learns nothing; a listed origin's preflight (`OPTIONS`) is answered
   here, 204, without a token;
3. the token: 401 `unauthorized`, except on the public paths (the OpenAPI document and client.js);
4. the announced size: 413 `too_large` (a body that grows past it unannounced is refused while it is read).

The JSON and the fields are the handlers'. Every answer to a listed Origin carries
`Access-Control-Allow-Origin` and `Vary: Origin`, whoever made it.

A pure ASGI middleware rather than Starlette's BaseHTTPMiddleware: it neither copies nor buffers the answer,
so a long-poll that is held open costs nothing here, and the gate adds microseconds.
"""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import Callable, Collection, Iterable

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kiosk.domain.access import Access

log = logging.getLogger(__name__)

MAX_BODY = 16 * 1024
PREFLIGHT_HEADERS = (
    ("access-control-allow-methods", "GET, POST, DELETE"),
    ("access-control-allow-headers", "Authorization, Content-Type"),
    ("access-control-max-age", "600"),
)
# So that a log cannot be flooded by one client knocking again and again: each refused address or origin is
# logged once, up to this many.
_REPORTED_MAX = 256


def error_body(code: str, message: str) -> bytes:
    """An error in the spec's shape, `{"error": {"code", "message"}}`."""
    return json.dumps({"error": {"code": code, "message": message}}, separators=(",", ":")).encode()


class Guard:
    """The gate in front of the bridge's application.

    Args:
        app: the application behind the gate.
        access: the lists of allowed addresses and origins.
        token: returns the bridge token in force (it can be regenerated while the pad runs).
        public_paths: the paths that need no token.
    """

    def __init__(
        self, app: ASGIApp, access: Access, token: Callable[[], str], public_paths: Collection[str]
    ) -> None:
        self.app = app
        self.access = access
        self.token = token
        self.public_paths = frozenset(public_paths)
        self._reported: set[str] = set()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:  # noqa: PLR0911 - each check of the spec's order answers on its own
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        host = client[0] if client else None
        if not self.access.allows_address(host):
            self._report(f"a client at {host}", "bridge.allow_from")
            await _answer(
                send, 403, error_body("address_not_allowed", "this address may not call the bridge")
            )
            return

        headers = Headers(scope=scope)
        origin = headers.get("origin")
        cors: list[tuple[str, str]] = []
        if origin is not None:
            if not self.access.allows_origin(origin):
                self._report(f"a page of {origin[:100]!r}", "bridge.allowed_origins")
                await _answer(
                    send,
                    403,
                    error_body("origin_not_allowed", "pages of this origin may not call the bridge"),
                )
                return
            cors = [("access-control-allow-origin", origin), ("vary", "Origin")]
            if scope["method"] == "OPTIONS":
                extra = list(PREFLIGHT_HEADERS)
                if headers.get("access-control-request-private-network", "").lower() == "true":
                    extra.append(("access-control-allow-private-network", "true"))
                await _answer(send, 204, b"", [*cors, *extra])
                return
        elif _cross_site_without_cors(headers):
            # A browser loading a bridge URL for a page of another site without CORS (a plain <script src>)
            # sends no Origin: the page's origin cannot be checked, so it gets nothing (a listed page loads
            # client.js with crossorigin="anonymous").
            await _answer(send, 403, error_body("origin_not_allowed", 'load it with crossorigin="anonymous"'))
            return

        if scope["path"] not in self.public_paths and not self._authorized(headers):
            await _answer(send, 401, error_body("unauthorized", "a valid bridge token is required"), cors)
            return
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > MAX_BODY:
            await _answer(send, 413, error_body("too_large", f"the body is over {MAX_BODY} bytes"), cors)
            return
        await self.app(scope, receive, _with_headers(send, cors) if cors else send)

    def _authorized(self, headers: Headers) -> bool:
        scheme, _, presented = headers.get("authorization", "").partition(" ")
        return scheme.lower() == "bearer" and hmac.compare_digest(presented.encode(), self.token().encode())

    def _report(self, who: str, key: str) -> None:
        if who not in self._reported and len(self._reported) < _REPORTED_MAX:
            self._reported.add(who)
            log.warning("bridge: refused %s, which %s does not list", who, key)


def _cross_site_without_cors(headers: Headers) -> bool:
    """A subresource of another site's page, fetched without CORS (Fetch Metadata, sent by every current
    browser); never a top-level navigation, never a program such as curl, which sends no such headers."""
    return headers.get("sec-fetch-mode") == "no-cors" and headers.get("sec-fetch-site") in (
        "cross-site",
        "same-site",
    )


async def _answer(send: Send, status: int, body: bytes, headers: Iterable[tuple[str, str]] = ()) -> None:
    raw = [(name.encode("latin-1"), value.encode("latin-1")) for name, value in headers]
    if body:
        raw += [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})


def _with_headers(send: Send, headers: list[tuple[str, str]]) -> Send:
    """`send`, adding the CORS headers to the answer's start (appending Origin to a Vary already there)."""
    extra = [(name.encode("latin-1"), value.encode("latin-1")) for name, value in headers]

    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            raw: list[tuple[bytes, bytes]] = list(message.get("headers", []))
            names = {name.lower() for name, _ in raw}
            for name, value in extra:
                if name == b"vary" and b"vary" in names:
                    raw = [(n, v + b", " + value if n.lower() == b"vary" else v) for n, v in raw]
                elif name not in names:
                    raw.append((name, value))
            message = {**message, "headers": raw}
        await send(message)

    return sending
