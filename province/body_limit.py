"""The service's body limit: 413 for a body over 1 MiB, before anything else looks at the request."""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_BODY_BYTES = 1024 * 1024
# Past this the body is not even read to its end: the connection is closed after the 413.
_DRAIN_LIMIT = 16 * MAX_BODY_BYTES


class BodyLimit:
    """ASGI middleware that reads each request body whole, answers 413 when it is over the limit, and hands
    the body on otherwise.

    The body is read to its end even when too large: a client still sending would otherwise see a reset
    connection instead of the 413 that tells it to halve its batch.

    Args:
        app: the application.
        limit: the largest body accepted, in bytes.
    """

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more and size <= _DRAIN_LIMIT:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size <= self.limit:
                chunks.append(chunk)
            more = message.get("more_body", False)
        if size > self.limit:
            await _answer_too_large(send, self.limit, close=more)
            return
        body = b"".join(chunks)
        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


async def _answer_too_large(send: Send, limit: int, *, close: bool) -> None:
    error = {"code": "body_too_large", "message": f"the body is over {limit} bytes"}
    body = json.dumps({"error": error}).encode("ascii")
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode("ascii"))]
    if close:
        headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": body})
