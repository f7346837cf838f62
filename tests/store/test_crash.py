"""Crash safety: a writer killed with SIGKILL at random moments never loses a committed rating."""

from __future__ import annotations

import random
import subprocess
import sys
import time
from pathlib import Path

from kiosk.domain.clock import ManualClock
from kiosk.store.ledger import Ledger
from kiosk.store.verify import verify
from tests.helpers.procs import ROOT, child_env
from tests.store.conftest import START

KILLS = 50


def test_sigkill_at_random_moments_loses_nothing_committed(tmp_path: Path) -> None:
    data = tmp_path / "data"
    rng = random.Random(20261127)
    reported: set[int] = set()
    for _ in range(KILLS):
        child = subprocess.Popen(
            [sys.executable, "-m", "tests.store.crash_writer", str(data)],
            cwd=ROOT,
            env=child_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready", child.stderr.read() if child.stderr else ""
        time.sleep(rng.uniform(0.0, 0.3))
        child.kill()
        child.wait()
        lines = child.stdout.read().split()
        # The last line may be cut by the kill; every whole line was flushed after its commit returned.
        reported.update(int(line) for line in lines if line.isdigit())
        verdict = verify(data)
        assert verdict.ok, verdict
        ledger = Ledger.open(data, ManualClock(START))
        try:
            last = ledger.last_link()[0]
            assert max(reported, default=0) <= last
            stored = {row[0] for row in ledger._db.execute("SELECT seq FROM ratings")}
            missing = sorted(reported - stored)
            assert not missing, f"committed seqs lost after a kill: {missing[:5]}"
        finally:
            ledger.close()
    assert len(reported) > KILLS, "the writer should have committed many ratings between kills"
    print(f"{KILLS} kills, {len(reported)} ratings reported and all present")
