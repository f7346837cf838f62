"""The province's TLS, as a technician needs to see it: whose certificate it is and until when, and when the
pad cannot use it, exactly why and which key mends it (`uplink.ca_file`, `client_cert`, `client_key`).

Government networks often sign the province's certificate with their own CA, or ask devices for a
certificate of their own; a pad that says only "SSLError" leaves the technician guessing. The probe makes
the pad's own handshake (its CA, its client certificate, through its proxy), once more without checking
the certificate so that it can be shown even when it is not trusted, and sends one request, because a
server that wants a client certificate may say so only after the handshake (TLS 1.3).
"""

from __future__ import annotations

import base64
import socket
import ssl
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

from cryptography import x509

from kiosk.sync.transport import Transport, system_ca_bundle
from kiosk.technician.checks import Check, Status

EXPIRY_WARNING_DAYS = 14
# OpenSSL's verify codes (X509_V_ERR_*) for a chain that ends in a CA the pad does not know.
_UNKNOWN_CA = {2, 18, 19, 20, 21}
_EXPIRED, _NOT_YET_VALID, _HOSTNAME = 10, 9, 62


@dataclass(frozen=True)
class PeerCertificate:
    """The province's certificate, as read off the handshake."""

    subject: str
    issuer: str
    not_after: datetime

    def summary(self, now: datetime) -> str:
        days = (self.not_after - now).days
        return f"{self.subject}, issued by {self.issuer}, valid until {self.not_after:%Y-%m-%d} ({days} days)"


@dataclass(frozen=True)
class TlsProbe:
    """What the pad's handshake with the province showed.

    Attributes:
        host: the host and port probed.
        certificate: the certificate the province presented, when the handshake got that far.
        problem: why the pad cannot use the connection, for the doctor's line ("" when it can).
        advice: what mends it.
    """

    host: str
    certificate: PeerCertificate | None = None
    problem: str = ""
    advice: str = ""


