"""Device drivers: evaluators (evaluator-protocol.md), one module per family behind base.Evaluator, and the
ID card reader and barcode scanner of self-service terminals (idcard-reader.md).

`create_evaluator`, `create_card_reader` and `create_scanner` are the one place that picks a driver from the
configuration; each driver module is imported only when chosen, so a pad without an evaluator never loads
the serial machinery for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.devices.base import Evaluator, NoEvaluator
from kiosk.domain.clock import Clock

if TYPE_CHECKING:
    from kiosk.devices.card_reader import CardReader
    from kiosk.devices.scanner import Scanner

PROTOCOLS = ("frame", "ascii", "keyboard", "none")
IDCARD_PROTOCOLS = ("sam", "none")
SCANNER_PROTOCOLS = ("serial", "keyboard", "none")


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
        from kiosk.devices.frame_driver import FrameEvaluator

        return FrameEvaluator(port, baud=baud, address=address, buttons=buttons, clock=clock)
    if protocol == "ascii":
        from kiosk.devices.ascii_driver import AsciiEvaluator

        return AsciiEvaluator(port, baud=baud, buttons=buttons, clock=clock)
    if protocol == "keyboard":
        from kiosk.devices.keyboard_driver import KeyboardEvaluator

        return KeyboardEvaluator(keys, buttons, clock=clock)
    if protocol == "none":
        return NoEvaluator(buttons=buttons)
    raise ValueError(f"evaluator.protocol must be one of {', '.join(PROTOCOLS)}, got {protocol!r}")


def create_card_reader(protocol: str, port: str, baud: int, clock: Clock) -> CardReader:
    """The ID card reader for `idcard.protocol`, not yet started (call start() on the Qt thread).

    Args:
        protocol: sam or none.
        port: device path, `hwid:VID:PID[:SERIAL]` or pyserial URL (sam).
        baud: the baud rate (sam; 115200).
        clock: today's date, for a card's expiry.

    Raises:
        ValueError: for an unknown protocol.
    """
    if protocol == "sam":
        from kiosk.devices.card_reader import SamCardReader

        return SamCardReader(port, baud=baud, clock=clock)
    if protocol == "none":
        from kiosk.devices.card_reader import NoCardReader

        return NoCardReader()
    raise ValueError(f"idcard.protocol must be one of {', '.join(IDCARD_PROTOCOLS)}, got {protocol!r}")


def create_scanner(protocol: str, port: str, baud: int, max_key_gap_ms: int) -> Scanner:
    """The barcode scanner for `scanner.protocol`, not yet started (call start() on the Qt thread).

    Args:
        protocol: serial, keyboard or none.
        port: device path, `hwid:VID:PID[:SERIAL]` or pyserial URL (serial).
        baud: the baud rate (serial; 9600).
        max_key_gap_ms: the longest gap between the keys of one scan (keyboard).

    Raises:
        ValueError: for an unknown protocol.
    """
    if protocol == "serial":
        from kiosk.devices.scanner import SerialScanner

        return SerialScanner(port, baud=baud)
    if protocol == "keyboard":
        from kiosk.devices.keyboard_scanner import KeyboardScanner

        return KeyboardScanner(max_key_gap_ms)
    if protocol == "none":
        from kiosk.devices.scanner import NoScanner

        return NoScanner()
    raise ValueError(f"scanner.protocol must be one of {', '.join(SCANNER_PROTOCOLS)}, got {protocol!r}")


__all__ = [
    "IDCARD_PROTOCOLS",
    "PROTOCOLS",
    "SCANNER_PROTOCOLS",
    "Evaluator",
    "NoEvaluator",
    "create_card_reader",
    "create_evaluator",
    "create_scanner",
]
