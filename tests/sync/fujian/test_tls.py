"""Both profiles over the sandbox's HTTPS (`kiosk sandbox --tls`): with the CA set, without it (a clear
doctor line, and a queue that waits and loses nothing), and with a client certificate required."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from kiosk.config import build
from kiosk.technician.checks import Check
from kiosk.technician.doctor import diagnose_data_dir
from province.seed import DEMO_HALL, DEMO_WINDOW
from province.server import SandboxServer
from province.tls import make_server_tls, mint_client_cert, server_hosts
from tests.helpers.fixtures import MakePad
from tests.sync.fujian.conftest import WAIT_MS, gateway_keys, new_project_no, now_body

PROFILES = ["json", "fujian-gateway"]


def https_double(
    start_double: Callable[..., SandboxServer], tmp_path: Path, *, client_cert: bool = False
) -> SandboxServer:
    tls = make_server_tls(tmp_path / "tls", server_hosts("127.0.0.1"), require_client_cert=client_cert)
    return start_double(tls=tls)


def profile_keys(profile: str, server: SandboxServer) -> list[str]:
    if profile == "json":
        code = server.store.issue_code(DEMO_HALL, DEMO_WINDOW)
        return [f'uplink.url="{server.url}"', f'uplink.enroll_code="{code}"', "uplink.timeout_s=5"]
    return gateway_keys(server)


def rate_now(app: object) -> str:
    project_no = new_project_no()
    created = app.client.post("/api/v1/sessions", json=now_body(project_no))  # type: ignore[attr-defined]
    assert created.status_code == 201, created.text
    app.pad.touch_level(5)  # type: ignore[attr-defined]
    app.pad.submit_reasons()  # type: ignore[attr-defined]
    return project_no


def held(server: SandboxServer, project_no: str) -> bool:
    return server.store.first_rating(project_no) is not None


def doctor_lines(data: Path, keys: list[str]) -> dict[str, Check]:
    """`kiosk doctor` on a data directory whose kiosk.toml has these keys (no pad running)."""
    document: dict[str, dict[str, object]] = {}
    for key in [*keys, "evaluator.protocol=none", "bridge.port=0"]:
        name, _, value = key.partition("=")
        *tables, last = name.split(".")
        here = document
        for table in tables:
            here = here.setdefault(table, {})  # type: ignore[assignment]
        here[last] = value.strip('"') if value.startswith('"') else int(value) if value.isdigit() else value
    import tomli_w

    build(document)
    data.mkdir(parents=True, exist_ok=True)
    (data / "kiosk.toml").write_text(tomli_w.dumps(document), encoding="utf-8")
    return {check.name: check for check in diagnose_data_dir(data)}


@pytest.mark.parametrize("profile", PROFILES)
def test_with_the_ca_set_ratings_reach_the_province_over_https(
    qtbot: QtBot, start_double: Callable[..., SandboxServer], make_pad: MakePad, tmp_path: Path, profile: str
) -> None:
    server = https_double(start_double, tmp_path)
    assert server.tls is not None and server.url.startswith("https://")
    app = make_pad(*profile_keys(profile, server), f'uplink.ca_file="{server.tls.ca}"')
    project_no = rate_now(app)
    qtbot.waitUntil(lambda: app.ledger.queue_depth() == 0 and held(server, project_no), timeout=WAIT_MS)

    checks = doctor_lines(
        tmp_path / "doctor", [*profile_keys(profile, server), f'uplink.ca_file="{server.tls.ca}"']
    )
    tls = checks["TLS"]
    assert tls.status == "ok", tls.line()
    # The console and the doctor show whose certificate it is and until when.
    assert "CN=kiosk sandbox" in tls.found and "valid until 20" in tls.found


@pytest.mark.parametrize("profile", PROFILES)
def test_without_the_ca_the_queue_waits_and_the_doctor_names_the_key(
    qtbot: QtBot, start_double: Callable[..., SandboxServer], make_pad: MakePad, tmp_path: Path, profile: str
) -> None:
    server = https_double(start_double, tmp_path)
    assert server.tls is not None
    data = tmp_path / "pad"
    keys = profile_keys(profile, server)
    app = make_pad(*keys, data_dir=data)
    rate_now(app)
    qtbot.waitUntil(lambda: app.pad.uplink.state in ("retrying", "enrolling"), timeout=WAIT_MS)
    assert app.ledger.queue_depth() == 1
    app.stop()

    checks = doctor_lines(tmp_path / "doctor", keys)
    assert (
        checks["TLS"]
        .line()
        .startswith("FAIL TLS: certificate signed by an unknown CA (its certificate: CN=kiosk sandbox")
    )
    assert checks["TLS"].advice.startswith("set uplink.ca_file to the certificate (PEM) of the CA")

    # The rating waited on the pad: once the CA is set, it goes.
    again = make_pad(*keys, f'uplink.ca_file="{server.tls.ca}"', data_dir=data)
    qtbot.waitUntil(lambda: again.ledger.queue_depth() == 0, timeout=WAIT_MS)
    assert again.ledger.send_counts()["accepted"] == 1


@pytest.mark.parametrize("profile", PROFILES)
def test_a_client_certificate_when_the_province_requires_one(
    qtbot: QtBot, start_double: Callable[..., SandboxServer], make_pad: MakePad, tmp_path: Path, profile: str
) -> None:
    server = https_double(start_double, tmp_path, client_cert=True)
    assert server.tls is not None
    cert, key = mint_client_cert(tmp_path / "tls", "pad")
    keys = [*profile_keys(profile, server), f'uplink.ca_file="{server.tls.ca}"']
    without = doctor_lines(tmp_path / "doctor", keys)
    assert without["TLS"].status == "fail"
    assert "asks for a client certificate" in without["TLS"].found
    assert "uplink.client_cert and uplink.client_key" in without["TLS"].advice

    app = make_pad(*keys, f'uplink.client_cert="{cert}"', f'uplink.client_key="{key}"')
    project_no = rate_now(app)
    qtbot.waitUntil(lambda: app.ledger.queue_depth() == 0 and held(server, project_no), timeout=WAIT_MS)
