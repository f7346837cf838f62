"""Evaluator drivers (evaluator-protocol.md): one module per family behind base.Evaluator.

`create_evaluator` is the one place that picks a family from the configuration; each family module is
imported only when chosen, so a pad without an evaluator never loads the serial machinery.
"""

from __future__ import annotations

from kiosk.devices.base import Evaluator, NoEvaluator
from kiosk.domain.clock import Clock

PROTOCOLS = ("frame", "ascii", "keyboard", "none")


def create_evaluator(
    protocol: str,
    port: str,
    baud: int,
    address: int,
    buttons: dict[int, int],
    keys: list[str],
    clock: Clock,
) -> Evaluator:
    """The driver for `evaluator.protocol`, not yet started (call start() on the Qt thread).

    Args:
        protocol: frame, ascii, keyboard or none.
        port: device path, `hwid:VID:PID[:SERIAL]` or pyserial URL (frame, ascii).
        baud: the baud rate (frame, ascii).
        address: the EVP/1 address (frame).
        buttons: button number to level.
        keys: key names for buttons 1, 2, … (keyboard).
        clock: stamps presses.

    Raises:
        ValueError: for an unknown protocol or a key name the keyboard family refuses.
    """
    if protocol == "frame":
        from kiosk.devices.frame import FrameEvaluator

        return FrameEvaluator(port, baud=baud, address=address, buttons=buttons, clock=clock)
    if protocol == "ascii":
        from kiosk.devices.ascii import AsciiEvaluator

        return AsciiEvaluator(port, baud=baud, buttons=buttons, clock=clock)
    if protocol == "keyboard":
        from kiosk.devices.keyboard import KeyboardEvaluator

        return KeyboardEvaluator(keys, buttons, clock=clock)
    if protocol == "none":
        return NoEvaluator(buttons=buttons)
    raise ValueError(f"evaluator.protocol must be one of {', '.join(PROTOCOLS)}, got {protocol!r}")


__all__ = ["PROTOCOLS", "Evaluator", "NoEvaluator", "create_evaluator"]
