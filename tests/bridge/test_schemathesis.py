"""The live bridge against its own OpenAPI document: schemathesis, positive and negative data, at least
50 examples per operation; no 5xx, no answer outside the schema."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from kiosk.bridge.openapi import openapi_document
from scripts.write_openapi import TARGET, render
from tests.helpers.procs import headless_pad

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def bridge(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    data = tmp_path_factory.mktemp("schemathesis-pad")
    # Any origin may call it, so that the preflights are answered (204) as well as refused (no Origin).
    child = headless_pad(data, 'bridge.allowed_origins=["*"]')
    url = child.read_line(r"^kiosk: ready bridge=(\S+) data=").group(1)
    token = (data / "bridge.token").read_text().strip()
    yield url, token
    assert child.terminate() == 0


# The schema is static (kiosk/bridge/openapi.py), so its operations are known at collection; the live
# bridge then serves the same document (checked below).
SCHEMA = schemathesis.openapi.from_dict(openapi_document())
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def takes_nothing(operation: schemathesis.APIOperation) -> bool:
    """No parameters, no body, no token (client.js): one example to give, and nothing to make invalid."""
    raw = operation.definition.raw
    return not raw.get("parameters") and not operation.body and raw.get("security") == []


CASES = [
    pytest.param(operation, mode, id=f"{operation.label}-{name}")
    for operation in OPERATIONS
    for mode, name in ((GenerationMode.POSITIVE, "valid"), (GenerationMode.NEGATIVE, "invalid"))
    if not (mode is GenerationMode.NEGATIVE and takes_nothing(operation))
]


@pytest.mark.parametrize(("operation", "mode"), CASES)
def test_no_5xx_and_every_answer_in_the_schema(
    bridge: tuple[str, str], operation: schemathesis.APIOperation, mode: GenerationMode
) -> None:
    url, token = bridge
    http = requests.Session()
    calls = []

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=50, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def exercise(case: schemathesis.Case) -> None:
        response = case.call_and_validate(
            base_url=url, session=http, headers={"Authorization": f"Bearer {token}"}, checks=CHECKS
        )
        calls.append(response.status_code)

    exercise()
    few_allowed = mode is GenerationMode.NEGATIVE or takes_nothing(operation)
    assert len(calls) >= 50 or (few_allowed and len(calls) > 0), calls


def test_the_published_document_is_the_served_one(bridge: tuple[str, str]) -> None:
    url, _token = bridge
    served = requests.get(f"{url}/api/v1/openapi.json", timeout=10).json()
    assert served == json.loads(render())
    assert json.loads(Path(TARGET).read_text(encoding="utf-8")) == served, (
        "docs/counter-bridge-openapi.json is stale: run `.venv/bin/python scripts/write_openapi.py`"
    )
