"""`kiosk sandbox issue-app` and `kiosk sandbox --tls DIR`, as a technician runs them."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import requests

from kiosk.sync.fujian.case_xml import detail_case
from kiosk.sync.fujian.gateway import DEFAULT_SERVICE_PATH, GatewayClient
from kiosk.sync.transport import Transport
from tests.province.test_cli import RunningSandbox, _kiosk

TLS_READY = re.compile(r"sandbox: ready url=(https://127\.0\.0\.1:\d+)/api/v1 ca=(\S+)\n")


def test_issue_app_prints_toml_for_uplink_fujian(tmp_path: Path) -> None:
    db = tmp_path / "sandbox.sqlite3"
    sandbox = RunningSandbox(db, "--tls", str(tmp_path / "tls"))
    try:
        ready = TLS_READY.fullmatch(sandbox.ready_line)
        assert ready, sandbox.ready_line
        base, ca = ready.groups()
        assert Path(ca) == (tmp_path / "tls" / "ca.pem").resolve()

        issued = _kiosk("sandbox", "issue-app", "--db", db, "--hall", "350102-ZWFW", "--window", "A07")

        assert issued.returncode == 0, issued.stderr
        app = tomllib.loads(issued.stdout)
        assert set(app) == {"app_key", "app_code"}
        assert re.fullmatch(r"[0-9a-f]{32}", app["app_key"])
        client = GatewayClient(
            f"{base}/api-gateway/gateway",
            DEFAULT_SERVICE_PATH,
            app["app_key"],
            app["app_code"],
            transport=Transport(ca_file=ca),
        )
        assert client.call("getEvaluationDetail", detail_case("P1")).code == "500"
        assert requests.get(f"{base}/api/v1/sandbox/stats", verify=ca, timeout=10).status_code == 200
    finally:
        assert sandbox.stop() == 0


def test_issue_app_for_an_unknown_window_exits_1(tmp_path: Path) -> None:
    issued = _kiosk(
        "sandbox", "issue-app", "--db", tmp_path / "s.sqlite3", "--hall", "350102-ZWFW", "--window", "Z9"
    )
    assert issued.returncode == 1
    assert "no window 'Z9'" in issued.stderr
    assert issued.stdout == ""


def test_issue_app_without_a_window_exits_2_naming_the_flag() -> None:
    issued = _kiosk("sandbox", "issue-app", "--hall", "350102-ZWFW")
    assert issued.returncode == 2
    assert "--window" in issued.stderr


def test_a_token_expiry_fault_spec_from_the_command_line(tmp_path: Path) -> None:
    assert _kiosk("sandbox", "--faults", "token_expiry=0").returncode == 2
    sandbox = RunningSandbox(tmp_path / "sandbox.sqlite3", "--faults", "token_expiry=20")
    try:
        assert sandbox.ready_line.startswith("sandbox: ready url=http://")
    finally:
        assert sandbox.stop() == 0
