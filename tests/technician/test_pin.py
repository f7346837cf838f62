"""The PIN as stored (a slow salted hash, never the PIN) and the lockout, on an injected clock; and
`kiosk pin set` on a real terminal."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest

from kiosk.config import load
from kiosk.technician.pin import (
    LOCKOUT_S,
    PinFormatError,
    PinLockout,
    PinOutcome,
    describe_hash,
    hash_pin,
    verify_pin,
)
from kiosk.technician.pinset import run_pin_set
from tests.helpers.procs import ROOT, child_env, kiosk_command
from tests.helpers.scan import scan_for_personal_data
from tests.technician.conftest import PIN, FakeMonotonic


def test_the_hash_is_salted_self_describing_and_checks_only_the_right_pin() -> None:
    first, second = hash_pin(PIN), hash_pin(PIN)
    assert first != second  # a random salt each time
    assert first.startswith("scrypt$n=16384,r=8,p=1$")
    assert PIN not in first
    assert verify_pin(PIN, first) and verify_pin(PIN, second)
    assert not verify_pin("97531865", first)
    assert not verify_pin(PIN[:-1], first)
    assert describe_hash(first) == "scrypt (n=16384, r=8, p=1)"


@pytest.mark.parametrize("pin", ["123", "1234567890123", "12a4", "", "１２３４"])
def test_a_pin_is_4_to_12_digits(pin: str) -> None:
    with pytest.raises(PinFormatError):
        hash_pin(pin)


def test_an_unreadable_or_too_costly_hash_opens_nothing() -> None:
    good = hash_pin(PIN)
    salt, digest = good.split("$")[2:]
    for stored in (
        "",
        PIN,
        "scrypt$n=16384$x$y",
        f"scrypt$n=4194304,r=8,p=1${salt}${digest}",  # would take gigabytes
        f"md5$i=1${salt}${digest}",
    ):
        assert not verify_pin(PIN, stored)
        assert describe_hash(stored) is None


def test_pbkdf2_hashes_are_read_too() -> None:
    import base64
    import hashlib

    salt = b"0123456789abcdef"
    digest = hashlib.pbkdf2_hmac("sha256", PIN.encode(), salt, 1000, 32)
    stored = f"pbkdf2-sha256$i=1000${base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}"
    assert verify_pin(PIN, stored)
    assert not verify_pin("1234", stored)


def test_five_wrong_tries_lock_for_five_minutes_then_the_lock_ends() -> None:
    clock = FakeMonotonic()
    lockout = PinLockout(monotonic=clock)
    stored = hash_pin(PIN)
    for left in (4, 3, 2, 1):
        attempt = lockout.attempt("1111", stored)
        assert (attempt.outcome, attempt.tries_left) == (PinOutcome.WRONG, left)
    attempt = lockout.attempt("1111", stored)
    assert attempt.outcome is PinOutcome.LOCKED and attempt.locked_for_s == LOCKOUT_S
    # While locked even the right PIN is not checked.
    clock.advance(LOCKOUT_S - 1)
    assert lockout.attempt(PIN, stored).outcome is PinOutcome.LOCKED
    assert 0 < lockout.locked_for() <= 1
    clock.advance(1)
    assert lockout.locked_for() == 0
    assert lockout.tries_left == 5
    assert lockout.attempt(PIN, stored).outcome is PinOutcome.ACCEPTED


def test_a_right_pin_starts_the_count_again() -> None:
    lockout = PinLockout(monotonic=FakeMonotonic())
    stored = hash_pin(PIN)
    for _ in range(4):
        lockout.attempt("1111", stored)
    assert lockout.attempt(PIN, stored).outcome is PinOutcome.ACCEPTED
    assert lockout.attempt("1111", stored).tries_left == 4


def test_pin_set_stores_only_the_hash(tmp_path: Path, file_logging: object) -> None:
    answers = iter([PIN, PIN])
    assert run_pin_set(tmp_path, ask=lambda _prompt: next(answers)) == 0
    stored = load(tmp_path / "kiosk.toml").console.pin_hash
    assert verify_pin(PIN, stored)
    assert (tmp_path / "kiosk.toml").stat().st_mode & 0o777 == 0o600
    assert scan_for_personal_data(tmp_path, [PIN]) == []
    assert "technician PIN set" in (tmp_path / "logs" / "kiosk.log").read_text()


@pytest.mark.parametrize(("first", "second"), [(PIN, "97531865"), ("12", "12"), ("abcd", "abcd")])
def test_pin_set_refuses_and_changes_nothing(tmp_path: Path, first: str, second: str) -> None:
    answers = iter([first, second])
    assert run_pin_set(tmp_path, ask=lambda _prompt: next(answers)) == 1
    assert not (tmp_path / "kiosk.toml").exists()


def test_pin_set_keeps_the_rest_of_the_file_and_refuses_a_bad_one(
    tmp_path: Path, file_logging: object
) -> None:
    (tmp_path / "kiosk.toml").write_text(
        '[pad]\nvolume = 30\n[uplink]\nurl = "https://hcp.example.gov.cn/api/v1"\n'
    )
    answers = iter([PIN, PIN])
    assert run_pin_set(tmp_path, ask=lambda _prompt: next(answers)) == 0
    config = load(tmp_path / "kiosk.toml")
    assert config.pad.volume == 30 and config.uplink.url == "https://hcp.example.gov.cn/api/v1"
    (tmp_path / "kiosk.toml").write_text("[pad]\nvolume = 300\n")
    assert run_pin_set(tmp_path, ask=lambda _prompt: PIN) == 2


def test_kiosk_pin_set_asks_twice_on_a_terminal_without_echo(tmp_path: Path) -> None:
    main, child = os.openpty()
    proc = subprocess.Popen(
        kiosk_command("pin", "set", "--data-dir", str(tmp_path)),
        cwd=ROOT,
        env=child_env(),
        stdin=child,
        stdout=child,
        stderr=child,
        start_new_session=True,  # no controlling terminal: getpass reads the pty on stdin, echo off
    )
    os.close(child)
    seen = b""
    try:
        for answer in (PIN, PIN):
            seen += _read_until(main, b": ")
            os.write(main, answer.encode() + b"\n")
        seen += _read_until(main, b"console.pin_hash)")
        assert proc.wait(timeout=30) == 0
    finally:
        proc.kill()
        os.close(main)
    assert PIN.encode() not in seen  # never echoed
    assert b"The same PIN again" in seen
    assert verify_pin(PIN, load(tmp_path / "kiosk.toml").console.pin_hash)


def _read_until(fd: int, marker: bytes, timeout: float = 30.0) -> bytes:
    import select

    data = b""
    deadline = time.monotonic() + timeout
    while marker not in data and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                data += os.read(fd, 1024)
            except OSError:
                break
    assert marker in data, data
    return data
