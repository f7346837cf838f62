"""Who may call the bridge: client addresses (`bridge.allow_from`) and web pages' origins
(`bridge.allowed_origins`), counter-bridge-api.md "Calling from a web page, and from another machine".

Pure rules on strings and the stdlib's `ipaddress`; kiosk/config.py checks the configuration with them and
the bridge's guard (kiosk/bridge/guard.py) applies them to each request.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from dataclasses import dataclass

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address

ANY_ORIGIN = "*"
DEFAULT_ALLOW_FROM = ("127.0.0.0/8", "::1")
_DEFAULT_PORTS = {"http": 80, "https": 443}
# What a browser sends in Origin: a lower-case scheme and host, the port only when it is not the scheme's
# default, nothing after it (RFC 6454 §6.2). A host is a name, an IPv4 address or a bracketed IPv6 one.
_ORIGIN = re.compile(r"(?P<scheme>https?)://(?P<host>[a-z0-9.\-]+|\[[0-9a-f:.]+\])(?::(?P<port>\d{1,5}))?")


def check_origin(value: str) -> str:
    """An entry of `bridge.allowed_origins`: `*`, or an origin exactly as a browser sends it.

    Origins are compared exactly, so a form a browser never sends would never match: it is refused, with
    the form that would.

    Raises:
        ValueError: naming the problem.
    """
    if value == ANY_ORIGIN:
        return value
    text = value.strip().lower().rstrip("/")
    match = _ORIGIN.fullmatch(text)
    if match is None:
        raise ValueError(
            f'{value!r} is not an origin: write scheme://host[:port], e.g. "http://zhsl.example.gov.cn:8080", '
            "with nothing after it"
        )
    port = match["port"]
    if port is not None and not 1 <= int(port) <= 65535:
        raise ValueError(f"{value!r}: the port must be from 1 to 65535")
    if port is not None and int(port) == _DEFAULT_PORTS[match["scheme"]]:
        text = f"{match['scheme']}://{match['host']}"
    if text != value:
        raise ValueError(f'{value!r} is never sent by a browser; write "{text}"')
    return value


def check_network(value: str) -> Network:
    """An entry of `bridge.allow_from`: an address (`10.1.2.3`, `::1`) or a CIDR range (`10.1.2.0/24`).

    Raises:
        ValueError: naming the problem.
    """
    try:
        return ipaddress.ip_network(value.strip(), strict=True)
    except ValueError:
        pass
    try:
        loose = ipaddress.ip_network(value.strip(), strict=False)
    except ValueError:
        raise ValueError(
            f'{value!r} is not an address or a range: write e.g. "10.1.2.30" or "10.1.2.0/24"'
        ) from None
    raise ValueError(f'{value!r} has host bits set: the range is "{loose}"')


def is_loopback_host(host: str) -> bool:
    """Whether binding `bridge.host` keeps the bridge on this machine: a loopback address or `localhost`.

    Any other name could resolve to an address other machines reach, so it counts as not loopback.
    """
    name = host.strip().strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return _plain(ipaddress.ip_address(name)).is_loopback
    except ValueError:
        return False


def loopback_only(networks: Iterable[Network]) -> bool:
    """Whether every range is loopback, so that no other machine could ever be let in."""
    return all(network.is_loopback for network in networks)


def _plain(address: Address) -> Address:
    """An IPv4-mapped IPv6 address (`::ffff:10.1.2.3`, what a dual-stack socket reports) as its IPv4 one."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


@dataclass(frozen=True)
class Access:
    """The bridge's lists, parsed once.

    Args:
        origins: the origins whose pages may call the bridge, or `*` among them for any.
        networks: the client addresses that may connect.
    """

    origins: frozenset[str]
    networks: tuple[Network, ...]

    @classmethod
    def from_settings(
        cls, allowed_origins: Iterable[str] = (), allow_from: Iterable[str] = DEFAULT_ALLOW_FROM
    ) -> Access:
        """From the configuration's strings.

        Raises:
            ValueError: an entry that is not an origin or an address range.
        """
        origins = frozenset(check_origin(origin) for origin in allowed_origins)
        return cls(origins, tuple(check_network(entry) for entry in allow_from))

    def allows_address(self, host: str | None) -> bool:
        """Whether a client at `host` (the socket's peer address) may connect."""
        if host is None:
            return False
        try:
            address = _plain(ipaddress.ip_address(host.split("%", 1)[0]))
        except ValueError:
            return False
        return any(address.version == network.version and address in network for network in self.networks)

    def allows_origin(self, origin: str) -> bool:
        """Whether a page of `origin` may call the bridge; compared exactly, as the browser sent it."""
        return ANY_ORIGIN in self.origins or origin in self.origins
