"""Port naming (device path, hwid:, pyserial URLs) and the reconnect schedule."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator

import pytest
from pytestqt.qtbot import QtBot
from serial.tools.list_ports_common import ListPortInfo

from kiosk.devices import frame_codec
from kiosk.devices.base import EvaluatorState
from kiosk.devices.frame_codec import FrameDecoder, encode_frame
from kiosk.devices.frame_driver import FrameEvaluator
from kiosk.devices.port import ReconnectDelay, find_hwid, open_port, parse_hwid
from kiosk.domain.clock import ManualClock
from tests.devices.conftest import Recorder

WAIT_MS = 5000


def usb_port(device: str, vid: int, pid: int, serial_number: str | None = None) -> ListPortInfo:
    """A port description as serial.tools.list_ports builds it (a real ListPortInfo, filled in)."""
    info = ListPortInfo(device, skip_link_detection=True)
    info.vid, info.pid, info.serial_number = vid, pid, serial_number
    return info


PORTS = [
    usb_port("/dev/ttyUSB1", 0x0403, 0x6001, "A50285BI"),
    usb_port("/dev/ttyUSB0", 0x1A86, 0x7523),
    usb_port("/dev/ttyACM0", 0x10C4, 0xEA60, "0001"),
]


@pytest.mark.parametrize(
    ("name", "device"),
    [
        ("hwid:1A86:7523", "/dev/ttyUSB0"),
        ("hwid:1a86:7523", "/dev/ttyUSB0"),
        ("hwid:0403:6001:A50285BI", "/dev/ttyUSB1"),
        ("hwid:0403:6001:a50285bi", "/dev/ttyUSB1"),
        ("hwid:0403:6001:OTHER", None),
        ("hwid:10c4:ea60", "/dev/ttyACM0"),
        ("hwid:dead:beef", None),
    ],
)
def test_hwid_matching(name: str, device: str | None) -> None:
    assert find_hwid(name, PORTS) == device


@pytest.mark.parametrize("name", ["hwid:1A86", "hwid:xyz:7523", "hwid:"])
def test_bad_hwid_names(name: str) -> None:
    with pytest.raises(ValueError, match=r"hwid|hexadecimal"):
        parse_hwid(name)


def test_missing_usb_device_is_a_disconnected_evaluator(
    qtbot: QtBot, started: Callable[[FrameEvaluator], Recorder], clock: ManualClock
) -> None:
    driver = FrameEvaluator("hwid:DEAD:BEEF:NOPE", clock=clock)
    rec = started(driver)
    qtbot.waitUntil(lambda: rec.states == ["disconnected"], timeout=WAIT_MS)


def test_reconnect_schedule() -> None:
    delay = ReconnectDelay()
    assert [delay.after(s) for s in (0, 1, 30, 59.9, 60, 61, 3600)] == [1, 1, 1, 1, 5, 5, 5]


def test_loop_url_opens() -> None:
    port = open_port("loop://", 9600)
    try:
        port.write(b"abc")
        assert port.read(3) == b"abc"
    finally:
        port.close()


@pytest.fixture
def tcp_device() -> Iterator[tuple[str, list[socket.socket]]]:
    """A TCP listener standing in for a serial server: the test gets the accepted connection."""
    server = socket.create_server(("127.0.0.1", 0))
    accepted: list[socket.socket] = []

    def accept() -> None:
        conn, _ = server.accept()
        accepted.append(conn)

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"socket://127.0.0.1:{server.getsockname()[1]}", accepted
    for conn in accepted:
        conn.close()
    server.close()


def test_socket_url_carries_frames_both_ways(
    qtbot: QtBot,
    tcp_device: tuple[str, list[socket.socket]],
    started: Callable[[FrameEvaluator], Recorder],
    clock: ManualClock,
) -> None:
    url, accepted = tcp_device
    driver = FrameEvaluator(url, clock=clock)
    rec = started(driver)
    qtbot.waitUntil(lambda: driver.state == EvaluatorState.CONNECTED and bool(accepted), timeout=WAIT_MS)
    conn = accepted[0]
    conn.settimeout(5)
    conn.sendall(bytes.fromhex("AA 55 01 08 01 01 05 8B F3"))
    qtbot.waitUntil(lambda: len(rec.presses) == 1, timeout=WAIT_MS)
    received = FrameDecoder()
    frames: list[frame_codec.Frame] = []
    while not any(f.cmd == frame_codec.ACK for f in frames):
        frames += received.feed(conn.recv(256), 0.0)
    assert encode_frame(1, 8, frame_codec.ACK, b"\x01") in b"".join(f.encode() for f in frames)
    assert frames[0].cmd == frame_codec.QUERY
