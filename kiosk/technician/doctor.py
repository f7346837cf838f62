"""`kiosk doctor`: the checks on a data directory, one line each, for reading out over the phone."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from kiosk import __version__
from kiosk.technician.checks import Check, Status
from kiosk.technician.diagnose import diagnose_data_dir


def report_lines(checks: list[Check]) -> list[str]:
    """The report: one line per check, then the tally."""
    tally = {status: sum(1 for c in checks if c.status is status) for status in Status}
    return [check.line() for check in checks] + [
        f"doctor: {tally[Status.OK]} ok, {tally[Status.WARN]} to look at, {tally[Status.FAIL]} failed"
    ]


def exit_status(checks: list[Check]) -> int:
    """0 when no check failed; 2 when the configuration is bad (cli.md: a bad configuration is 2); else 1."""
    if any(c.name == "config" and c.status is Status.FAIL for c in checks):
        return 2
    return 1 if any(c.status is Status.FAIL for c in checks) else 0


def run_doctor(data_dir: Path | None, out: TextIO | None = None) -> int:
    """Prints `kiosk doctor: DIR (kiosk X.Y.Z)`, a line per check (`what: found — what to do`) and the tally.

    Returns:
        0 when no check failed, 1 when one did, 2 when the configuration is bad.
    """
    from kiosk.config import default_data_dir

    stream = out or sys.stdout
    data_dir = (data_dir or default_data_dir()).resolve()
    print(f"kiosk doctor: {data_dir} (kiosk {__version__})", file=stream, flush=True)
    checks = diagnose_data_dir(data_dir)
    for line in report_lines(checks):
        print(line, file=stream, flush=True)
    return exit_status(checks)
