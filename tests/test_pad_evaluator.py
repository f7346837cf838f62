"""The Pad with the real EVP/1 driver on a pseudo-terminal: presses rate, broken frames do not."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from kiosk.devices.evaluator_simulator import SimulatedEvaluator
from kiosk.devices.frame_codec import encode_frame
from tests.helpers.fixtures import MakePad
from tests.helpers.people import session_body


@pytest.fixture
def simulator() -> Iterator[SimulatedEvaluator]:
    sim = SimulatedEvaluator("frame", address=1)
    yield sim
    sim.close()


def test_a_broken_frame_is_ignored_and_counted_and_a_press_rates(
    qtbot: QtBot, make_pad: MakePad, simulator: SimulatedEvaluator
) -> None:
    app = make_pad("evaluator.protocol=frame", f'evaluator.port="{simulator.port}"')
    qtbot.waitUntil(lambda: app.evaluator.state.value == "connected", timeout=5000)
    created = app.client.post("/api/v1/sessions", json=session_body())  # type: ignore[attr-defined]
    assert created.status_code == 201
    qtbot.waitUntil(lambda: "armed" in simulator.commands, timeout=5000)
    assert "prompt 2 played" in simulator.commands  # the device has a voice: it asks
    key = bytearray(encode_frame(1, 0x40, 0x01, bytes([2])))
    key[-1] ^= 0xFF  # a KEY frame with a broken CRC
    simulator.write_raw(bytes(key))
    qtbot.waitUntil(lambda: app.evaluator.diagnostics.crc_errors >= 1, timeout=5000)
    assert app.ledger.presses() == []
    assert app.ledger.last_link()[0] == 0
    simulator.press(1)  # 非常满意
    qtbot.waitUntil(lambda: app.ledger.last_link()[0] == 1, timeout=5000)
    record = app.ledger.record(1)
    assert record is not None
    assert record["satisfaction"] == 5
    assert record["pf"] == "5"
    assert [(p["button"], p["level"], p["counted"]) for p in app.ledger.presses()] == [(1, 5, 1)]
    # R7: every LED flashes together, the device thanks, and the buttons go dark.
    qtbot.waitUntil(lambda: "disarmed" in simulator.commands, timeout=5000)
    assert "LEDs flashed" in simulator.commands
    qtbot.waitUntil(lambda: "prompt 3 played" in simulator.commands, timeout=5000)
