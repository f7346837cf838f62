"""SerialScanner over real pseudo-terminals: line endings, overlong lines, URLs, refusals, hot-plug."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from kiosk.devices.port import ReconnectDelay
from kiosk.devices.scanner import Scanner, ScannerState, SerialScanner
from kiosk.devices.scanner_simulator import SimulatedScanner

WAIT_MS = 5000
PROJECT_NO = "35010220261127000123"
QR = f"https://hcp.example.gov.cn/m/evaluate?d=P-ABC&p={PROJECT_NO}&t=1796347840.Po-mTSDtWwGXwT9fdmP9xn"


class Recorder:
    def __init__(self, scanner: Scanner) -> None:
        self.cases: list[str] = []
        self.refusals: list[str] = []
        self.states: list[str] = []
        scanner.case_scanned.connect(self.cases.append)
        scanner.code_refused.connect(self.refusals.append)
        scanner.state_changed.connect(self.states.append)


@pytest.fixture
def sim() -> Iterator[SimulatedScanner]:
    scanner = SimulatedScanner()
    yield scanner
    scanner.close()


@pytest.fixture
def start() -> Iterator[Callable[..., tuple[SerialScanner, Recorder]]]:
    drivers: list[SerialScanner] = []

    def make(port: str, **options: Any) -> tuple[SerialScanner, Recorder]:
        driver = SerialScanner(port, delay=ReconnectDelay(fast_s=0.05), **options)
        recorder = Recorder(driver)
        drivers.append(driver)
        driver.start()
        return driver, recorder

    yield make
    for driver in drivers:
        driver.stop()


Start = Callable[..., tuple[SerialScanner, Recorder]]


def connected(qtbot: QtBot, driver: SerialScanner) -> None:
    qtbot.waitUntil(lambda: driver.state == ScannerState.CONNECTED, timeout=WAIT_MS)


@pytest.mark.parametrize("ending", [b"\r", b"\n", b"\r\n"])
def test_lines_end_in_cr_lf_or_both(qtbot: QtBot, sim: SimulatedScanner, start: Start, ending: bytes) -> None:
    driver, rec = start(sim.port)
    connected(qtbot, driver)
    sim.scan("FJ-2026_001", ending)
    sim.scan(PROJECT_NO, ending)
    qtbot.waitUntil(lambda: len(rec.cases) == 2, timeout=WAIT_MS)
    assert rec.cases == ["FJ-2026_001", PROJECT_NO]
    assert rec.refusals == []
    assert driver.diagnostics.frames_decoded == 2


def test_codes_split_and_joined_across_writes(qtbot: QtBot, sim: SimulatedScanner, start: Start) -> None:
    driver, rec = start(sim.port)
    connected(qtbot, driver)
    sim.write_raw(b"A1234")
    sim.write_raw(b"5\r\nB2\rC3\n")
    qtbot.waitUntil(lambda: len(rec.cases) == 3, timeout=WAIT_MS)
    assert rec.cases == ["A12345", "B2", "C3"]


def test_a_url_carrying_p_is_its_case_number(qtbot: QtBot, sim: SimulatedScanner, start: Start) -> None:
    driver, rec = start(sim.port)
    connected(qtbot, driver)
    sim.scan(f"  {QR} ")
    qtbot.waitUntil(lambda: rec.cases == [PROJECT_NO], timeout=WAIT_MS)


def test_an_overlong_line_is_dropped_and_counted(qtbot: QtBot, sim: SimulatedScanner, start: Start) -> None:
    driver, rec = start(sim.port)
    connected(qtbot, driver)
    sim.scan("https://hcp.example.gov.cn/m/evaluate?p=A1&x=" + "y" * 300)
    sim.scan("A" * 256 + "B")  # 257 characters: one too many
    sim.scan("Z" * 50)  # the longest projectNo, and the line after an overlong one, are whole
    qtbot.waitUntil(lambda: rec.cases == ["Z" * 50], timeout=WAIT_MS)
    assert driver.diagnostics.dropped_lines == 2
    assert rec.refusals == []


def test_a_line_of_256_is_kept(qtbot: QtBot, sim: SimulatedScanner, start: Start) -> None:
    driver, rec = start(sim.port)
    connected(qtbot, driver)
    url = "https://hcp.example.gov.cn/m/evaluate?p=A1&x="
    sim.scan(url + "y" * (256 - len(url)))
    qtbot.waitUntil(lambda: rec.cases == ["A1"], timeout=WAIT_MS)
    assert driver.diagnostics.dropped_lines == 0


def test_anything_else_is_refused_and_counted_without_being_logged(
    qtbot: QtBot, sim: SimulatedScanner, start: Start, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    driver, rec = start(sim.port)
    connected(qtbot, driver)
    secret = "hcpay:13800138000:350102199001011238"
    sim.scan(secret)
    sim.scan("不是编号")
    sim.write_raw(b"\xff\xfe\r")
    qtbot.waitUntil(lambda: len(rec.refusals) == 3, timeout=WAIT_MS)
    assert rec.refusals == ["not_a_case_number"] * 3
    assert driver.diagnostics.extra["refused_codes"] == 3
    assert rec.cases == []
    assert "13800138000" not in caplog.text
    assert "350102199001011238" not in caplog.text
    assert "is not a case number" in caplog.text


def test_unplug_and_replug(qtbot: QtBot, tmp_path: Path, start: Start) -> None:
    with SimulatedScanner(link=tmp_path / "scanner") as sim:
        driver, rec = start(sim.port)
        connected(qtbot, driver)
        sim.write_raw(b"HALF-A-CO")  # cut off by the unplug: never a code
        sim.unplug()
        qtbot.waitUntil(lambda: driver.state == ScannerState.DISCONNECTED, timeout=WAIT_MS)
        sim.replug()
        connected(qtbot, driver)
        sim.scan("A12345")
        qtbot.waitUntil(lambda: rec.cases == ["A12345"], timeout=WAIT_MS)
        assert driver.diagnostics.reconnects == 1
        assert rec.states == ["connected", "disconnected", "connected"]


def test_a_pyserial_url_works_as_a_port(qtbot: QtBot, start: Start) -> None:
    # socket:// reaches a scanner behind a serial server; here the test's own socket plays it.
    import socket

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    try:
        driver, rec = start(f"socket://127.0.0.1:{server.getsockname()[1]}")
        conn, _ = server.accept()
        with conn:
            connected(qtbot, driver)
            conn.sendall(b"A12345\r\n")
            qtbot.waitUntil(lambda: rec.cases == ["A12345"], timeout=WAIT_MS)
    finally:
        server.close()
