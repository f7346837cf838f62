"""`kiosk run` as a separate process: the ready line, a session over HTTP, a clean stop, bad config."""

from __future__ import annotations

from pathlib import Path

import requests

from kiosk import __version__
from tests.helpers.people import CHEN_MING_ID, CHEN_MING_MOBILE, session_body
from tests.helpers.procs import Child, headless_pad, kiosk_command, run_kiosk

READY = r"^kiosk: ready bridge=(http://127\.0\.0\.1:(\d+)) data=(\S+)$"


def test_run_headless_takes_a_session_and_stops_cleanly(tmp_path: Path) -> None:
    data = tmp_path / "data"
    child = headless_pad(data)
    try:
        ready = child.read_line(READY)
        url, port, data_dir = ready.group(1), int(ready.group(2)), Path(ready.group(3))
        assert port > 0 and data_dir == data.resolve()
        token = (data / "bridge.token").read_text().strip()
        assert (data / "bridge.token").stat().st_mode & 0o777 == 0o600
        headers = {"Authorization": f"Bearer {token}"}
        created = requests.post(f"{url}/api/v1/sessions", json=session_body(), headers=headers, timeout=10)
        assert created.status_code == 201, created.text
        answer = created.json()
        assert answer["state"] == "awaiting" and answer["qrUrl"] is None
        seen = requests.get(f"{url}/api/v1/sessions/{answer['sessionId']}", headers=headers, timeout=10)
        assert seen.json() == {
            "sessionId": answer["sessionId"],
            "projectNo": "35010220261127000123",
            "state": "awaiting",
        }
        assert CHEN_MING_ID not in seen.text and CHEN_MING_MOBILE not in seen.text and "陈" not in seen.text
        assert requests.get(f"{url}/api/v1/status", timeout=10).status_code == 401
    finally:
        code = child.terminate()
    assert code == 0, child.stderr()


def test_sigterm_right_after_the_ready_line_stops_the_pad(tmp_path: Path) -> None:
    # The ready line comes before the screens are built: a service manager may stop the pad in between.
    child = Child(kiosk_command("run", "--headless", "--data-dir", str(tmp_path), "--set", "bridge.port=0"))
    child.read_line(READY)
    assert child.terminate(timeout=15) == 0, child.stderr()


def test_a_bad_value_exits_2_naming_the_key(tmp_path: Path) -> None:
    result = run_kiosk("run", "--headless", "--data-dir", str(tmp_path), "--set", "evaluator.baud=fast")
    assert result.returncode == 2
    assert "evaluator.baud" in result.stderr
    assert not (tmp_path / "kiosk.sqlite3").exists()


def test_an_unknown_key_in_the_file_exits_2(tmp_path: Path) -> None:
    (tmp_path / "kiosk.toml").write_text("[pad]\nrate_timeout = 30\n", encoding="utf-8")
    result = run_kiosk("run", "--headless", "--data-dir", str(tmp_path))
    assert result.returncode == 2
    assert "pad.rate_timeout" in result.stderr


def test_version() -> None:
    result = run_kiosk("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"kiosk {__version__}"
