"""What the doctor looks at outside the pad's own objects: serial ports, the evaluator on its port, the
province, and a running pad's bridge. Each probe is short, bounded in time, and reads no personal data."""

from __future__ import annotations

import email.utils
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import requests
import serial
from serial.tools import list_ports

from kiosk.devices import frame_codec
from kiosk.devices.frame_codec import FrameDecoder, encode_frame
from kiosk.devices.line_codec import LineDecoder, StatusLine, parse_line
from kiosk.devices.port import HWID_PREFIX, PortNotFound, open_port
from kiosk.sync.signing import signed_headers
from kiosk.sync.transport import Transport

PROBE_WAIT_S = 2.0
QUERY_SEQ = 0xD0  # any SEQ will do; one the pad's own counter rarely holds makes a stray reply obvious


@dataclass(frozen=True)
class PortInfo:
    """A serial port the system lists (`serial.tools.list_ports`)."""

    device: str
    description: str = ""
    vid: int | None = None
    pid: int | None = None
    serial_number: str | None = None

    @property
    def usb_id(self) -> str:
        """`VID:PID` in hexadecimal, or "" for a port with no USB identity."""
        if self.vid is None or self.pid is None:
            return ""
        return f"{self.vid:04X}:{self.pid:04X}"

    @property
    def hwid_name(self) -> str:
        """The `hwid:` name that finds this device again wherever it is plugged in ("" without USB)."""
        if not self.usb_id:
            return ""
        return f"{HWID_PREFIX}{self.usb_id}" + (f":{self.serial_number}" if self.serial_number else "")

    def summary(self) -> str:
        parts = [p for p in (self.description if self.description != "n/a" else "", self.usb_id) if p]
        if self.serial_number:
            parts.append(f"serial {self.serial_number}")
        return f"{self.device} ({', '.join(parts)})" if parts else self.device


def serial_ports() -> list[PortInfo]:
    """The serial ports the system has now, by device path."""
    ports = [
        PortInfo(str(p.device), str(p.description or ""), p.vid, p.pid, p.serial_number or None)
        for p in list_ports.comports()
    ]
    return sorted(ports, key=lambda p: p.device)


@dataclass(frozen=True)
class DeviceAnswer:
    """What opening the evaluator's port briefly showed.

    Attributes:
        opened: the port opened.
        answered: the device said something of itself (a STATUS frame or an `S` line).
        detail: what it said, or what was missing.
        error: why the port did not open.
        not_found: the port does not exist (a `hwid:` name matching nothing, a missing path).
    """

    opened: bool
    answered: bool = False
    detail: str = ""
    error: str = ""
    not_found: bool = False


def probe_evaluator(
    protocol: str, port: str, baud: int, address: int, wait_s: float = PROBE_WAIT_S
) -> DeviceAnswer:
    """Opens the port, asks a frame device for its STATUS (an ascii one is listened to), and closes it.

    Only when no pad runs on the data directory: the pad owns the port while it runs.
    """
    try:
        port_handle = open_port(port, baud, timeout=0.05)
    except PortNotFound as exc:
        return DeviceAnswer(False, error=str(exc), not_found=True)
    except (serial.SerialException, OSError, ValueError) as exc:
        text = str(exc)
        return DeviceAnswer(False, error=text, not_found="No such file" in text)
    try:
        if protocol == "frame":
            return _ask_frame_device(port_handle, address, wait_s)
        return _listen_ascii_device(port_handle, wait_s)
    except (serial.SerialException, OSError) as exc:
        return DeviceAnswer(True, error=str(exc))
    finally:
        port_handle.close()


def _ask_frame_device(port: Any, address: int, wait_s: float) -> DeviceAnswer:
    port.write(encode_frame(address, QUERY_SEQ, frame_codec.QUERY))
    decoder = FrameDecoder()
    deadline = time.monotonic() + wait_s
    others = 0
    while time.monotonic() < deadline:
        for frame in decoder.feed(port.read(64)):
            if frame.addr != address:
                others += 1
            elif frame.cmd == frame_codec.STATUS and len(frame.data) >= 4:
                major, minor, flags, buttons = frame.data[:4]
                features = [
                    name
                    for flag, name in ((frame_codec.FLAG_VOICE, "voice"), (frame_codec.FLAG_LEDS, "LEDs"))
                    if flags & flag
                ]
                return DeviceAnswer(
                    True,
                    True,
                    f"STATUS from address {address}: firmware {major}.{minor}, {buttons} buttons"
                    + (f", {' and '.join(features)}" if features else ""),
                )
    detail = f"no STATUS from address {address} within {wait_s:g} s"
    if others:
        detail += f" ({others} frames from other addresses: is evaluator.address right?)"
    elif decoder.crc_errors or decoder.framing_errors or decoder.skipped:
        detail += " (bytes that are not EVP/1 frames arrived: is the baud rate or the protocol right?)"
    return DeviceAnswer(True, False, detail)


def _listen_ascii_device(port: Any, wait_s: float) -> DeviceAnswer:
    decoder: LineDecoder[Any] = LineDecoder(parse_line)
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        for line in decoder.feed(port.read(64)):
            if isinstance(line, StatusLine):
                return DeviceAnswer(True, True, f"status line {line.text!r}")
    if decoder.dropped:
        return DeviceAnswer(
            True, False, "lines that are not the ascii protocol arrived: is the baud rate right?"
        )
    return DeviceAnswer(True, False, f"no status line within {wait_s:g} s")


