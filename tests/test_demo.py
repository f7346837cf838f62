"""The README's promise: `kiosk demo` with no display ends with its line, M read from the sandbox."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.procs import run_kiosk

pytestmark = pytest.mark.slow


def test_headless_demo_rates_five_and_the_province_accepts_them(tmp_path: Path) -> None:
    result = run_kiosk("demo", "--headless", "--data-dir", str(tmp_path), timeout=120)
    lines = result.stdout.strip().splitlines()
    assert result.returncode == 0, result.stdout + result.stderr
    assert lines[-1] == "demo: 5 rated, 5 accepted by the province, 0 waiting"
    # The pad and the sandbox kept their own files in the demo's data directory.
    assert (tmp_path / "pad" / "kiosk.sqlite3").exists()
    assert (tmp_path / "sandbox.sqlite3").exists()


def test_demo_counts_its_ratings(tmp_path: Path) -> None:
    result = run_kiosk("demo", "--headless", "--ratings", "3", "--data-dir", str(tmp_path), timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().splitlines()[-1] == "demo: 3 rated, 3 accepted by the province, 0 waiting"


def test_demo_refuses_zero_ratings(tmp_path: Path) -> None:
    result = run_kiosk("demo", "--headless", "--ratings", "0", "--data-dir", str(tmp_path))
    assert result.returncode == 2
