"""The gateway profile at start (`kiosk run` exits 2 naming what is wrong) and in `kiosk doctor` (the app
masked, the token call, its clock, the template, the hall file)."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from kiosk.app import check_start
from kiosk.config import ConfigError, load
from kiosk.technician.doctor import run_doctor
from province.server import SandboxServer
from tests.helpers.procs import run_kiosk
from tests.helpers.threads import in_thread
from tests.sync.fujian.conftest import gateway_keys
from tests.sync.fujian.test_hall_file import HALL

LINE = re.compile(r"^(OK  |WARN|FAIL) [^:]+: .+ — .+$")


def test_kiosk_run_exits_2_naming_an_unknown_placeholder(tmp_path: Path) -> None:
    template = tmp_path / "case.xml"
    template.write_text("<Case><projectNo>${projectNo}</projectNo><end>${finishTime}</end></Case>\n")
    result = run_kiosk(
        "run", "--headless", "--data-dir", str(tmp_path / "pad"),
        "--set", 'uplink.profile="fujian-gateway"', "--set", f'uplink.fujian.template="{template}"',
        "--set", "bridge.port=0",
    )  # fmt: skip
    assert result.returncode == 2, result.stderr
    assert "uplink.fujian.template" in result.stderr
    assert "unknown placeholder ${finishTime}" in result.stderr


def _start_error(tmp_path: Path, *overrides: str) -> ConfigError:
    config = load(None, ['uplink.profile="fujian-gateway"', *overrides])
    with pytest.raises(ConfigError) as raised:
        check_start(config, tmp_path)
    return raised.value


def test_a_bad_hall_file_stops_the_start_naming_its_field(tmp_path: Path) -> None:
    hall = json.loads(json.dumps(HALL))
    hall["staff"][1]["staffId"] = ""
    (tmp_path / "hall.json").write_text(json.dumps(hall, ensure_ascii=False), encoding="utf-8")
    error = _start_error(tmp_path)
    assert error.key == "uplink.fujian.hall_file"
    assert "staff[1].staffId: must not be empty" in str(error)


@pytest.mark.parametrize(
    ("overrides", "key"),
    [
        (['uplink.ca_file="missing-ca.pem"'], "uplink.ca_file"),
        (['uplink.client_cert="pad.pem"'], "uplink.client_key"),
        (['uplink.client_key="pad.key"'], "uplink.client_cert"),
    ],
)
def test_tls_files_that_cannot_work_stop_the_start_in_either_profile(
    tmp_path: Path, overrides: list[str], key: str
) -> None:
    for profile in ("json", "fujian-gateway"):
        config = load(None, [f'uplink.profile="{profile}"', *overrides])
        with pytest.raises(ConfigError) as raised:
            check_start(config, tmp_path)
        assert raised.value.key == key


def test_a_relative_ca_file_is_in_the_data_directory(tmp_path: Path) -> None:
    (tmp_path / "ca.pem").write_text("not a certificate\n")
    error = _start_error(tmp_path, 'uplink.ca_file="ca.pem"')
    assert error.key == "uplink.ca_file"
    assert f"{tmp_path / 'ca.pem'} holds no PEM certificate" in str(error)


def test_the_doctor_checks_the_gateway(qtbot: QtBot, double: SandboxServer, tmp_path: Path) -> None:
    data = tmp_path / "pad"
    data.mkdir()
    keys = dict(key.split("=", 1) for key in gateway_keys(double))
    app_code = keys["uplink.fujian.app_code"].strip('"')
    (data / "kiosk.toml").write_text(
        '[evaluator]\nprotocol = "none"\n[uplink]\nprofile = "fujian-gateway"\n[uplink.fujian]\n'
        + "".join(
            f"{k.removeprefix('uplink.fujian.')} = {v}\n"
            for k, v in keys.items()
            if k.startswith("uplink.fujian.")
        )
    )
    (data / "hall.json").write_text(json.dumps(HALL, ensure_ascii=False), encoding="utf-8")
    out = io.StringIO()
    code = in_thread(qtbot, run_doctor, data, out, wait_s=60)
    text = out.getvalue()
    lines = {line[5:].partition(":")[0]: line for line in text.splitlines()[1:-1]}
    assert all(LINE.match(line) for line in lines.values()), text
    assert app_code not in text
    assert lines["gateway app"].startswith(
        f"OK   gateway app: app_key {keys['uplink.fujian.app_key'].strip(chr(34))}, app_code ••••"
    )
    assert lines["TLS"].endswith("plain HTTP, no certificate — nothing to do")
    assert lines["gateway token"].startswith(
        f"OK   gateway token: {double.gateway_url}: a token for this app, for 120 minutes"
    )
    assert lines["clock"].startswith("OK   clock: the pad's clock is")
    assert lines["Case template"].startswith(
        "OK   Case template: the built-in template: the worked record renders to a Case of 922 bytes"
    )
    assert lines["hall file"].startswith(
        f"OK   hall file: {data / 'hall.json'}: 鼓楼区政务服务中心, window A07, 2 staff, 1 notices"
    )
    assert "province" not in lines  # the JSON uplink's line
    assert code == 0, text


def test_the_doctor_names_a_refused_app(qtbot: QtBot, double: SandboxServer, tmp_path: Path) -> None:
    data = tmp_path / "pad"
    data.mkdir()
    (data / "kiosk.toml").write_text(
        '[evaluator]\nprotocol = "none"\n[uplink]\nprofile = "fujian-gateway"\n[uplink.fujian]\n'
        f'gateway = "{double.gateway_url}"\napp_key = "0123"\napp_code = "not-the-code"\n'
    )
    out = io.StringIO()
    code = in_thread(qtbot, run_doctor, data, out, wait_s=60)
    text = out.getvalue()
    assert code == 1
    assert "FAIL gateway token: " in text and "refuses this app_key and app_code (invalid_sign)" in text
    assert "not-the-code" not in text
    assert "WARN hall file: no " in text
