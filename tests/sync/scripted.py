"""The real sandbox service behind a script: corner cases of the contract the sandbox never produces by itself.

`ScriptedProvince` serves the sandbox's own application (its store, signature checks, ingest and chain) on
loopback, with an ASGI layer in front that answers chosen requests as the test says: a 413 for bodies over a
size, a 429 with Retry-After, a `replay`, a malformed answer, an answer lost after the work was committed. It
also keeps every request it saw, so a test can tell what the pad sent and when. It is a real HTTP server:
the pad's client, session and signing are exercised as in the field.
"""

from __future__ import annotations

import asyncio
import json
import logging
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import uvicorn
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from province.app import create_app
from province.faults import DROP_LOG_MESSAGE
from province.store import SandboxStore

API_PREFIX = "/api/v1"


@dataclass
class Rule:
    """How the script answers the requests it matches.

    Attributes:
        method: the HTTP method matched.
        path: the path matched, below /api/v1 (e.g. `/evaluations:batch`).
        status: the status of the canned answer; 0 passes the request on to the sandbox.
        body: the canned answer's body (a dict is sent as JSON).
        headers: the canned answer's extra headers.
        drop: pass the request on, let the sandbox commit it, then break the connection mid-answer.
        delay_s: wait this long before answering (or passing on).
        when: only requests whose body satisfies this match.
        times: how many requests the rule answers before it retires (None: all of them).
    """

    method: str
    path: str
    status: int = 0
    body: dict[str, Any] | bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    drop: bool = False
    delay_s: float = 0.0
    when: Callable[[bytes], bool] | None = None
    times: int | None = 1

    def matches(self, method: str, path: str, body: bytes) -> bool:
        return (
            (self.times is None or self.times > 0)
            and method == self.method
            and path == self.path
            and (self.when is None or self.when(body))
        )


@dataclass
class Seen:
    """One request as the province saw it, and the status it got (0 when the answer was broken off)."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes = field(repr=False)  # records hold personal fields: never in a failure's output
    at: float = 0.0
    status: int = 0

    @property
    def nonce(self) -> str:
        return self.headers.get("x-hcp-nonce", "")

    @property
    def timestamp(self) -> int:
        return int(self.headers.get("x-hcp-timestamp", "0"))

    def hashes(self) -> list[str]:
        """The records' hashes of a batch request: what a test compares, not the personal fields."""
        return [record["hash"] for record in self.records()]

    def records(self) -> list[dict[str, Any]]:
        """The records of a batch request."""
        evaluations: list[dict[str, Any]] = json.loads(self.body)["evaluations"]
        return evaluations


class _Script:
    """The ASGI layer: matches each request against the rules, answers or passes it on, and logs it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.rules: list[Rule] = []
        self.seen: list[Seen] = []
        self._lock = threading.Lock()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        body = await _read_body(receive)
        method, path = scope["method"], scope["path"].removeprefix(API_PREFIX)
        headers = {
            name.decode("latin-1").lower(): value.decode("latin-1") for name, value in scope["headers"]
        }
        seen = Seen(method, path, headers, body, time.monotonic())
        with self._lock:
            self.seen.append(seen)
            rule = next((r for r in self.rules if r.matches(method, path, body)), None)
            if rule is not None and rule.times is not None:
                rule.times -= 1
        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        async def watch(message: Message) -> None:
            if message["type"] == "http.response.start":
                seen.status = message["status"]
            await send(message)

        if rule is not None and rule.delay_s:
            await asyncio.sleep(rule.delay_s)
        if rule is None or (rule.status == 0 and not rule.drop):
            await self.app(scope, replay, watch)
        elif rule.drop:
            await self._commit_then_break(scope, replay, send)
        else:
            seen.status = rule.status
            await _answer(send, rule)

    async def _commit_then_break(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Lets the sandbox do the work, then promises more body than it sends: the client sees a broken
        connection, never an answer it could take for the real one."""
        messages: list[Message] = []

        async def hold(message: Message) -> None:
            messages.append(message)

        await self.app(scope, receive, hold)
        start = next(m for m in messages if m["type"] == "http.response.start")
        body = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.response.body")
        headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
        headers.append((b"content-length", str(len(body) + 1024).encode("ascii")))
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body[: len(body) // 2], "more_body": True})


async def _read_body(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    more = True
    while more:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunks.append(message.get("body", b""))
        more = message.get("more_body", False)
    return b"".join(chunks)


async def _answer(send: Send, rule: Rule) -> None:
    body = json.dumps(rule.body).encode() if isinstance(rule.body, dict) else rule.body
    headers = [(b"content-length", str(len(body)).encode("ascii"))]
    if isinstance(rule.body, dict):
        headers.append((b"content-type", b"application/json"))
    headers += [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in rule.headers.items()]
    await send({"type": "http.response.start", "status": rule.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def error_body(code: str, message: str = "scripted", **extra: Any) -> dict[str, Any]:
    """An error answer in the spec's shape, with top-level extras (serverTime)."""
    return {"error": {"code": code, "message": message}, **extra}


class _ExpectedDrops(logging.Filter):
    """Hides uvicorn's complaint about an answer broken off: with `drop` rules that is the point."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != DROP_LOG_MESSAGE


class ScriptedProvince:
    """The sandbox's application behind a script, served by uvicorn on a thread of this process.

    Args:
        store_path: the sandbox's SQLite file (made with the demo hall when missing).
        clock: the service's time, unix seconds.
    """

    def __init__(self, store_path: Path, *, clock: Callable[[], float] = time.time) -> None:
        self.store = SandboxStore(store_path, clock=clock)
        # IPPROTO_TCP, as the sandbox does: asyncio then turns Nagle off for accepted sockets, and answers
        # do not wait ~40 ms for the client's delayed ACK.
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen(64)
        port = self._socket.getsockname()[1]
        self._script = _Script(create_app(self.store, public_url=f"http://127.0.0.1:{port}"))
        self.url = f"http://127.0.0.1:{port}{API_PREFIX}"
        config = uvicorn.Config(
            self._script,
            log_config=None,
            access_log=False,
            lifespan="off",
            http="h11",
            ws="none",
            timeout_graceful_shutdown=2,
        )
        self._server = uvicorn.Server(config)
        self._thread: threading.Thread | None = None
        self._drop_filter = _ExpectedDrops()

    def start(self) -> str:
        logging.getLogger("uvicorn.error").addFilter(self._drop_filter)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._socket]}, name="scripted-province", daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the scripted province did not start")
            time.sleep(0.01)
        return self.url

    def stop(self) -> None:
        if self._thread is not None:
            self._server.should_exit = True
            self._thread.join(5)
            self._thread = None
        self._socket.close()
        logging.getLogger("uvicorn.error").removeFilter(self._drop_filter)
        self.store.close()

    def add(self, rule: Rule) -> Rule:
        """Adds a rule; the first matching rule answers a request."""
        with self._script._lock:
            self._script.rules.append(rule)
        return rule

    def seen(self, method: str | None = None, path: str | None = None) -> list[Seen]:
        """The requests seen so far (of one method and path, when given), in order of arrival."""
        with self._script._lock:
            seen = list(self._script.seen)
        return [
            s for s in seen if (method is None or s.method == method) and (path is None or s.path == path)
        ]

    def batches(self) -> list[Seen]:
        return self.seen("POST", "/evaluations:batch")