@dataclass(frozen=True)
class UplinkAnswer:
    """What one request to the province showed.

    Attributes:
        reachable: an HTTP answer came.
        status: its HTTP status.
        code: the spec's error code in the answer, or "".
        offset_s: the province's clock minus the pad's, in seconds, when the answer told it.
        offset_exact: whether it came from the province's `serverTime` (else from its Date header, which
            counts whole seconds).
        config_version: the configuration's version (a signed request the province accepted).
        error: why no answer came.
    """

    reachable: bool
    status: int = 0
    code: str = ""
    offset_s: float | None = None
    config_version: str = ""
    error: str = ""
    offset_exact: bool = False


def probe_uplink(
    url: str,
    device_id: str,
    secret: bytes | None,
    timeout_s: float,
    now: Callable[[], float] = time.time,
    transport: Transport | None = None,
) -> UplinkAnswer:
    """GETs the device's configuration, signed with the device's key when it has one (unsigned, the
    province answers 401, which still shows it is reachable and what its clock says).

    A `clock_skew` answer carries the province's time; the request is then made once more with it, so
    that the signature itself is checked too. The request goes as the pad's own do (`transport`: its CA,
    client certificate and proxy).
    """
    target = f"{url.rstrip('/')}/devices/{quote(device_id, safe='')}/config"
    transport = transport or Transport()
    options = transport.options(url)
    with transport.session() as session:
        session.headers["User-Agent"] = "kiosk-doctor"
        try:
            answer = _get_config(session, target, device_id, secret, timeout_s, now, 0.0, options)
            if answer.code == "clock_skew" and answer.offset_s is not None:
                retried = _get_config(
                    session, target, device_id, secret, timeout_s, now, answer.offset_s, options
                )
                answer = UplinkAnswer(
                    True,
                    retried.status,
                    retried.code,
                    answer.offset_s,
                    retried.config_version,
                    offset_exact=True,
                )
        except requests.RequestException as exc:
            return UplinkAnswer(False, error=describe_request_error(exc, timeout_s))
    return answer


def _get_config(
    session: requests.Session,
    target: str,
    device_id: str,
    secret: bytes | None,
    timeout_s: float,
    now: Callable[[], float],
    offset_s: float,
    options: dict[str, Any],
) -> UplinkAnswer:
    request = session.prepare_request(requests.Request("GET", target))
    if secret is not None:
        assert request.path_url is not None
        request.headers.update(
            signed_headers(device_id, secret, "GET", request.path_url, int(now() + offset_s), b"")
        )
    sent = now()
    response = session.send(request, timeout=timeout_s, **options)
    middle = (sent + now()) / 2
    try:
        decoded = response.json()
    except ValueError:
        decoded = None
    body: dict[str, Any] = decoded if isinstance(decoded, dict) else {}
    error: dict[str, Any] = body["error"] if isinstance(body.get("error"), dict) else {}
    offset, exact = answer_offset(response, body, middle)
    return UplinkAnswer(
        True,
        response.status_code,
        str(error.get("code") or ""),
        offset,
        str(body.get("configVersion") or "") if response.status_code == 200 else "",
        offset_exact=exact,
    )


def answer_offset(
    response: requests.Response, body: dict[str, Any], middle: float
) -> tuple[float | None, bool]:
    """The province's clock minus ours, and whether exactly: from `serverTime` when the answer has it, else
    from its Date header (whole seconds, so within a second or two)."""
    server_time = body.get("serverTime")
    if isinstance(server_time, int | float) and not isinstance(server_time, bool):
        return float(server_time) - middle, True
    header = response.headers.get("Date", "")
    try:
        when = email.utils.parsedate_to_datetime(header)
    except (TypeError, ValueError, IndexError):
        return None, False
    return (when.timestamp() - middle if when.tzinfo is not None else None), False


def describe_request_error(exc: requests.RequestException, timeout_s: float) -> str:
    """A short reason for a failed request, without the URL's query or any body."""
    text = str(exc)
    if isinstance(exc, requests.Timeout):
        return f"no answer within {timeout_s:g} s"
    if isinstance(exc, requests.exceptions.SSLError):
        return "the TLS handshake failed (the TLS line says why)"
    if "Connection refused" in text:
        return "connection refused"
    if "Name or service not known" in text or "getaddrinfo" in text or "NameResolution" in text:
        return "the host name does not resolve"
    if "Network is unreachable" in text or "No route to host" in text:
        return "the network is unreachable"
    return exc.__class__.__name__


def bridge_status(host: str, port: int, token: str, timeout_s: float = 3.0) -> dict[str, Any]:
    """A running pad's `GET /api/v1/status` (counter-bridge-api.md), over loopback where it listens on all
    addresses.

    Raises:
        requests.RequestException: no answer.
        ValueError: an answer that is not the status.
    """
    target = "127.0.0.1" if host in ("0.0.0.0", "") else "::1" if host == "::" else host  # noqa: S104
    netloc = f"[{target}]" if ":" in target else target
    response = requests.get(
        f"http://{netloc}:{port}/api/v1/status",
        headers={"Authorization": f"Bearer {token}"},
        timeout=timeout_s,
    )
    if response.status_code != 200:
        raise ValueError(f"HTTP {response.status_code}")
    value = response.json()
    if not isinstance(value, dict):
        raise ValueError("not a JSON object")
    return value
