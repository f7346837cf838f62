"""`kiosk doctor` against a healthy pad (running, and stopped), an unplugged evaluator and an unreachable
province, with a real sandbox and a pseudo-terminal evaluator; and the same checks on the console."""

from __future__ import annotations

import io
import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from pytestqt.qtbot import QtBot

from kiosk.app import PadApplication
from kiosk.config import load
from kiosk.devices.evaluator_simulator import SimulatedEvaluator
from kiosk.domain.clock import SystemClock
from kiosk.store.ledger import Ledger
from kiosk.system.instance import acquire_instance_lock
from kiosk.technician.doctor import run_doctor
from kiosk.technician.pin import hash_pin
from kiosk.technician.settings import write_changes
from kiosk.ui.technician.diagnostics import DiagnosticsPage
from province.server import SandboxServer
from tests.helpers.fixtures import MakePad
from tests.helpers.people import CHEN_MING_ID, CHEN_MING_MOBILE, session_body
from tests.helpers.procs import ROOT, child_env, kiosk_command
from tests.helpers.threads import in_thread
from tests.technician.conftest import PIN, WAIT_MS, FakeMonotonic, closed_port, enrol, unlock
from tests.technician.test_console_uplink import make_dead_letter

LINE = re.compile(r"^(OK  |WARN|FAIL) [^:]+: .+ — .+$")


def doctor(qtbot: QtBot, data_dir: Path) -> tuple[int, list[str]]:
    """Runs `kiosk doctor` in-process, off the Qt thread (a pad in this process answers its bridge)."""
    out = io.StringIO()
    code = in_thread(qtbot, run_doctor, data_dir, out, wait_s=60)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith(f"kiosk doctor: {data_dir.resolve()} (kiosk ")
    assert re.fullmatch(r"doctor: \d+ ok, \d+ to look at, \d+ failed", lines[-1])
    checks = lines[1:-1]
    assert all(LINE.match(line) for line in checks), checks  # what: found — what to do
    assert not any(CHEN_MING_ID in line or CHEN_MING_MOBILE in line for line in lines)
    return code, checks


def line(checks: list[str], name: str) -> str:
    return next(c for c in checks if c[5:].startswith(name + ":"))


@pytest.fixture
def pad_dir(tmp_path: Path, sandbox: SandboxServer, simulator: SimulatedEvaluator) -> Path:
    """A data directory set up as a technician leaves it: enrolled, PIN set, evaluator on its port."""
    data = enrol(tmp_path / "pad", sandbox)
    write_changes(
        data / "kiosk.toml",
        {
            "evaluator.protocol": "frame",
            "evaluator.port": simulator.port,
            "uplink.url": sandbox.url,
            "bridge.port": closed_port(),
            "console.pin_hash": hash_pin(PIN),
        },
    )
    return data


@pytest.fixture
def running(pad_dir: Path) -> Iterator[PadApplication]:
    """The pad running on it, as `kiosk run` does (the instance lock held)."""
    lock = acquire_instance_lock(pad_dir)
    app = PadApplication(load(pad_dir / "kiosk.toml"), pad_dir, headless=True)
    try:
        app.start()
        yield app
    finally:
        app.stop()
        lock.release()


def rate_on_the_evaluator(qtbot: QtBot, app: PadApplication, simulator: SimulatedEvaluator) -> None:
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {app.token}"
    answer = in_thread(
        qtbot, session.post, f"{app.bridge_url}/api/v1/sessions", json=session_body(), timeout=10
    )
    assert answer.status_code == 201, answer.text
    qtbot.waitUntil(lambda: "armed" in simulator.commands, timeout=WAIT_MS)
    simulator.press(1)
    qtbot.waitUntil(lambda: app.ledger.last_link()[0] == 1, timeout=WAIT_MS)


def test_a_healthy_running_pad(
    qtbot: QtBot, running: PadApplication, simulator: SimulatedEvaluator, pad_dir: Path
) -> None:
    app = running
    qtbot.waitUntil(lambda: app.evaluator.state.value == "connected", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: app.pad.uplink.state == "online", timeout=WAIT_MS)
    rate_on_the_evaluator(qtbot, app, simulator)
    qtbot.waitUntil(lambda: app.ledger.queue_depth() == 0, timeout=WAIT_MS)
    code, checks = doctor(qtbot, pad_dir)
    assert code == 0, checks
    assert all(c.startswith("OK   ") for c in checks), checks
    assert [c[5:].partition(":")[0] for c in checks] == [
        "config", "pad", "technician PIN", "serial ports", "evaluator", "button map", "TLS", "province",
        "clock", "queue", "dead letters", "ledger", "disk",
    ]  # fmt: skip
    assert line(checks, "pad").startswith("OK   pad: running on this data directory (pid ")
    assert f"evaluator: frame on {simulator.port}: connected — nothing to do" in line(checks, "evaluator")
    assert "reachable; it knows this device" in line(checks, "province")
    assert line(checks, "TLS").endswith(": plain HTTP, no certificate — nothing to do")
    assert line(checks, "queue").startswith("OK   queue: 0 waiting to be sent; 1 accepted")
    assert line(checks, "ledger") == (
        "OK   ledger: ok: 1 records: integrity, sequence and every hash check out — nothing to do"
    )
    assert line(checks, "technician PIN").startswith("OK   technician PIN: set, kept only as a salted scrypt")


