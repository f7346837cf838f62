"""Logging: every handler of the pad masks ID and phone numbers in whatever it writes, the last line of
defence behind callers that never log personal data on purpose (rules.md R3)."""

from __future__ import annotations

import io
import logging
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.logs import setup_logging
from tests.helpers.people import CHEN_MING_ID, CHEN_MING_MOBILE
from tests.helpers.procs import ROOT, child_env
from tests.helpers.scan import encodings

OLD_ID = "350102900101123"  # a first-generation, 15-digit number
CARD = "6222021234567890123"


@pytest.fixture
def logged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Path, io.StringIO]]:
    """Logging set up as `kiosk run` sets it up, stderr caught in a buffer of the test's own."""
    root = logging.getLogger()
    level = root.level
    stderr = io.StringIO()
    monkeypatch.setattr(sys, "stderr", stderr)
    setup_logging(tmp_path, stderr_level=logging.INFO)
    yield tmp_path, stderr
    for handler in list(root.handlers):
        if handler.get_name() == "kiosk":
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)


def test_every_handler_masks_messages_arguments_and_tracebacks(logged: tuple[Path, io.StringIO]) -> None:
    data_dir, stderr = logged
    log = logging.getLogger("kiosk.test")
    log.warning("province said: certNo %s, mobile %s", CHEN_MING_ID, CHEN_MING_MOBILE)
    log.info(f"an old card {OLD_ID} and a bank card {CARD}")  # what a careless caller writes
    try:
        raise ValueError(f"no applicant {CHEN_MING_ID}")
    except ValueError:
        log.exception("failed")
    log.warning("%s %s", "not enough arguments")  # noqa: PLE1206 - a malformed call must neither raise nor leak
    written = (data_dir / "logs" / "kiosk.log").read_bytes() + stderr.getvalue().encode()
    for secret in (CHEN_MING_ID, CHEN_MING_MOBILE, OLD_ID, CARD):
        assert not any(form in written for form in encodings(secret)), secret[:3]
    assert b"3501**********1238" in written and b"138****8000" in written
    assert b"ValueError: no applicant 3501**********1238" in written


def test_an_uncaught_exception_is_reported_masked() -> None:
    code = (
        "import logging, threading\n"
        "from kiosk.logs import setup_logging, log_uncaught_exceptions\n"
        "setup_logging(None)\n"
        "log_uncaught_exceptions()\n"
        f"t = threading.Thread(target=lambda: 1 / 0 if False else int('{CHEN_MING_ID}x'))\n"
        "t.start(); t.join()\n"
        f"raise RuntimeError('mobile {CHEN_MING_MOBILE}')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=child_env(), capture_output=True, timeout=60, check=False
    )
    assert done.returncode == 1
    assert (
        b"uncaught exception in thread" in done.stderr and b"RuntimeError: mobile 138****8000" in done.stderr
    )
    for secret in (CHEN_MING_ID, CHEN_MING_MOBILE):
        assert not any(form in done.stderr + done.stdout for form in encodings(secret)), secret[:3]
