"""HTTPS for the sandbox (`kiosk sandbox --tls DIR`): a throwaway CA and the certificates it signs.

The CA is made once in DIR and kept there while it is valid, so that a pad told to trust `DIR/ca.pem` keeps
trusting the sandbox across restarts; the server's certificate is made afresh at every start, for the names
and addresses a pad on this machine or the LAN may use. Tests can also require a client certificate, and
mint one from the same CA. Nothing here is meant for a real service.
"""

from __future__ import annotations

import datetime
import ipaddress
import os
import socket
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CA_FILE, CA_KEY_FILE = "ca.pem", "ca-key.pem"
SERVER_FILE, SERVER_KEY_FILE = "server.pem", "server-key.pem"
CA_VALIDITY = datetime.timedelta(days=365)
LEAF_VALIDITY = datetime.timedelta(days=30)
# A CA this close to its end is replaced rather than used to sign a certificate that would outlive it.
CA_RENEW_BEFORE = datetime.timedelta(days=31)
_CA_KEY_USAGE = x509.KeyUsage(
    digital_signature=False,
    content_commitment=False,
    key_encipherment=False,
    data_encipherment=False,
    key_agreement=False,
    key_cert_sign=True,
    crl_sign=True,
    encipher_only=False,
    decipher_only=False,
)


@dataclass(frozen=True)
class ServerTLS:
    """What the server needs for HTTPS.

    Attributes:
        certfile: the server's certificate (PEM).
        keyfile: its private key (PEM).
        ca: the CA's certificate, which clients trust.
        client_ca: when set, clients must present a certificate signed by this CA.
    """

    certfile: Path
    keyfile: Path
    ca: Path
    client_ca: Path | None = None


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


def _write_key(path: Path, key: ec.EllipticCurvePrivateKey) -> None:
    data = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as file:
        file.write(data)


def _write_cert(path: Path, cert: x509.Certificate) -> None:
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))


def _name(common_name: str) -> x509.Name:
    return x509.Name([
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "kiosk sandbox (not a real service)"),
        x509.NameAttribute(NameOID.COMMON_NAME, common_name),
    ])  # fmt: skip


def _load_ca(directory: Path) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey] | None:
    try:
        cert = x509.load_pem_x509_certificate((directory / CA_FILE).read_bytes())
        key = serialization.load_pem_private_key((directory / CA_KEY_FILE).read_bytes(), password=None)
    except (OSError, ValueError):
        return None
    if not isinstance(key, ec.EllipticCurvePrivateKey) or cert.not_valid_after_utc - _now() < CA_RENEW_BEFORE:
        return None
    if cert.public_key() != key.public_key():
        return None
    return cert, key


def ensure_ca(directory: Path) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    """The CA in `directory`, made (with the directory) when it is missing, unreadable or about to expire."""
    directory.mkdir(parents=True, exist_ok=True)
    found = _load_ca(directory)
    if found is not None:
        return found
    key = ec.generate_private_key(ec.SECP256R1())
    name = _name("kiosk sandbox throwaway CA")
    now = _now()
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + CA_VALIDITY)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_CA_KEY_USAGE, critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    _write_key(directory / CA_KEY_FILE, key)
    _write_cert(directory / CA_FILE, cert)
    return cert, key


def _leaf(
    ca: tuple[x509.Certificate, ec.EllipticCurvePrivateKey],
    common_name: str,
    usage: x509.ObjectIdentifier,
    names: list[x509.GeneralName],
) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    ca_cert, ca_key = ca
    key = ec.generate_private_key(ec.SECP256R1())
    now = _now()
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(min(now + LEAF_VALIDITY, ca_cert.not_valid_after_utc))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
    )
    if names:
        builder = builder.add_extension(x509.SubjectAlternativeName(names), critical=False)
    return builder.sign(ca_key, hashes.SHA256()), key


def _general_name(host: str) -> x509.GeneralName:
    try:
        return x509.IPAddress(ipaddress.ip_address(host.strip("[]")))
    except ValueError:
        return x509.DNSName(host)


def server_hosts(listen_host: str) -> list[str]:
    """The names a server certificate covers: loopback, this machine's name, and the address listened on
    unless it is a wildcard."""
    hosts = ["localhost", "127.0.0.1", "::1", socket.gethostname()]
    if listen_host not in {"", "0.0.0.0", "::"}:  # noqa: S104 (recognising the wildcard, not binding it)
        hosts.append(listen_host)
    return list(dict.fromkeys(host for host in hosts if host))


def make_server_tls(directory: Path, hosts: Iterable[str], *, require_client_cert: bool = False) -> ServerTLS:
    """The CA in `directory` (made when needed) and a fresh server certificate for `hosts`.

    Args:
        directory: where the CA, the server's certificate and their keys are written.
        hosts: DNS names and IP addresses for the certificate's subjectAltName.
        require_client_cert: clients must then present a certificate from the same CA (`mint_client_cert`).
    """
    ca = ensure_ca(directory)
    names = [_general_name(host) for host in dict.fromkeys(hosts)]
    cert, key = _leaf(ca, "kiosk sandbox", ExtendedKeyUsageOID.SERVER_AUTH, names)
    _write_key(directory / SERVER_KEY_FILE, key)
    _write_cert(directory / SERVER_FILE, cert)
    ca_path = directory / CA_FILE
    return ServerTLS(
        directory / SERVER_FILE,
        directory / SERVER_KEY_FILE,
        ca_path,
        ca_path if require_client_cert else None,
    )


def mint_client_cert(directory: Path, name: str = "client") -> tuple[Path, Path]:
    """A client certificate and its key from the CA in `directory`, as `NAME.pem` and `NAME-key.pem`.

    Returns:
        The certificate's path and the key's, as requests' `cert=` takes them.
    """
    cert, key = _leaf(ensure_ca(directory), name, ExtendedKeyUsageOID.CLIENT_AUTH, [])
    cert_path, key_path = directory / f"{name}.pem", directory / f"{name}-key.pem"
    _write_key(key_path, key)
    _write_cert(cert_path, cert)
    return cert_path, key_path
