"""Injected failures (`--faults error=0.2,drop=0.1,delay=0.5`) for tests and soak runs of a pad's uplink.

- `error`: that share of requests is answered 500 without doing the work.
- `drop`: that share of requests does the work and commits it, then the connection breaks mid-answer, as
  when a mobile link dies after the province has stored a batch: the device must resend and get `duplicate`.
- `delay`: every request waits that many seconds first.
- `quote`: that share of records is rejected with a message that quotes the applicant's ID and mobile
  numbers, as some real services' messages do: for testing that a device keeps such text masked (R3).
- `token_expiry`: every N-th call to the Fujian gateway's operations that presents a valid token finds it
  expired early: HTTP 400 with `x-error-code: access_token_invalid`, and the token stays expired.

Only the contract's endpoints and the gateway's (`/api-gateway/gateway/…`, the token call included) are
affected; the sandbox-only ones (`/sandbox/…`, `POST /projects…`), the phone page and the OpenAPI document
never are, so that a test can always inspect and prepare the service's state.
"""

from __future__ import annotations

import asyncio
import json
import random
from dataclasses import dataclass

from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from province.store import SandboxStore

API_PREFIX = "/api/v1"
GATEWAY_PREFIX = "/api-gateway/gateway"
MAX_DELAY_S = 60.0
MAX_TOKEN_EXPIRY = 1_000_000
# What uvicorn logs when an app ends a response early; a drop does exactly that, on purpose.
DROP_LOG_MESSAGE = "ASGI callable returned without completing response."


@dataclass(frozen=True)
class FaultPlan:
    """The faults to inject: shares of requests (0..1) for `error` and `drop`, seconds for `delay`, the share
    of records for `quote`, and for `token_expiry` N (every N-th gateway call finds its token expired; 0
    never)."""

    error: float = 0.0
    drop: float = 0.0
    delay: float = 0.0
    quote: float = 0.0
    token_expiry: int = 0

    @classmethod
    def parse(cls, spec: str) -> FaultPlan:
        """Reads a spec such as `error=0.2,drop=0.1,delay=0.5,quote=0.1,token_expiry=20`.

        Raises:
            ValueError: naming the key or value at fault.
        """
        values: dict[str, float] = {}
        token_expiry = 0
        for item in spec.split(","):
            key, sep, text = (part.strip() for part in item.partition("="))
            if key not in {"error", "drop", "delay", "quote", "token_expiry"} or not sep:
                raise ValueError(
                    "expected error=SHARE, drop=SHARE, delay=SECONDS, quote=SHARE or token_expiry=N, "
                    f"got {item.strip()!r}"
                )
            if key in values or (key == "token_expiry" and token_expiry):
                raise ValueError(f"{key} is given twice")
            if key == "token_expiry":
                if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= MAX_TOKEN_EXPIRY:
                    raise ValueError(
                        f"token_expiry must be a whole number 1..{MAX_TOKEN_EXPIRY}, got {text!r}"
                    )
                token_expiry = int(text)
                continue
            try:
                value = float(text)
            except ValueError:
                raise ValueError(f"{key} must be a number, got {text!r}") from None
            limit = MAX_DELAY_S if key == "delay" else 1.0
            if not 0.0 <= value <= limit:  # also refuses nan
                raise ValueError(f"{key} must be between 0 and {limit:g}, got {text!r}")
            values[key] = value
        plan = cls(**values, token_expiry=token_expiry)
        if plan.error + plan.drop > 1.0:
            raise ValueError("error + drop must not exceed 1")
        return plan


def is_fault_free(method: str, path: str) -> bool:
    """Whether a request is one of the sandbox-only ones that faults never touch."""
    if path.startswith(GATEWAY_PREFIX + "/"):
        return False
    if not path.startswith(API_PREFIX + "/"):
        return True
    local = path.removeprefix(API_PREFIX)
    if local.startswith("/sandbox/") or local in {"/openapi.json", "/docs"}:
        return True
    # POST /projects and POST /projects/{projectNo}/evaluation stand in for the case system and the other
    # channels.
    return method == "POST" and (local == "/projects" or local.startswith("/projects/"))


class FaultInjector:
    """ASGI middleware that injects the faults of a plan and counts them in the store.

    Args:
        app: the application.
        plan: the faults to inject.
        store: where injected faults are counted.
        rng: the random source (a seeded one makes a run repeatable).
    """

    def __init__(self, app: ASGIApp, plan: FaultPlan, store: SandboxStore, rng: random.Random | None = None):
        self.app = app
        self.plan = plan
        self.store = store
        self.rng = rng or random.Random()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or is_fault_free(scope["method"], scope["path"]):
            await self.app(scope, receive, send)
            return
        if self.plan.delay > 0:
            await run_in_threadpool(self.store.count_fault, "delay")
            await asyncio.sleep(self.plan.delay)
        draw = self.rng.random()
        if draw < self.plan.error:
            await run_in_threadpool(self.store.count_fault, "error")
            await _answer_injected_error(send)
        elif draw < self.plan.error + self.plan.drop:
            await self._commit_then_break(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    async def _commit_then_break(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Runs the request to completion, then sends a response that promises more body than it gives.

        The server then ends the connection mid-answer; the client sees a broken connection, never an
        HTTP answer it could take for the real one.
        """
        messages: list[Message] = []

        async def hold(message: Message) -> None:
            messages.append(message)

        await self.app(scope, receive, hold)
        # Counted before the client can notice, so that a test reading the count after its error sees it.
        await run_in_threadpool(self.store.count_fault, "drop")
        start = next(message for message in messages if message["type"] == "http.response.start")
        body = b"".join(
            message.get("body", b"") for message in messages if message["type"] == "http.response.body"
        )
        headers = [
            (name, value) for name, value in start.get("headers", []) if name.lower() != b"content-length"
        ]
        headers.append((b"content-length", str(len(body) + 1024).encode("ascii")))
        # A 304 or 204 has no body by definition, so a short one would look whole: break a 200 instead.
        status = 200 if start["status"] in {204, 304} else start["status"]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body[: len(body) // 2], "more_body": True})


async def _answer_injected_error(send: Send) -> None:
    body = json.dumps(
        {"error": {"code": "injected_fault", "message": "a fault injected by --faults"}}
    ).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode("ascii"))]
    await send({"type": "http.response.start", "status": 500, "headers": headers})
    await send({"type": "http.response.body", "body": body})
