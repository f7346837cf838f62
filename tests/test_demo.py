"""The README's promise: `kiosk demo` with no display ends with its line, M read from the sandbox."""

from __future__ import annotations

from pathlib import Path

import pytest

from province.store import SandboxStore
from tests.helpers.procs import run_kiosk

pytestmark = pytest.mark.slow


def test_headless_demo_rates_five_and_the_province_accepts_them(tmp_path: Path) -> None:
    result = run_kiosk("demo", "--headless", "--data-dir", str(tmp_path), timeout=120)
    lines = result.stdout.strip().splitlines()
    assert result.returncode == 0, result.stdout + result.stderr
    assert lines[-1] == "demo: 5 rated, 5 accepted by the province, 0 waiting"
    assert any(line.startswith("demo: the province's overview page: http://127.0.0.1:") for line in lines)
    # The pad and the sandbox kept their own files in the demo's data directory.
    assert (tmp_path / "pad" / "kiosk.sqlite3").exists()
    # Four pressed on the evaluator and sent by the pad; the fifth made on the QR code's page, which the
    # province holds as the 办件's first rating (pf 3) and the pad only learnt.
    with SandboxStore(tmp_path / "sandbox.sqlite3") as store:
        held = store.overview()
        (device,) = held.devices
        assert store.accepted_count(device.device_id) == 4
        assert held.phone_count == 1


def test_demo_counts_its_ratings(tmp_path: Path) -> None:
    result = run_kiosk("demo", "--headless", "--ratings", "3", "--data-dir", str(tmp_path), timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().splitlines()[-1] == "demo: 3 rated, 3 accepted by the province, 0 waiting"


def test_demo_refuses_zero_ratings(tmp_path: Path) -> None:
    result = run_kiosk("demo", "--headless", "--ratings", "0", "--data-dir", str(tmp_path))
    assert result.returncode == 2


def test_the_terminal_demo_finds_cases_by_card_and_by_receipt(tmp_path: Path) -> None:
    result = run_kiosk(
        "demo", "--headless", "--role", "terminal", "--ratings", "4", "--data-dir", str(tmp_path), timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().splitlines()[-1] == "demo: 4 rated, 4 accepted by the province, 0 waiting"
    # Every rating a self-service terminal's (pf 5), two found by the ID card and two by their receipts.
    with SandboxStore(tmp_path / "sandbox.sqlite3") as store:
        (device,) = store.overview().devices
        records = [stored.record for stored in store.records_for(device.device_id)]
    assert [record["pf"] for record in records] == ["5"] * 4
    holders = [record["certNo"] for record in records]
    assert holders[0] == holders[1] and len(set(holders)) == 3


def test_the_demo_through_the_fujian_gateway_double(tmp_path: Path) -> None:
    result = run_kiosk(
        "demo", "--headless", "--profile", "fujian-gateway", "--ratings", "3", "--data-dir", str(tmp_path),
        timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().splitlines()[-1] == "demo: 3 rated, 3 accepted by the province, 0 waiting"
    # Two pressed on the evaluator and taken by the gateway; the third made on the province's page that the
    # gateway gave as the QR code. No enrolment and no heartbeat.
    with SandboxStore(tmp_path / "sandbox.sqlite3") as store:
        held = store.overview()
        assert held.phone_count == 1
        (app,) = held.devices  # the app, enrolled as its window's device
        assert app.last_heartbeat_at is None
        assert len(store.gateway_ratings_for(app.device_id)) == 2
