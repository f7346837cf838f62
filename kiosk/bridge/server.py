"""The bridge's HTTP server: uvicorn on a thread of its own, on a socket bound before it starts."""

from __future__ import annotations

import logging
import socket
import threading
import time

import uvicorn
from starlette.types import ASGIApp

log = logging.getLogger(__name__)


class BridgeServer:
    """Serves `app` on host:port (port 0: a free one) from a background thread.

    Args:
        app: the ASGI application.
        host: the address to bind; loopback unless configured otherwise.
        port: the port, 0 for any free one.
    """

    def __init__(self, app: ASGIApp, host: str, port: int) -> None:
        self._app = app
        self._host = host
        self._port = port
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self.bound: tuple[str, int] | None = None

    @property
    def url(self) -> str:
        assert self.bound is not None, "the bridge is not started"
        host, port = self.bound
        return f"http://{host}:{port}"

    def start(self, timeout: float = 10.0) -> str:
        """Binds, starts serving, and returns the URL once the server listens.

        Raises:
            OSError: the address cannot be bound (in use, not local).
            RuntimeError: the server did not come up in time.
        """
        family, kind, proto, _, address = socket.getaddrinfo(
            self._host, self._port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP, flags=socket.AI_PASSIVE
        )[0]
        # The protocol must be explicit: asyncio turns Nagle off only on sockets whose proto is IPPROTO_TCP
        # (accepted sockets inherit it); with proto 0 every answer would wait ~40 ms for a delayed ACK.
        sock = socket.socket(family, kind, proto)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(address)
        except OSError:
            sock.close()
            raise
        sock.listen(128)
        self.bound = (self._host, sock.getsockname()[1])
        config = uvicorn.Config(
            self._app,
            # uvicorn's own handlers would print to stderr past the pad's masking filter: its loggers go
            # to the pad's handlers instead.
            log_config=None,
            log_level="warning",
            access_log=False,
            lifespan="off",
            timeout_graceful_shutdown=2,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [sock]}, name="bridge-http", daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the bridge's HTTP server did not start")
            time.sleep(0.01)
        return self.url

    def stop(self, timeout: float = 5.0) -> None:
        """Stops serving; requests under way get up to two seconds to finish."""
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive():
                log.warning("the bridge's HTTP server did not stop in %.0f s", timeout)
