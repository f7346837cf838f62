"""The built bundle (dist/kiosk), when there is one built from the current source: `make bundle` builds it
after `make test`, so in CI this skips; packaging/check-bundle.sh is the check itself."""

from __future__ import annotations

import subprocess

import pytest

from tests.helpers.procs import ROOT
from tests.packaging.bundle import BUNDLE, why_no_bundle

pytestmark = pytest.mark.skipif(bool(why_no_bundle()), reason=why_no_bundle() or "-")


@pytest.mark.slow
def test_the_bundle_runs_with_no_python_and_an_empty_environment() -> None:
    done = subprocess.run(
        ["bash", str(ROOT / "packaging" / "check-bundle.sh"), str(BUNDLE)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.rstrip().endswith("check-bundle: all checks passed")
