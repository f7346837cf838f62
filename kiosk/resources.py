"""Where the packaged assets are: beside the source tree, or inside a PyInstaller bundle."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kiosk.domain.reasons import ReasonCatalogue


def assets_dir() -> Path:
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "assets"
    return Path(__file__).resolve().parent.parent / "assets"


def asset(*parts: str) -> Path:
    return assets_dir().joinpath(*parts)


def load_json(*parts: str) -> Any:
    return json.loads(asset(*parts).read_text(encoding="utf-8"))


def shipped_reasons() -> ReasonCatalogue:
    """The reason catalogue the pad ships (assets/reasons.json), until the province sends its own."""
    from kiosk.domain.reasons import ReasonCatalogue

    return ReasonCatalogue.from_json(load_json("reasons.json"))
