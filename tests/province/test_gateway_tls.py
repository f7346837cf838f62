"""HTTPS for the sandbox: the throwaway CA, a pad that trusts it, one that does not, and client certificates."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from cryptography import x509

from kiosk.sync.fujian.case_xml import detail_case
from kiosk.sync.fujian.gateway import GatewayUnreachable
from kiosk.sync.transport import Transport
from province.server import SandboxServer
from province.tls import CA_FILE, ServerTLS, ensure_ca, make_server_tls, mint_client_cert, server_hosts
from tests.province.gateway_helpers import gateway_pad


def _serve(tmp_path: Path, tls: ServerTLS) -> Iterator[SandboxServer]:
    server = SandboxServer(tmp_path / "sandbox.sqlite3", tls=tls)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def https(tmp_path: Path) -> Iterator[SandboxServer]:
    yield from _serve(tmp_path, make_server_tls(tmp_path / "tls", server_hosts("127.0.0.1")))


@pytest.fixture
def mutual(tmp_path: Path) -> Iterator[SandboxServer]:
    tls = make_server_tls(tmp_path / "tls", server_hosts("127.0.0.1"), require_client_cert=True)
    yield from _serve(tmp_path, tls)


def _ca(server: SandboxServer) -> str:
    assert server.tls is not None
    return str(server.tls.ca)


def test_a_pad_that_trusts_the_ca_reaches_the_gateway(
    https: SandboxServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # requests lets this variable override a session's verify; the client passes its CA with each request.
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", ssl.get_default_verify_paths().openssl_cafile)
    assert https.gateway_url.startswith("https://127.0.0.1:")
    pad = gateway_pad(https, transport=Transport(ca_file=_ca(https)))
    assert pad.client.call("getEvaluationDetail", detail_case("P1")).code == "500"
    assert requests.get(f"{https.url}/sandbox/stats", verify=_ca(https), timeout=10).status_code == 200


def test_a_pad_without_the_ca_gets_a_certificate_error(https: SandboxServer) -> None:
    with pytest.raises(requests.exceptions.SSLError, match="CERTIFICATE_VERIFY_FAILED"):
        requests.get(f"{https.url}/sandbox/stats", timeout=10)
    pad = gateway_pad(https)
    with pytest.raises(GatewayUnreachable, match="token call: SSLError"):
        pad.client.token()


def test_plain_http_to_the_https_port_gets_no_answer(https: SandboxServer) -> None:
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get(https.url.replace("https://", "http://") + "/sandbox/stats", timeout=10)


def test_a_required_client_certificate_is_checked(mutual: SandboxServer, tmp_path: Path) -> None:
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get(f"{mutual.url}/sandbox/stats", verify=_ca(mutual), timeout=10)

    cert = mint_client_cert(tmp_path / "tls", "pad")
    pad = gateway_pad(mutual, transport=Transport(_ca(mutual), str(cert[0]), str(cert[1])))
    assert pad.client.call("getEvaluationDetail", detail_case("P1")).code == "500"


def test_a_client_certificate_from_another_ca_is_refused(mutual: SandboxServer, tmp_path: Path) -> None:
    stranger = mint_client_cert(tmp_path / "elsewhere", "stranger")
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get(f"{mutual.url}/sandbox/stats", verify=_ca(mutual), cert=stranger, timeout=10)


def test_the_ca_is_kept_and_the_server_certificate_names_its_hosts(tmp_path: Path) -> None:
    first = ensure_ca(tmp_path)[0]
    tls = make_server_tls(tmp_path, ["localhost", "127.0.0.1", "10.0.0.7", "pad-host.lan"])

    assert x509.load_pem_x509_certificate((tmp_path / CA_FILE).read_bytes()) == first
    server = x509.load_pem_x509_certificate(tls.certfile.read_bytes())
    names = server.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert names.get_values_for_type(x509.DNSName) == ["localhost", "pad-host.lan"]
    assert [str(ip) for ip in names.get_values_for_type(x509.IPAddress)] == ["127.0.0.1", "10.0.0.7"]
    assert server.issuer == first.subject
    assert (tls.keyfile.stat().st_mode & 0o777) == 0o600
    # Python's own strict verification takes the chain.
    context = ssl.create_default_context(cafile=str(tls.ca))
    context.load_cert_chain(tls.certfile, tls.keyfile)


def test_the_wildcard_address_is_not_a_certificate_name() -> None:
    assert "0.0.0.0" not in server_hosts("0.0.0.0")
    assert "192.168.1.20" in server_hosts("192.168.1.20")
    assert {"localhost", "127.0.0.1", "::1"} <= set(server_hosts(""))
