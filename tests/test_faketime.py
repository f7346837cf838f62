"""R13 with the real system clock wrong: `kiosk run` under libfaketime, years behind and hours ahead of a
province at the true time, and on a system set to UTC. Separate processes, as on a pad without a
battery-backed clock that booted with a wrong time."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
import requests

from kiosk.domain.clock import CHINA_TIME
from kiosk.domain.timefmt import format_time, parse_time
from tests.helpers.people import session_body
from tests.helpers.procs import ROOT, Child, child_env, kiosk_command, run_kiosk

pytestmark = pytest.mark.slow

LIBFAKETIME = Path("/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1")


def true_now() -> str:
    return format_time(datetime.now(CHINA_TIME))


class Faked(Child):
    """A child process whose clock libfaketime sets (preloaded, so that signals reach the process itself),
    in a time zone, with the environment a pad gets."""

    def __init__(self, args: list[str], faketime: str | None, tz: str | None = None) -> None:
        env = child_env()
        if faketime:
            env["LD_PRELOAD"] = str(LIBFAKETIME)
            env["FAKETIME"] = faketime
        if tz:
            env["TZ"] = tz
        self.args = args
        self.proc = subprocess.Popen(
            self.args,
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            bufsize=1,
        )
        self.lines: list[str] = []


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    db = tmp_path / "sandbox.sqlite3"
    child = Child(kiosk_command("sandbox", "--port", "0", "--db", str(db)))
    url = child.read_line(r"^sandbox: ready url=(\S+)$").group(1)
    yield url, db
    assert child.terminate() == 0


def wait_for(condition: object, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return
        time.sleep(0.2)
    raise AssertionError("timed out")


@pytest.mark.parametrize(
    ("faked", "tz"),
    [
        ("@2021-01-01 00:00:00", None),  # years behind: a pad that lost its clock
        ("+5h", None),  # hours ahead
        (None, "UTC"),  # a right clock on a minimal image set to UTC
    ],
    ids=["years-behind", "hours-ahead", "tz-utc"],
)
def test_a_pad_uses_the_provinces_time_whatever_its_own_clock_says(
    sandbox: tuple[str, Path], tmp_path: Path, faked: str | None, tz: str | None
) -> None:
    if faked and not LIBFAKETIME.exists():
        pytest.fail("libfaketime is not installed: `make test` installs it (scripts/system-deps.sh)")
    url, db = sandbox
    code = run_kiosk("sandbox", "issue-code", "--db", str(db), "--hall", "350102-ZWFW", "--window", "A07")
    assert code.returncode == 0, code.stderr
    data = tmp_path / "pad"
    data.mkdir()
    (data / "kiosk.toml").write_text(
        f'[bridge]\nport = 0\n[evaluator]\nprotocol = "none"\n'
        f'[uplink]\nurl = "{url}"\nenroll_code = "{code.stdout.strip()}"\n',
        encoding="utf-8",
    )
    pad = Faked(kiosk_command("run", "--headless", "--data-dir", str(data)), faked, tz)
    try:
        bridge = pad.read_line(r"^kiosk: ready bridge=(\S+) data=").group(1)
        headers = {"Authorization": f"Bearer {(data / 'bridge.token').read_text().strip()}"}

        def status() -> dict[str, object]:
            answer: dict[str, object] = requests.get(
                f"{bridge}/api/v1/status", headers=headers, timeout=10
            ).json()
            return answer

        wait_for(lambda: status()["enrolled"] and status()["uplink"]["state"] == "online")  # type: ignore[index]
        # The case system's clock is right; its session is not "in the future" for the pad.
        now = true_now()
        created = requests.post(
            f"{bridge}/api/v1/sessions",
            json=session_body("FAKETIME-1", acceptTime=now, finishTime=now),
            headers=headers,
            timeout=10,
        )
        assert created.status_code == 201, created.text
        alerts = status()["alerts"]
        assert ("clock" in alerts) == bool(faked), alerts  # type: ignore[operator]
    finally:
        pad.terminate()
    # A headless pad has no evaluator here: the session times out; its record is the R6 default only
    # after 7 days. What the pad wrote is in its ledger: the session's times, in Beijing time, corrected.
    store_rows = subprocess.run(
        ["sqlite3", str(data / "kiosk.sqlite3"), "SELECT created_at FROM sessions"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    (created_at,) = store_rows
    assert created_at.endswith("+08:00")
    assert abs((parse_time(created_at) - parse_time(now)).total_seconds()) < 60
    doctor = Faked(kiosk_command("doctor", "--data-dir", str(data)), faked, tz)
    out, _err = doctor.proc.communicate(timeout=60)
    clock_lines = [line for line in out.splitlines() if " clock: " in line]
    assert clock_lines, out
    assert clock_lines[0].startswith("WARN" if faked else "OK"), clock_lines
