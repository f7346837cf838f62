"""The whole path with real parts in separate processes: the sandbox, a simulated evaluator on a
pseudo-terminal, and `kiosk run --headless`; a session over the bridge, a press, and the rating found
accepted in the sandbox's own database with an intact chain."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from province.store import SandboxStore
from tests.helpers.people import CHEN_MING_ID, CHEN_MING_MOBILE, session_body
from tests.helpers.procs import Child, kiosk_command, run_kiosk
from tests.helpers.scan import encodings, scan_for_personal_data

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Parts:
    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.db = tmp / "sandbox.sqlite3"
        self.data = tmp / "pad"
        self.children: list[Child] = []

    def sandbox(self, port: int = 0, faults: str = "") -> str:
        extra = ["--faults", faults] if faults else []
        child = Child(kiosk_command("sandbox", "--port", str(port), "--db", str(self.db), *extra))
        self.children.append(child)
        return child.read_line(r"^sandbox: ready url=(\S+)$").group(1)

    def issue_code(self) -> str:
        result = run_kiosk(
            "sandbox", "issue-code", "--db", str(self.db), "--hall", "350102-ZWFW", "--window", "A07"
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    def simulator(self) -> tuple[Child, str]:
        link = self.tmp / "ttyEVAL"
        child = Child(kiosk_command("evaluator", "simulate", "--link", str(link)))
        self.children.append(child)
        port = child.read_line(r"^simulate: port=(\S+)$").group(1)
        assert port == str(link)
        return child, port

    def pad(self, url: str, code: str, port: str) -> tuple[Child, str, dict[str, str]]:
        child = Child(
            kiosk_command(
                "run",
                "--headless",
                "--data-dir",
                str(self.data),
                "--set",
                f'uplink.url="{url}"',
                "--set",
                f'uplink.enroll_code="{code}"',
                "--set",
                "evaluator.protocol=frame",
                "--set",
                f'evaluator.port="{port}"',
                "--set",
                "bridge.port=0",
            )
        )
        self.children.append(child)
        bridge = child.read_line(r"^kiosk: ready bridge=(\S+) data=").group(1)
        token = (self.data / "bridge.token").read_text().strip()
        return child, bridge, {"Authorization": f"Bearer {token}"}


@pytest.fixture
def parts(tmp_path: Path) -> Iterator[Parts]:
    made = Parts(tmp_path)
    yield made
    codes = [child.terminate() for child in reversed(made.children)]
    assert all(code == 0 for code in codes), codes


def press(simulator: Child, keys: str) -> None:
    assert simulator.proc.stdin is not None
    simulator.proc.stdin.write(keys)
    simulator.proc.stdin.flush()


def rate(bridge: str, headers: dict[str, str], simulator: Child, project_no: str, key: str) -> str:
    created = requests.post(
        f"{bridge}/api/v1/sessions", json=session_body(project_no), headers=headers, timeout=10
    )
    assert created.status_code == 201, created.text
    session_id = created.json()["sessionId"]
    press(simulator, key)
    answer = requests.get(
        f"{bridge}/api/v1/sessions/{session_id}?wait=10", headers=headers, timeout=20
    ).json()
    assert answer["state"] == "rated", answer
    assert answer["channel"] == "5"
    return session_id


def wait_for(condition: object, timeout: float = 30.0) -> None:
    """Polls a condition on other processes (their HTTP answers, the sandbox's database)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return
        time.sleep(0.2)
    raise AssertionError("timed out")


def device_id(bridge: str, headers: dict[str, str]) -> str:
    return str(requests.get(f"{bridge}/api/v1/status", headers=headers, timeout=10).json()["deviceId"])


def test_a_press_travels_to_the_province(parts: Parts) -> None:
    url = parts.sandbox()
    code = parts.issue_code()
    simulator, port = parts.simulator()
    _pad, bridge, headers = parts.pad(url, code, port)

    def ready() -> bool:
        """Enrolled, and the evaluator's port open: a press made before that would meet a closed port."""
        status = requests.get(f"{bridge}/api/v1/status", headers=headers, timeout=5).json()
        return bool(status["enrolled"]) and status["evaluator"]["state"] == "connected"

    wait_for(ready)
    rate(bridge, headers, simulator, "35010220261127000123", "1")  # button 1 = 非常满意
    rate(bridge, headers, simulator, "35010220261127000124", "3")
    device = device_id(bridge, headers)
    store = SandboxStore(parts.db)
    try:
        wait_for(lambda: store.accepted_count(device) == 2)
        records = store.records_for(device)
        assert [r.seq for r in records] == [1, 2]
        assert store.chain_ok(device)
        assert store.accepted_seq(device) == 2
    finally:
        store.close()
    status = requests.get(f"{bridge}/api/v1/status", headers=headers, timeout=5).json()
    assert status["uplink"]["state"] == "online" and status["uplink"]["queueDepth"] == 0
    assert status["evaluator"] == {"protocol": "frame", "port": port, "state": "connected"}
    # Nothing personal in clear anywhere in the pad's data directory, in any encoding.
    leaks = scan_for_personal_data(parts.data, [CHEN_MING_ID, CHEN_MING_MOBILE])
    assert not leaks, leaks


def test_a_province_down_at_first_gets_every_rating_later(parts: Parts) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/api/v1"
    code = parts.issue_code()
    simulator, evaluator_port = parts.simulator()
    _pad, bridge, headers = parts.pad(url, code, evaluator_port)
    for n in range(3):
        rate(bridge, headers, simulator, f"DOWN-{n}", "2")
    status = requests.get(f"{bridge}/api/v1/status", headers=headers, timeout=5).json()
    assert status["uplink"]["queueDepth"] == 3
    assert status["uplink"]["state"] in ("enrolling", "retrying")
    assert parts.sandbox(port) == url
    device = device_id(bridge, headers)
    store = SandboxStore(parts.db)
    try:
        wait_for(lambda: store.accepted_count(device) == 3, timeout=60)
        assert [r.seq for r in store.records_for(device)] == [1, 2, 3]
        assert store.chain_ok(device)
    finally:
        store.close()


def test_a_province_that_quotes_the_applicant_leaves_nothing_readable_on_the_pad(parts: Parts) -> None:
    # Every record is rejected with a message quoting its applicant's ID and mobile numbers.
    url = parts.sandbox(faults="quote=1")
    code = parts.issue_code()
    simulator, port = parts.simulator()
    pad, bridge, headers = parts.pad(url, code, port)
    wait_for(lambda: requests.get(f"{bridge}/api/v1/status", headers=headers, timeout=5).json()["enrolled"])
    rate(bridge, headers, simulator, "35010220261127000125", "1")
    wait_for(
        lambda: (
            requests.get(f"{bridge}/api/v1/status", headers=headers, timeout=5).json()["uplink"][
                "deadLetters"
            ]
            == 1
        )
    )
    store = SandboxStore(parts.db)
    try:
        # The province did send the numbers in clear: the test would prove nothing otherwise.
        (stored,) = store.records_for(device_id(bridge, headers))
        assert stored.error is not None and CHEN_MING_ID in stored.error.message
        assert CHEN_MING_MOBILE in stored.error.message
    finally:
        store.close()
    doctor = run_kiosk("doctor", "--data-dir", str(parts.data))
    assert "dead letters" in doctor.stdout
    assert pad.terminate() == 0
    secrets = [CHEN_MING_ID, CHEN_MING_MOBILE]
    leaks = scan_for_personal_data(parts.data, secrets)  # the ledger, its WAL, the logs, the token, …
    assert not leaks, leaks
    outputs = {
        "pad stdout": "\n".join(pad.lines).encode(),
        "pad stderr": pad.stderr().encode(),
        "doctor": (doctor.stdout + doctor.stderr).encode(),
    }
    for name, raw in outputs.items():
        for secret in secrets:
            assert not any(form in raw for form in encodings(secret)), f"{name}: {secret[:3]}…"
