"""Where the packaged assets are: beside the source tree, or inside a PyInstaller bundle."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any


def assets_dir() -> Path:
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "assets"
    return Path(__file__).resolve().parent.parent / "assets"


def asset(*parts: str) -> Path:
    return assets_dir().joinpath(*parts)


def load_json(*parts: str) -> Any:
    return json.loads(asset(*parts).read_text(encoding="utf-8"))
