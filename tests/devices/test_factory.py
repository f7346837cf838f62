"""create_evaluator picks the family; a map with fewer than five levels is flagged."""

from __future__ import annotations

import logging

import pytest
from pytestqt.qtbot import QtBot

from kiosk.devices import create_evaluator
from kiosk.devices.ascii import AsciiEvaluator
from kiosk.devices.base import EvaluatorState, NoEvaluator
from kiosk.devices.frame import FrameEvaluator
from kiosk.devices.keyboard import KeyboardEvaluator
from kiosk.domain.clock import ManualClock

BUTTONS = {1: 5, 2: 4, 3: 3, 4: 2, 5: 1}
KEYS = ["F1", "F2", "F3", "F4", "F5"]


@pytest.mark.parametrize(
    ("protocol", "kind"),
    [
        ("frame", FrameEvaluator),
        ("ascii", AsciiEvaluator),
        ("keyboard", KeyboardEvaluator),
        ("none", NoEvaluator),
    ],
)
def test_each_protocol(protocol: str, kind: type, clock: ManualClock) -> None:
    evaluator = create_evaluator(protocol, "loop://", 9600, 3, BUTTONS, KEYS, clock)
    assert type(evaluator) is kind
    assert evaluator.protocol == protocol
    assert evaluator.compliant


def test_none_is_state_none(clock: ManualClock) -> None:
    evaluator = create_evaluator("none", "", 9600, 1, BUTTONS, KEYS, clock)
    assert evaluator.state == EvaluatorState.NONE
    assert not evaluator.can_speak


def test_frame_gets_its_address(clock: ManualClock) -> None:
    evaluator = create_evaluator("frame", "loop://", 19200, 3, BUTTONS, KEYS, clock)
    assert isinstance(evaluator, FrameEvaluator)
    assert evaluator.address == 3


def test_unknown_protocol(clock: ManualClock) -> None:
    with pytest.raises(ValueError, match=r"evaluator\.protocol"):
        create_evaluator("usb", "", 9600, 1, BUTTONS, KEYS, clock)


def test_bad_key_name(clock: ManualClock) -> None:
    with pytest.raises(ValueError, match="Ctrl"):
        create_evaluator("keyboard", "", 9600, 1, BUTTONS, ["Ctrl+F1"], clock)


def test_fewer_than_five_levels_warns_at_start(
    qtbot: QtBot, clock: ManualClock, caplog: pytest.LogCaptureFixture
) -> None:
    evaluator = create_evaluator("keyboard", "", 9600, 1, {1: 5, 2: 3, 3: 1}, KEYS, clock)
    assert not evaluator.compliant
    with caplog.at_level(logging.WARNING):
        evaluator.start()
    evaluator.stop()
    assert "not compliant with Art. 5" in caplog.text
