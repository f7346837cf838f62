"""`kiosk idcard simulate`, `kiosk idcard monitor` and `kiosk scanner simulate` as a technician runs them."""

from __future__ import annotations

import json
import signal
from datetime import datetime
from pathlib import Path

import serial

from tests.devices.test_cli import WAIT_S, Process, processes, start
from tests.helpers.people import resident_id

__all__ = ["processes"]  # the fixture, shared with the evaluator's CLI tests

LIN_ID = resident_id("350104", "19850607", "031")
WU_ID = resident_id("350111", "19721130", "457")
ZHENG_ID = resident_id("350121", "19600315", "218")


def test_idcard_simulate_and_monitor(tmp_path: Path, processes: list[Process]) -> None:
    link = tmp_path / "idcard"
    sim = start(processes, "idcard", "simulate", "--link", str(link), stdin=True)
    assert sim.line() == f"simulate: port={link}\n"
    assert link.is_symlink()

    monitor = start(processes, "idcard", "monitor", "--port", str(link))
    monitor.wait_stderr("idcard: connected")
    sim.type(f"card {LIN_ID} 林小梅 2\n")
    line = monitor.line()
    card = json.loads(line)
    assert list(card) == ["name", "certNo", "sex", "validTo", "at"]
    assert card["name"] == "林*梅"
    assert card["certNo"] == LIN_ID[:4] + "*" * 10 + LIN_ID[-4:]
    assert (card["sex"], card["validTo"]) == ("2", "20400101")
    assert datetime.fromisoformat(card["at"]).utcoffset() is not None
    assert card["at"].endswith("+08:00")
    assert line == json.dumps(card, ensure_ascii=False) + "\n"

    sim.type(f"lift\nfail\ncard {WU_ID} 吴建国\n")
    monitor.wait_stderr("card refused: unreadable")  # the failed read; the next find reads it
    assert json.loads(monitor.line())["name"] == "吴*国"

    sim.type(f"lift\ncard {ZHENG_ID} 郑秀兰 2 20200101\n")
    monitor.wait_stderr("card refused: expired")

    sim.end_input()
    assert sim.proc.wait(timeout=WAIT_S) == 0
    assert not link.exists()
    monitor.wait_stderr("idcard: disconnected")
    assert monitor.stop(signal.SIGTERM) == 0
    assert monitor.rest_of_stdout() == []
    printed = line + "".join(monitor.err_lines)
    for secret in (LIN_ID, WU_ID, ZHENG_ID, "林小梅", "吴建国", "郑秀兰", LIN_ID[6:14]):
        assert secret not in printed


def test_idcard_simulate_says_what_a_bad_line_should_be(processes: list[Process]) -> None:
    sim = start(processes, "idcard", "simulate", stdin=True)
    assert sim.line().startswith("simulate: port=/dev/pts/")
    sim.type("card 123 陈\nlay it\n")
    sim.wait_stderr("CERTNO is 18 characters")
    sim.wait_stderr("expected `card CERTNO NAME [SEX] [VALIDTO]`, `lift` or `fail`")
    sim.end_input()
    assert sim.proc.wait(timeout=WAIT_S) == 0


def test_idcard_simulate_stops_on_sigterm(processes: list[Process]) -> None:
    sim = start(processes, "idcard", "simulate", stdin=True)
    sim.line()
    assert sim.stop(signal.SIGTERM) == 0


def test_scanner_simulate_sends_each_line_as_a_scan(tmp_path: Path, processes: list[Process]) -> None:
    link = tmp_path / "scanner"
    sim = start(processes, "scanner", "simulate", "--link", str(link), stdin=True)
    assert sim.line() == f"simulate: port={link}\n"
    port = serial.Serial(str(link), timeout=WAIT_S)
    try:
        sim.type("35010220261127000123\nhttps://hcp.example.gov.cn/m/evaluate?p=A1\n")
        assert port.read_until(b"\r") == b"35010220261127000123\r"
        assert port.read_until(b"\r") == b"https://hcp.example.gov.cn/m/evaluate?p=A1\r"
    finally:
        port.close()
    sim.end_input()
    assert sim.proc.wait(timeout=WAIT_S) == 0
    assert not link.exists()
