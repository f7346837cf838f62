"""Writes the published OpenAPI documents to docs/: `python scripts/write_openapi.py`.

- docs/counter-bridge-openapi.json: the pad's counter bridge (kiosk/bridge/openapi.py), served at
  /api/v1/openapi.json by every pad;
- docs/uplink-sandbox-openapi.json: the provincial sandbox (province/), served at /api/v1/openapi.json by
  `kiosk sandbox`.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from kiosk.bridge.openapi import openapi_document

DOCS = Path(__file__).resolve().parent.parent / "docs"
TARGET = DOCS / "counter-bridge-openapi.json"
SANDBOX_TARGET = DOCS / "uplink-sandbox-openapi.json"


def _dump(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def render() -> str:
    """The bridge's document as published."""
    return _dump(openapi_document())


def render_sandbox() -> str:
    """The sandbox's document as published."""
    from province.app import create_app
    from province.store import SandboxStore

    with tempfile.TemporaryDirectory() as tmp:
        store = SandboxStore(Path(tmp) / "sandbox.sqlite3")
        try:
            return _dump(create_app(store).openapi())
        finally:
            store.close()


def main() -> int:
    TARGET.write_text(render(), encoding="utf-8")
    SANDBOX_TARGET.write_text(render_sandbox(), encoding="utf-8")
    print(f"wrote {TARGET} and {SANDBOX_TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
