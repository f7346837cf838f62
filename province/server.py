"""`SandboxServer`: the sandbox service on a background thread, for the pad's demo and for tests.

The listening socket is bound before uvicorn starts, so that `port=0` gets a free port whose number is known
at once, and `start()` returns only once the service accepts requests.
"""

from __future__ import annotations

import logging
import socket
import ssl
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any

import uvicorn

from province.app import create_app
from province.faults import DROP_LOG_MESSAGE, GATEWAY_PREFIX, FaultPlan
from province.store import DEFAULT_DB, SandboxStore
from province.tls import ServerTLS

START_TIMEOUT_S = 10.0
STOP_TIMEOUT_S = 3.0


class _ExpectedDrops(logging.Filter):
    """Hides uvicorn's complaint about a response left incomplete: with drop faults, that is the point."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != DROP_LOG_MESSAGE


class SandboxServer:
    """The sandbox service, served by uvicorn on a thread of this process.

    The port is bound when the object is made (so `port` and `url` are known at once); `stop()` releases it,
    whether or not the server was started.

    Args:
        store_path: the SQLite file (created with the demo hall when missing).
        host: the address to listen on.
        port: the port; 0 for a free one.
        faults: failures to inject, or None.
        clock: the server's time in unix seconds (tests may hold it still).
        access_log: whether uvicorn logs each request (to the `uvicorn.access` logger, never to stdout).
        tls: serve HTTPS with these files (`province.tls`), requiring a client certificate when they say so;
            None serves plain HTTP.
    """

    def __init__(
        self,
        store_path: str | Path = DEFAULT_DB,
        host: str = "127.0.0.1",
        port: int = 0,
        faults: FaultPlan | None = None,
        *,
        clock: Callable[[], float] = time.time,
        access_log: bool = False,
        tls: ServerTLS | None = None,
    ) -> None:
        self.host = host
        self.faults = faults
        self.tls = tls
        self.store = SandboxStore(store_path, clock=clock, quote_share=faults.quote if faults else 0.0)
        self._socket = _listen(host, port)
        self.port: int = self._socket.getsockname()[1]
        scheme = "https" if tls is not None else "http"
        self.public_url = f"{scheme}://{_url_host(host)}:{self.port}"
        app = create_app(self.store, faults, public_url=self.public_url)
        config = uvicorn.Config(
            app,
            log_config=None,  # the embedding program owns logging; uvicorn's default writes to stdout
            access_log=access_log,
            lifespan="off",
            http="h11",
            ws="none",
            timeout_graceful_shutdown=int(STOP_TIMEOUT_S),
            **_ssl_options(tls),
        )
        self._server = uvicorn.Server(config)
        self._thread: threading.Thread | None = None
        self._drop_filter = _ExpectedDrops()

    @property
    def url(self) -> str:
        """The base URL of the API, e.g. `http://127.0.0.1:8700/api/v1`."""
        return f"{self.public_url}/api/v1"

    @property
    def gateway_url(self) -> str:
        """The Fujian gateway double's base URL (`uplink.fujian.gateway`), e.g.
        `http://127.0.0.1:8700/api-gateway/gateway`."""
        return f"{self.public_url}{GATEWAY_PREFIX}"

    def start(self) -> str:
        """Starts serving and returns the base URL once the service accepts requests.

        Raises:
            RuntimeError: when uvicorn does not start within 10 s.
        """
        if self.faults is not None and self.faults.drop > 0:
            logging.getLogger("uvicorn.error").addFilter(self._drop_filter)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._socket]}, name="province-sandbox", daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + START_TIMEOUT_S
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("the sandbox service did not start")
            time.sleep(0.01)
        return self.url

    def stop(self) -> None:
        """Stops serving (open connections get a couple of seconds to finish) and closes the store."""
        if self._thread is not None:
            self._server.should_exit = True
            self._thread.join(STOP_TIMEOUT_S)
            if self._thread.is_alive():
                self._server.force_exit = True
                self._thread.join(STOP_TIMEOUT_S)
            self._thread = None
        self._socket.close()
        logging.getLogger("uvicorn.error").removeFilter(self._drop_filter)
        self.store.close()

    def __enter__(self) -> SandboxServer:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def _listen(host: str, port: int) -> socket.socket:
    family, kind, proto, _, address = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP, flags=socket.AI_PASSIVE
    )[0]
    # The protocol must be explicit: asyncio turns Nagle off (TCP_NODELAY) only on sockets whose proto is
    # IPPROTO_TCP, and accepted sockets inherit it. With proto 0 (socket.create_server) every answer, whose
    # headers and body go out as two writes, waits ~40 ms for the client's delayed ACK.
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    return sock


def _ssl_options(tls: ServerTLS | None) -> dict[str, Any]:
    if tls is None:
        return {}
    options: dict[str, Any] = {"ssl_certfile": str(tls.certfile), "ssl_keyfile": str(tls.keyfile)}
    if tls.client_ca is not None:
        options |= {"ssl_ca_certs": str(tls.client_ca), "ssl_cert_reqs": ssl.CERT_REQUIRED}
    return options


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host
