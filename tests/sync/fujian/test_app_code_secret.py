"""The gateway app's code is a secret (province-fujian.md "Configuration"): after the first start it is in no
file of the data directory but the sealed one, in no output of `kiosk run` or `kiosk doctor`, in no log line,
and in no member of the diagnostics export, in any encoding a leak could take."""

from __future__ import annotations

import time
import zipfile
from datetime import datetime
from pathlib import Path

import requests

from kiosk.domain.clock import CHINA_TIME
from kiosk.store.app_secret import APP_CODE_FILE, AppSecret
from kiosk.technician.export import export_bundle
from province.seed import DEMO_HALL, DEMO_WINDOW
from province.server import SandboxServer
from tests.helpers.procs import headless_pad, run_kiosk
from tests.helpers.scan import encodings
from tests.sync.fujian.conftest import new_project_no, now_body, tokens_issued

WAIT_S = 30.0


def leaks(data: bytes, secret: str) -> bool:
    return any(form in data for form in encodings(secret))


def test_the_app_code_is_in_no_file_output_log_or_export(double: SandboxServer, tmp_path: Path) -> None:
    app = double.store.issue_app(DEMO_HALL, DEMO_WINDOW)
    data = tmp_path / "pad"
    data.mkdir()
    (data / "kiosk.toml").write_text(
        '[uplink]\nprofile = "fujian-gateway"\ntimeout_s = 5\n[uplink.fujian]\n'
        f'gateway = "{double.gateway_url}"\napp_key = "{app.app_key}"\napp_code = "{app.app_code}"\n',
        encoding="utf-8",
    )
    pad = headless_pad(data)
    try:
        bridge = pad.read_line(r"^kiosk: ready bridge=(\S+) data=").group(1)
        token = (data / "bridge.token").read_text().strip()
        # A session: the pad asks the gateway for its QR code (the token call signs with the app code).
        created = requests.post(
            f"{bridge}/api/v1/sessions",
            json=now_body(new_project_no()),
            headers={"Authorization": f"Bearer {token}"},
            timeout=WAIT_S,
        )
        assert created.status_code == 201, created.text
        deadline = time.monotonic() + WAIT_S
        while not tokens_issued(double) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert tokens_issued(double), "the pad never called the gateway"
    finally:
        assert pad.terminate() == 0
    run_output = "\n".join(pad.lines).encode() + (pad.proc.stderr.read().encode() if pad.proc.stderr else b"")
    doctor = run_kiosk("doctor", "--data-dir", str(data))
    assert "OK   gateway token" in doctor.stdout, doctor.stdout
    report = doctor.stdout.splitlines()

    (tmp_path / "stick").mkdir()
    bundle = export_bundle(
        tmp_path / "stick",
        data,
        data / "kiosk.toml",
        report,
        {},
        device_id="P-SECRET",
        at=datetime.now(CHINA_TIME),
    )

    secret = app.app_code
    assert AppSecret(data).read() == secret  # kept, sealed
    assert not leaks(run_output, secret)
    assert not leaks((doctor.stdout + doctor.stderr).encode(), secret)
    scanned = [path for path in data.rglob("*") if path.is_file()]
    assert data / "logs" / "kiosk.log" in scanned and data / "kiosk.toml" in scanned
    for path in scanned:
        assert not leaks(path.read_bytes(), secret), f"{path.relative_to(data)} holds the app code"
    assert (data / "secrets" / APP_CODE_FILE) in scanned
    with zipfile.ZipFile(bundle) as archive:
        assert "kiosk.toml" in archive.namelist()
        for member in archive.namelist():
            assert not leaks(archive.read(member), secret), f"the export's {member} holds the app code"
