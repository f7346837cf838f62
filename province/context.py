"""What every route needs, held on the application (`app.state.sandbox`) and handed in as dependencies."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from province.device_config import device_config
from province.enrolment import Device
from province.errors import ApiError
from province.gate import RequestGate
from province.signing import request_target
from province.store import SandboxStore


@dataclass(frozen=True)
class SandboxContext:
    """The store, the signature gate, and the service's own address.

    Attributes:
        store: the sandbox's state.
        gate: the signature checks over the store.
        public_url: scheme, host and port the service is reached at (for qrUrlTemplate), or None to take
            them from each request's Host header.
    """

    store: SandboxStore
    gate: RequestGate
    public_url: str | None

    def own_url(self, request: Request) -> str:
        """The service's scheme, host and port as this request reached it (unless fixed at start)."""
        return self.public_url or str(request.base_url).rstrip("/")

    def config_for(self, device: Device, public_url: str) -> dict[str, Any]:
        """The config answer for a device (blocking: call it in the thread pool)."""
        place = self.store.window(device.hall_code, device.window_no)
        assert place is not None, "a device's window is never deleted"
        return device_config(
            place,
            self.store.roster(device.hall_code, device.window_no),
            self.store.settings(device.hall_code),
            self.store.catalogue,
            public_url,
            self.store.notices(device.hall_code),
        )


@dataclass(frozen=True)
class SignedRequest:
    """A request that passed the signature checks: its device and its raw body."""

    device: Device
    body: bytes

    def own_device(self, device_id: str) -> Device:
        """The signing device, when the path names it: a device never reads another's state.

        Raises:
            ApiError: 403 `device_mismatch` when the path names another device.
        """
        if device_id != self.device.device_id:
            raise ApiError(403, "device_mismatch", "a device may only ask about itself", field="deviceId")
        return self.device


def sandbox_context(request: Request) -> SandboxContext:
    """FastAPI dependency: the application's context."""
    context = request.app.state.sandbox
    assert isinstance(context, SandboxContext)
    return context


Context = Annotated[SandboxContext, Depends(sandbox_context)]


async def admit_signed(request: Request, context: Context) -> SignedRequest:
    """FastAPI dependency: admits a signed request (uplink "Signing"), or raises the spec's error."""
    body = await request.body()
    target = request_target(request.scope)
    device = await run_in_threadpool(context.gate.admit, request.method, target, request.headers, body)
    return SignedRequest(device, body)


Signed = Annotated[SignedRequest, Depends(admit_signed)]
