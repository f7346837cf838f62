"""How the pad reaches its province over the network, for every call of either profile: the CA that signs
the province's certificate, a client certificate where the province asks for one, and a proxy
(`uplink.ca_file`, `client_cert`, `client_key`, `proxy`; cli.md).

Government networks often sign the province's certificate with their own CA, ask devices for a certificate,
or route them through a proxy. What the pad uses is exactly what its configuration says: nothing comes from
the environment (requests would otherwise take REQUESTS_CA_BUNDLE, HTTPS_PROXY or ~/.netrc from it, and a
pad that works from a technician's shell would fail under the service manager, or the other way round).
"""

from __future__ import annotations

import ssl
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests


class TransportError(ValueError):
    """A network setting that cannot work; `key` is the configuration key to mend."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(f"{key}: {message}")
        self.key = key


def system_ca_bundle() -> str | bool:
    """The operating system's CA bundle (OpenSSL's own file, not an environment variable's), or True for
    requests' own bundle where the system has none (a bundled pad on an unusual system)."""
    cafile = ssl.get_default_verify_paths().openssl_cafile
    return cafile if cafile and Path(cafile).is_file() else True


@dataclass(frozen=True)
class Transport:
    """The network settings of the uplink, with relative paths already resolved (in the data directory).

    Attributes:
        ca_file: a PEM bundle of the CA(s) that sign the province's certificate; "" for the system's.
        client_cert: the pad's certificate (PEM), where the province asks for one; "" for none.
        client_key: its private key (PEM).
        proxy: a proxy's URL; "" to go directly.
    """

    ca_file: str = ""
    client_cert: str = ""
    client_key: str = ""
    proxy: str = ""

    @classmethod
    def in_data_dir(
        cls, data_dir: Path, *, ca_file: str, client_cert: str, client_key: str, proxy: str
    ) -> Transport:
        """The settings as configured, a relative path taken in the data directory."""

        def resolve(path: str) -> str:
            return str(data_dir / path) if path else ""

        return cls(resolve(ca_file), resolve(client_cert), resolve(client_key), proxy)

    def options(self, url: str = "https:") -> dict[str, Any]:
        """What requests takes with each request to `url`'s scheme: `verify`, `cert` and `proxies`.

        Plain HTTP gets no TLS settings at all: requests looks at a CA path on the disk at every request it
        is given one with, even where no TLS follows, and a backlog is thousands of requests.
        """
        # Both schemes through the proxy, and never the environment's (the session does not trust it).
        proxies = {"http": self.proxy, "https": self.proxy} if self.proxy else {}
        if url.lower().startswith("http:"):
            return {"verify": True, "cert": None, "proxies": proxies}
        cert = (self.client_cert, self.client_key) if self.client_cert else None
        return {"verify": self.ca_file or system_ca_bundle(), "cert": cert, "proxies": proxies}

    def session(self) -> requests.Session:
        """A keep-alive session that takes nothing from the environment (no proxy, CA bundle or netrc)."""
        session = requests.Session()
        session.trust_env = False
        session.headers["User-Agent"] = "kiosk-pad"
        return session

    def check(self) -> None:
        """Whether the files can be used, at start (an unreadable CA would otherwise show only as a
        certificate error at the first call).

        Raises:
            TransportError: naming the key of the first file that is missing or not PEM, or a certificate
                without its key (or a key without its certificate).
        """
        if bool(self.client_cert) != bool(self.client_key):
            missing = "uplink.client_key" if self.client_cert else "uplink.client_cert"
            raise TransportError(missing, "uplink.client_cert and uplink.client_key go together: set both")
        for key, path, marker in (
            ("uplink.ca_file", self.ca_file, b"-----BEGIN CERTIFICATE-----"),
            ("uplink.client_cert", self.client_cert, b"-----BEGIN CERTIFICATE-----"),
            ("uplink.client_key", self.client_key, b"PRIVATE KEY-----"),
        ):
            if not path:
                continue
            try:
                data = Path(path).read_bytes()
            except OSError as exc:
                raise TransportError(key, f"cannot read {path}: {exc.strerror}") from None
            if marker not in data:
                raise TransportError(
                    key, f"{path} holds no PEM {'key' if key.endswith('key') else 'certificate'}"
                )
