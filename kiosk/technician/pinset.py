"""`kiosk pin set`: the technician PIN from the terminal, asked twice, kept only as its slow salted hash."""

from __future__ import annotations

import getpass
import logging
import sys
from collections.abc import Callable
from pathlib import Path

from kiosk.config import CONFIG_FILE, ConfigError, load
from kiosk.technician.pin import PinFormatError, check_pin_format, hash_pin
from kiosk.technician.settings import write_changes

log = logging.getLogger(__name__)


def run_pin_set(data_dir: Path | None, ask: Callable[[str], str] = getpass.getpass) -> int:
    """Asks for the PIN twice (without echo) and writes its hash to `console.pin_hash` in DIR/kiosk.toml.

    Args:
        data_dir: the pad's data directory (default: the platform's).
        ask: reads one answer without echo (getpass; tests pass their own).

    Returns:
        0 when stored; 1 when the PIN was refused or not stored; 2 when kiosk.toml is bad (naming the key).
    """
    from kiosk.config import default_data_dir
    from kiosk.logs import setup_logging

    data_dir = (data_dir or default_data_dir()).resolve()
    path = data_dir / CONFIG_FILE
    try:
        load(path)
    except ConfigError as exc:
        print(f"kiosk: config: {exc}", file=sys.stderr)
        return 2
    try:
        first = ask("New technician PIN (4-12 digits): ")
        check_pin_format(first)
        if ask("The same PIN again: ") != first:
            print("pin set: the two PINs differ; nothing was changed", file=sys.stderr)
            return 1
    except PinFormatError as exc:
        print(f"pin set: {exc}; nothing was changed", file=sys.stderr)
        return 1
    except (EOFError, KeyboardInterrupt):
        print("\npin set: cancelled; nothing was changed", file=sys.stderr)
        return 1
    try:
        write_changes(path, {"console.pin_hash": hash_pin(first)})
    except (ConfigError, OSError) as exc:
        print(f"pin set: {path} cannot be written: {exc}", file=sys.stderr)
        return 1
    setup_logging(data_dir)
    log.info("console: technician PIN set with `kiosk pin set`")
    print(f"pin set: stored as a salted scrypt hash in {path} (console.pin_hash)", flush=True)
    return 0
