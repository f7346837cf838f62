"""docs/finding-cases.md: every example is what the sandbox takes and answers."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import requests

from province.server import SandboxServer
from tests.province.conftest import FakeClock, enrolled_device

DOC = Path(__file__).resolve().parents[2] / "docs" / "finding-cases.md"
TEXT = DOC.read_text(encoding="utf-8")
EXAMPLES: list[Any] = [json.loads(block) for block in re.findall(r"```json\n(.*?)```", TEXT, re.DOTALL)]
BY_CERT, BY_PROJECT, ANSWER, TOO_MANY, REPORT, NOTICE = EXAMPLES
THE_DAY_AFTER = datetime.fromisoformat("2026-11-28T10:00:00+08:00").timestamp()


def test_the_examples_against_the_sandbox(start_sandbox: Callable[..., SandboxServer]) -> None:
    server = start_sandbox(clock=FakeClock(THE_DAY_AFTER))
    terminal = enrolled_device(server)
    assert requests.post(f"{server.url}/projects", json=REPORT, timeout=10).status_code == 201

    for body in (BY_CERT, BY_PROJECT):
        answer = terminal.request("POST", f"/devices/{terminal.device_id}/lookup", body)
        assert (answer.status_code, answer.json()) == (200, ANSWER)

    wrong = terminal.request("POST", f"/devices/{terminal.device_id}/lookup", {**BY_PROJECT, "check": "0000"})
    assert wrong.content == b'{"cases":[]}'
    assert '`{"cases":[]}`' in TEXT
    for _ in range(9):
        terminal.request("POST", f"/devices/{terminal.device_id}/lookup", {**BY_PROJECT, "check": "0000"})
    refused = terminal.request("POST", f"/devices/{terminal.device_id}/lookup", BY_CERT)
    assert (refused.status_code, refused.json()) == (429, TOO_MANY)

    config = terminal.request("GET", f"/devices/{terminal.device_id}/config").json()
    assert NOTICE in config["notices"]


def test_the_doc_links_nothing_outside_the_repository() -> None:
    assert "../shared" not in TEXT
    assert not re.search(r"\]\((?!#)[a-z]+://", TEXT)
