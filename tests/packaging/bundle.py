"""The built bundle, for the tests that run it: there, and built from the source as it is now."""

from __future__ import annotations

from tests.helpers.procs import ROOT

BUNDLE = ROOT / "dist" / "kiosk"
BUNDLE_EXE = BUNDLE / "kiosk"
# What goes into the bundle: the packages, the assets, and the build's own recipe.
SOURCES = ("kiosk", "province", "assets", "packaging/kiosk.spec", "packaging/entry.py", "packaging/hooks")


def _newest_source() -> float:
    paths = [p for top in SOURCES for p in [ROOT / top, *(ROOT / top).rglob("*")]]
    return max(p.stat().st_mtime for p in paths if p.is_file() and "__pycache__" not in p.parts)


def why_no_bundle() -> str:
    """Empty when dist/kiosk can be tested; else why not (absent, or older than the source it was built
    from, which would test yesterday's code)."""
    if not BUNDLE_EXE.exists():
        return "no bundle in dist/kiosk (make bundle)"
    if BUNDLE_EXE.stat().st_mtime < _newest_source():
        return "dist/kiosk is older than the source (make bundle)"
    return ""
