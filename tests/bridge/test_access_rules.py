"""kiosk/domain/access.py: what counts as an origin, an address range, a loopback host; who is let in."""

from __future__ import annotations

import ipaddress
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.config import ConfigError, build
from kiosk.domain.access import Access, check_network, check_origin, is_loopback_host, loopback_only
from tests.helpers.procs import run_kiosk

LABEL = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?", fullmatch=True)
HOST = st.one_of(
    st.lists(LABEL, min_size=1, max_size=4).map(".".join),
    st.ip_addresses(v=4).map(str),
    st.ip_addresses(v=6).map(lambda a: f"[{a}]"),
)


@given(scheme=st.sampled_from(["http", "https"]), host=HOST, port=st.none() | st.integers(1, 65535))
def test_an_origin_is_taken_exactly_as_a_browser_sends_it(scheme: str, host: str, port: int | None) -> None:
    default = {"http": 80, "https": 443}[scheme]
    sent = f"{scheme}://{host}" if port in (None, default) else f"{scheme}://{host}:{port}"
    assert check_origin(sent) == sent
    access = Access.from_settings([sent])
    assert access.allows_origin(sent)
    assert not access.allows_origin(sent + "0")
    if port == default:
        # The browser never writes the default port; so the list may not either, and says what to write.
        with pytest.raises(ValueError, match=re.escape(f'write "{sent}"')):
            check_origin(f"{scheme}://{host}:{port}")
    for other in (sent + "/", sent.upper(), sent + "/path", f" {sent}"):
        with pytest.raises(ValueError):
            check_origin(other)


@pytest.mark.parametrize(
    "bad", ["zhsl.example.gov.cn", "ftp://x.example", "http://", "http://a b", "null", ""]
)
def test_what_is_not_an_origin(bad: str) -> None:
    with pytest.raises(ValueError):
        check_origin(bad)


@given(
    network=st.ip_addresses(v=4).flatmap(
        lambda a: st.integers(0, 32).map(lambda p: ipaddress.ip_network(f"{a}/{p}", strict=False))
    ),
    client=st.ip_addresses(v=4),
)
def test_an_ipv4_client_is_let_in_by_its_range_also_when_mapped_into_ipv6(
    network: ipaddress.IPv4Network, client: ipaddress.IPv4Address
) -> None:
    access = Access.from_settings([], [str(network)])
    inside = client in network
    assert access.allows_address(str(client)) is inside
    # A dual-stack socket reports an IPv4 client as ::ffff:a.b.c.d.
    assert access.allows_address(f"::ffff:{client}") is inside


def test_ranges_and_addresses() -> None:
    access = Access.from_settings([], ["127.0.0.2/32", "10.1.2.0/24", "fd00::/8", "::1"])
    assert access.allows_address("127.0.0.2")
    assert not access.allows_address("127.0.0.1")
    assert access.allows_address("10.1.2.255") and not access.allows_address("10.1.3.0")
    assert access.allows_address("fd12::5") and access.allows_address("::1")
    assert not access.allows_address("fe80::1%eth0")
    assert not access.allows_address(None) and not access.allows_address("not an address")
    default = Access.from_settings()
    assert default.allows_address("127.0.0.1") and default.allows_address("127.9.9.9")
    assert default.allows_address("::1") and default.allows_address("::ffff:127.0.0.1")
    assert not default.allows_address("192.168.1.10")


def test_a_range_with_host_bits_names_the_range_meant() -> None:
    with pytest.raises(ValueError, match=re.escape('"10.1.2.0/24"')):
        check_network("10.1.2.30/24")
    with pytest.raises(ValueError, match="not an address"):
        check_network("pad.example")


def test_loopback_hosts_and_ranges() -> None:
    assert all(
        is_loopback_host(h) for h in ("127.0.0.1", "127.0.0.2", "::1", "[::1]", "localhost", "LOCALHOST")
    )
    assert not any(
        is_loopback_host(h) for h in ("0.0.0.0", "::", "10.1.2.3", "pad.example", "::ffff:10.0.0.1")
    )
    assert loopback_only(map(check_network, ["127.0.0.0/8", "::1", "127.0.0.2/32"]))
    assert not loopback_only(map(check_network, ["127.0.0.0/8", "10.1.2.0/24"]))


@pytest.mark.parametrize(
    ("bridge", "key"),
    [
        ({"allowed_origins": "http://a.example"}, "bridge.allowed_origins"),
        ({"allowed_origins": ["http://a.example/"]}, "bridge.allowed_origins"),
        ({"allowed_origins": [5]}, "bridge.allowed_origins"),
        ({"allow_from": []}, "bridge.allow_from"),
        ({"allow_from": ["10.1.2.3/24"]}, "bridge.allow_from"),
        ({"allow_from": ["pad.example"]}, "bridge.allow_from"),
        ({"host": "0.0.0.0"}, "bridge.allow_from"),
        ({"host": "10.1.2.3", "allow_from": ["127.0.0.2/32"]}, "bridge.allow_from"),
    ],
)
def test_bad_bridge_settings_name_the_key(bridge: dict[str, object], key: str) -> None:
    with pytest.raises(ConfigError) as raised:
        build({"bridge": bridge})
    assert raised.value.key == key


def test_the_bridge_settings() -> None:
    default = build({}).bridge
    assert (default.allowed_origins, default.allow_from) == ([], ["127.0.0.0/8", "::1"])
    lan = build(
        {"bridge": {"host": "0.0.0.0", "allow_from": ["10.1.2.0/24"], "allowed_origins": ["*"]}}
    ).bridge
    assert (lan.host, lan.allow_from, lan.allowed_origins) == ("0.0.0.0", ["10.1.2.0/24"], ["*"])
    assert build({}).to_toml()["bridge"]["allow_from"] == ["127.0.0.0/8", "::1"]


def test_a_lan_bridge_with_loopback_only_allow_from_stops_the_pad_naming_both_keys(tmp_path: Path) -> None:
    result = run_kiosk("run", "--headless", "--data-dir", str(tmp_path), "--set", 'bridge.host="0.0.0.0"')
    assert result.returncode == 2
    assert "bridge.host" in result.stderr and "bridge.allow_from" in result.stderr
    assert not (tmp_path / "kiosk.sqlite3").exists()