def test_a_healthy_stopped_pad_lets_the_doctor_ask_the_evaluator_itself(
    qtbot: QtBot, pad_dir: Path, simulator: SimulatedEvaluator
) -> None:
    code, checks = doctor(qtbot, pad_dir)
    assert code == 0, checks
    assert line(checks, "pad") == (
        "WARN pad: not running on this data directory — start it (systemctl start kiosk); "
        "`journalctl -u kiosk` says why it stopped"
    )
    assert line(checks, "evaluator") == (
        f"OK   evaluator: frame on {simulator.port} at 9600 baud: "
        "STATUS from address 1: firmware 1.0, 5 buttons, voice and LEDs — nothing to do"
    )
    assert "queried" in simulator.commands  # it asked, with a real QUERY frame
    assert line(checks, "queue").startswith("OK   queue: 0 waiting")


def test_an_unplugged_evaluator(qtbot: QtBot, pad_dir: Path) -> None:
    write_changes(pad_dir / "kiosk.toml", {"evaluator.port": "hwid:1A86:7523"})
    code, checks = doctor(qtbot, pad_dir)
    assert code == 1
    assert line(checks, "evaluator") == (
        "FAIL evaluator: frame on hwid:1A86:7523 at 9600 baud: cannot be opened: no serial port has USB "
        "identity 1A86:7523 — plug the evaluator in and check its USB cable; if it is on another port, choose "
        "it on the console (the serial ports line lists what is plugged in)"
    )
    assert "none of them is hwid:1A86:7523" in line(checks, "serial ports")
    assert line(checks, "province").startswith("OK   ")


def test_an_unreachable_province(qtbot: QtBot, pad_dir: Path, running: PadApplication) -> None:
    url = f"http://127.0.0.1:{closed_port()}/api/v1"
    write_changes(pad_dir / "kiosk.toml", {"uplink.url": url})
    code, checks = doctor(qtbot, pad_dir)
    assert code == 1
    assert line(checks, "province") == (
        f"FAIL province: {url}: not reachable (connection refused) — check the network cable or Wi-Fi, "
        "uplink.url, and that the firewall lets the pad reach the province; ratings wait on the device and "
        "go out by themselves once it is reachable"
    )
    # The province cannot tell its time now: the doctor says what the pad last learned (rules.md R13).
    assert line(checks, "clock").startswith(
        "OK   clock: when the province last answered, the pad's clock was"
    )
    assert line(checks, "evaluator").startswith("OK   evaluator: frame on")  # asked of the running pad


def test_dead_letters_and_waiting_ratings_are_reported_without_personal_data(
    qtbot: QtBot, running: PadApplication, simulator: SimulatedEvaluator, pad_dir: Path
) -> None:
    running.worker.stop(timeout=15)  # type: ignore[union-attr]  # the record stays queued
    qtbot.waitUntil(lambda: running.evaluator.state.value == "connected", timeout=WAIT_MS)
    rate_on_the_evaluator(qtbot, running, simulator)
    make_dead_letter(running, 1)
    code, checks = doctor(qtbot, pad_dir)
    assert code == 0
    assert line(checks, "dead letters") == (
        "WARN dead letters: 1 rejected by the province: seq 1 invalid_field (certNo): certNo 3501**********1238 "
        "does not match mobile 138****8000 — they stay on the device and are never sent again; give the "
        "province's support the seq numbers and codes"
    )


def test_a_bad_configuration_exits_2_naming_the_key(tmp_path: Path) -> None:
    (tmp_path / "kiosk.toml").write_text("[pad]\nvolume = 300\n")
    result = subprocess.run(
        kiosk_command("doctor", "--data-dir", str(tmp_path)),
        cwd=ROOT,
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2, result.stderr
    assert (
        f"FAIL config: {tmp_path / 'kiosk.toml'}: pad.volume: must be from 0 to 100, got 300 — correct pad.volume"
        in result.stdout
    )
    assert "OK   ledger: no ledger yet" in result.stdout


def test_a_missing_data_directory(tmp_path: Path) -> None:
    out = io.StringIO()
    assert run_doctor(tmp_path / "nowhere", out) == 1
    assert "FAIL data directory: " in out.getvalue()
    assert not (tmp_path / "nowhere").exists()


def test_the_console_shows_the_same_checks_on_the_running_pad(
    qtbot: QtBot, make_pad: MakePad, monotonic: FakeMonotonic, tmp_path: Path
) -> None:
    url = f"http://127.0.0.1:{closed_port()}/api/v1"
    data = tmp_path / "pad"
    ledger = Ledger.open(data, SystemClock())
    ledger.store_device_secret(os.urandom(32))  # enrolled once, with a province now out of reach
    ledger.close()
    app = make_pad(
        "evaluator.protocol=frame",
        f'evaluator.port="{tmp_path / "unplugged"}"',
        f'uplink.url="{url}"',
        data_dir=data,
    )
    qtbot.waitUntil(lambda: app.pad.uplink.state == "retrying", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: app.evaluator.state.value == "disconnected", timeout=WAIT_MS)
    console = unlock(qtbot, app, monotonic)
    page = console.open_page("diagnostics")
    assert isinstance(page, DiagnosticsPage)
    qtbot.waitUntil(lambda: bool(page.checks), timeout=60_000)
    lines = [page.report.item(i).text() for i in range(page.report.count())]
    assert all(LINE.match(text) for text in lines), lines
    assert line(lines, "evaluator") == (
        f"FAIL evaluator: frame on {tmp_path / 'unplugged'}: not connected — check the evaluator's cable; if it is "
        "plugged into another port, choose it on the console (the serial ports line lists what is plugged in); "
        "the pad reopens the port by itself"
    )
    assert line(lines, "province").startswith(f"FAIL province: {url}: not reachable now (retrying)")
    assert line(lines, "ledger").startswith("OK   ledger: ok: 0 records")