def probe_tls(url: str, transport: Transport, timeout_s: float) -> TlsProbe | None:  # noqa: PLR0911 - one answer per way a handshake fails
    """The handshake with an https:// URL's host, as the pad makes it; None for plain HTTP."""
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        return None
    host, port = parts.hostname, parts.port or 443
    where = f"{host}:{port}"
    certificate = _peer_certificate(host, port, transport, timeout_s)
    try:
        context = _context(transport)
    except (OSError, ssl.SSLError, ValueError) as exc:
        return TlsProbe(where, certificate, f"the pad's TLS files cannot be used ({exc})", _FILES_ADVICE)
    try:
        with (
            _connect(host, port, transport, timeout_s) as raw,
            context.wrap_socket(raw, server_hostname=host) as tls,
        ):
            tls.sendall(f"HEAD / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
            answered = tls.recv(16)
    except ssl.SSLCertVerificationError as exc:
        return _verify_failure(where, certificate, exc)
    except ssl.SSLError as exc:
        return _alert(where, certificate, exc, transport)
    except OSError as exc:
        return TlsProbe(where, certificate, f"no connection ({exc.strerror or type(exc).__name__})", "")
    if not answered:
        if transport.client_cert:
            return TlsProbe(
                where,
                certificate,
                "the province closed the connection without an answer: it does not take the pad's certificate",
                "ask the province's network administrators which CA must sign the pad's certificate "
                "(uplink.client_cert)",
            )
        return TlsProbe(
            where,
            certificate,
            "the province closed the connection after the handshake: it asks for a client certificate",
            _CLIENT_CERT_ADVICE,
        )
    return TlsProbe(where, certificate)


_FILES_ADVICE = (
    "check uplink.ca_file, uplink.client_cert and uplink.client_key (PEM files the pad's user can read)"
)
_CLIENT_CERT_ADVICE = (
    "set uplink.client_cert and uplink.client_key to the certificate and key the province issued for this pad"
)


def check_tls(probe: TlsProbe | None, url: str, now: datetime) -> Check:
    """The doctor's TLS line for a probe."""
    if probe is None:
        return Check("TLS", Status.OK, f"{url}: plain HTTP, no certificate")
    if probe.problem:
        shown = f" (its certificate: {probe.certificate.summary(now)})" if probe.certificate else ""
        return Check("TLS", Status.FAIL, f"{probe.problem}{shown}", probe.advice)
    assert probe.certificate is not None, "a handshake that succeeded read the certificate"
    found = f"{probe.host}: certificate {probe.certificate.summary(now)}"
    if (probe.certificate.not_after - now).days < EXPIRY_WARNING_DAYS:
        return Check("TLS", Status.WARN, found, "the province's certificate expires soon: tell its support")
    return Check("TLS", Status.OK, found)


def _verify_failure(
    where: str, certificate: PeerCertificate | None, exc: ssl.SSLCertVerificationError
) -> TlsProbe:
    code = exc.verify_code
    if code in _UNKNOWN_CA:
        return TlsProbe(
            where,
            certificate,
            "certificate signed by an unknown CA",
            "set uplink.ca_file to the certificate (PEM) of the CA that signs the province's certificate; "
            "the province's network administrators have it",
        )
    if code in (_EXPIRED, _NOT_YET_VALID):
        state = "has expired" if code == _EXPIRED else "is not valid yet"
        return TlsProbe(
            where,
            certificate,
            f"the province's certificate {state} by the pad's clock",
            "check the pad's clock (kiosk doctor's clock line); if it is right, tell the province's support",
        )
    if code == _HOSTNAME:
        return TlsProbe(
            where,
            certificate,
            f"the certificate is not for {where.rpartition(':')[0]}",
            "use the address the certificate names in uplink.url or uplink.fujian.gateway",
        )
    return TlsProbe(
        where, certificate, f"the certificate is refused: {exc.verify_message}", "tell the province's support"
    )


def _alert(
    where: str, certificate: PeerCertificate | None, exc: ssl.SSLError, transport: Transport
) -> TlsProbe:
    reason = (exc.reason or "").upper()
    if "CERTIFICATE_REQUIRED" in reason or ("HANDSHAKE_FAILURE" in reason and not transport.client_cert):
        return TlsProbe(where, certificate, "the province asks for a client certificate", _CLIENT_CERT_ADVICE)
    if transport.client_cert and ("UNKNOWN_CA" in reason or "BAD_CERTIFICATE" in reason):
        return TlsProbe(
            where,
            certificate,
            f"the province refuses the pad's certificate ({exc.reason})",
            "ask the province's network administrators which CA must sign it (uplink.client_cert)",
        )
    return TlsProbe(
        where, certificate, f"the TLS handshake failed ({exc.reason or exc})", "tell the province's support"
    )


def _context(transport: Transport) -> ssl.SSLContext:
    bundle = transport.ca_file or system_ca_bundle()
    context = ssl.create_default_context(cafile=bundle if isinstance(bundle, str) else None)
    if bundle is True:
        import certifi

        context.load_verify_locations(certifi.where())
    if transport.client_cert:
        context.load_cert_chain(transport.client_cert, transport.client_key)
    return context


def _peer_certificate(host: str, port: int, transport: Transport, timeout_s: float) -> PeerCertificate | None:
    """The certificate the province presents, read without checking it (to be shown, never trusted)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    try:
        with (
            _connect(host, port, transport, timeout_s) as raw,
            context.wrap_socket(raw, server_hostname=host) as tls,
        ):
            der = tls.getpeercert(binary_form=True)
    except (OSError, ssl.SSLError):
        return None
    if not der:
        return None
    cert = x509.load_der_x509_certificate(der)
    return PeerCertificate(
        cert.subject.rfc4514_string(), cert.issuer.rfc4514_string(), cert.not_valid_after_utc
    )


def _connect(host: str, port: int, transport: Transport, timeout_s: float) -> socket.socket:
    """A TCP connection to the host, through the pad's HTTP proxy when it has one (CONNECT)."""
    if not transport.proxy:
        return socket.create_connection((host, port), timeout=timeout_s)
    proxy = urlsplit(transport.proxy)
    if proxy.scheme not in ("http", "https") or not proxy.hostname:
        raise OSError(f"the TLS probe goes through HTTP proxies only, not {proxy.scheme}")
    sock = socket.create_connection((proxy.hostname, proxy.port or 8080), timeout=timeout_s)
    request = f"CONNECT {host}:{port} HTTP/1.1\r\nHost: {host}:{port}\r\n"
    if proxy.username:
        credentials = f"{proxy.username}:{proxy.password or ''}".encode()
        request += f"Proxy-Authorization: Basic {base64.b64encode(credentials).decode()}\r\n"
    sock.sendall((request + "\r\n").encode())
    answer = b""
    while b"\r\n\r\n" not in answer and len(answer) < 8192:
        chunk = sock.recv(1024)
        if not chunk:
            break
        answer += chunk
    first_line = answer.partition(b"\r\n")[0].decode("latin-1")
    if first_line.split(" ")[1:2] != ["200"]:
        sock.close()
        raise OSError(f"the proxy refused CONNECT ({first_line})")
    return sock


def now_utc() -> datetime:
    return datetime.now(UTC)
