"""`SandboxServer`: in-process start and stop, and the published OpenAPI document."""

from __future__ import annotations

import ast
import json
import socket
import time
from pathlib import Path

import requests

import province
from province.openapi import EvaluationRecord
from province.server import SandboxServer
from tests.province.helpers import sealed, spec_example_record


def test_port_0_serves_on_the_port_it_reports(tmp_path: Path) -> None:
    with SandboxServer(tmp_path / "a.sqlite3") as first, SandboxServer(tmp_path / "b.sqlite3") as second:
        assert first.port != second.port
        assert first.url == f"http://127.0.0.1:{first.port}/api/v1"
        for server in (first, second):
            assert requests.get(f"{server.url}/sandbox/stats", timeout=10).status_code == 200


def test_a_fixed_port(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = SandboxServer(tmp_path / "s.sqlite3", port=port)
    try:
        assert server.start() == f"http://127.0.0.1:{port}/api/v1"
    finally:
        server.stop()


def test_stop_is_prompt_with_a_connection_open(tmp_path: Path) -> None:
    server = SandboxServer(tmp_path / "s.sqlite3")
    url = server.start()
    session = requests.Session()  # keeps its connection alive after the answer
    assert session.get(f"{url}/sandbox/stats", timeout=10).status_code == 200

    started = time.monotonic()
    server.stop()

    assert time.monotonic() - started < 2.5
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", server.port)) != 0


def test_the_store_survives_a_restart(tmp_path: Path) -> None:
    with SandboxServer(tmp_path / "s.sqlite3") as server:
        code = server.store.issue_code("350102-ZWFW", "A07")
    with SandboxServer(tmp_path / "s.sqlite3") as server:
        answer = requests.post(
            f"{server.url}/devices/enroll", json={"enrollCode": code, "deviceId": "P-RESTART"}, timeout=10
        )
        assert answer.status_code == 201


def test_the_openapi_document_describes_every_operation(sandbox: SandboxServer) -> None:
    document = requests.get(f"{sandbox.url}/openapi.json", timeout=10).json()

    operations = {(path, method) for path, item in document["paths"].items() for method in item}
    assert {
        ("/api/v1/devices/enroll", "post"),
        ("/api/v1/evaluations:batch", "post"),
        ("/api/v1/devices/{deviceId}/config", "get"),
        ("/api/v1/devices/{deviceId}/heartbeat", "post"),
        ("/api/v1/projects/{projectNo}/evaluation", "get"),
        ("/api/v1/projects", "post"),
        ("/api/v1/projects/{projectNo}/evaluation", "post"),
        ("/api/v1/sandbox/stats", "get"),
    } <= operations
    for path, item in document["paths"].items():
        for method, operation in item.items():
            assert operation.get("description"), f"{method} {path} has no description"
    batch = document["paths"]["/api/v1/evaluations:batch"]["post"]
    assert {p["name"] for p in batch["parameters"]} >= {"X-HCP-Device", "X-HCP-Signature"}
    assert batch["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("/BatchRequest")
    assert "401" in batch["responses"]
    schemas = document["components"]["schemas"]
    assert {"ErrorAnswer", "BatchRequest", "EvaluationRecord", "EnrollRequest", "DeviceConfig"} <= set(
        schemas
    )
    assert set(schemas["EvaluationRecord"]["properties"]) == {*spec_example_record(), "hash"}


def test_the_documented_record_model_takes_the_worked_example() -> None:
    record = EvaluationRecord.model_validate(sealed(spec_example_record()))
    assert record.model_dump(by_alias=True) == sealed(spec_example_record())


def test_province_never_imports_kiosk() -> None:
    package = Path(province.__file__).parent
    modules = list(package.glob("*.py"))
    assert len(modules) > 10
    for module in modules:
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            assert not any(name == "kiosk" or name.startswith("kiosk.") for name in names), module.name


def test_the_published_openapi_document_is_current() -> None:
    # The publishing script lives with the repository's tools; the sandbox itself never imports the pad.
    from scripts.write_openapi import SANDBOX_TARGET, render_sandbox

    assert json.loads(SANDBOX_TARGET.read_text(encoding="utf-8")) == json.loads(render_sandbox()), (
        "docs/uplink-sandbox-openapi.json is stale: run `.venv/bin/python scripts/write_openapi.py`"
    )
