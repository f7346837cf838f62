"""A child process for the crash test: records ratings as fast as it can, reporting each committed seq.

Usage: python -m tests.store.crash_writer DATA_DIR. Prints `ready`, then one seq per line, flushed
before the next rating begins, until it is killed.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from kiosk.domain.clock import SystemClock
from kiosk.store.ledger import Ledger
from tests.store.conftest import rate


def main() -> None:
    ledger = Ledger.open(Path(sys.argv[1]), SystemClock())
    out = sys.stdout
    out.write("ready\n")
    out.flush()
    n = 0
    while True:
        recorded = rate(ledger, f"C-{os.getpid()}-{n}", 5 - n % 5)
        out.write(f"{recorded.seq}\n")
        out.flush()
        n += 1


if __name__ == "__main__":
    main()
