"""Writes the bridge's OpenAPI document to docs/: `python scripts/write_openapi.py`."""

from __future__ import annotations

import json
from pathlib import Path

from kiosk.bridge.openapi import openapi_document

TARGET = Path(__file__).resolve().parent.parent / "docs" / "counter-bridge-openapi.json"


def render() -> str:
    return json.dumps(openapi_document(), ensure_ascii=False, indent=2) + "\n"


if __name__ == "__main__":
    TARGET.write_text(render(), encoding="utf-8")
    print(f"wrote {TARGET}")
