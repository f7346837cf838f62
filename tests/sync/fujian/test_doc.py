"""docs/fujian-gateway.md: its examples are what the code does."""

from __future__ import annotations

import re
from pathlib import Path

from kiosk.sync.fujian.case_xml import DEFAULT_TEMPLATE
from kiosk.sync.fujian.soap import build_envelope

DOC = Path(__file__).resolve().parents[3] / "docs" / "fujian-gateway.md"


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", DOC.read_text("utf-8"), flags=re.DOTALL)


def test_the_python_example_runs() -> None:
    (example,) = _blocks("python")
    exec(compile(example, str(DOC), "exec"), {})  # the page's own example, asserts included


def test_the_template_shown_is_the_built_in_one() -> None:
    assert DEFAULT_TEMPLATE in _blocks("xml")


def test_the_envelope_shown_is_the_one_sent() -> None:
    envelope = build_envelope("getSaveEvaluation", "APP_KEY", "XMLSTR", "TOKEN").decode("utf-8")
    assert envelope + "\n" in _blocks("xml")


def test_nothing_links_outside_the_repository() -> None:
    text = DOC.read_text("utf-8")
    assert "](http" not in text
    assert "shared/" not in text
