"""packaging/install.sh into a temporary root, with a stand-in bundle: files, modes, and a data directory that
a reinstall never touches."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from tests.helpers.procs import ROOT

PACKAGING = ROOT / "packaging"
INSTALL = PACKAGING / "install.sh"


def make_bundle(path: Path, version: str) -> Path:
    """A directory shaped like dist/kiosk: the executable and an _internal/ beside it."""
    (path / "_internal" / "assets").mkdir(parents=True)
    exe = path / "kiosk"
    exe.write_text(f"#!/bin/sh\necho 'kiosk {version}'\n")
    exe.chmod(0o700)
    (path / "_internal" / "assets" / "reasons.json").write_text("{}")
    (path / "_internal" / version).write_text(version)
    return path


def install(root: Path, bundle: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(INSTALL), "--root", str(root), "--bundle", str(bundle), *extra],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "root").mkdir()
    return tmp_path / "root"


def test_a_fresh_install_puts_every_file_in_place(root: Path, tmp_path: Path) -> None:
    done = install(root, make_bundle(tmp_path / "b1", "1.0.0"))
    assert done.returncode == 0, done.stderr

    exe = root / "opt/kiosk/kiosk"
    assert mode(exe) == 0o755
    assert subprocess.run([str(exe)], capture_output=True, text=True, check=True).stdout == "kiosk 1.0.0\n"
    assert (root / "opt/kiosk/_internal/assets/reasons.json").is_file()
    assert mode(root / "opt/kiosk/_internal/assets/reasons.json") == 0o644
    unit = root / "etc/systemd/system/kiosk.service"
    assert unit.read_bytes() == (PACKAGING / "kiosk.service").read_bytes()
    assert mode(unit) == 0o644
    rule = root / "etc/udev/rules.d/99-kiosk-evaluator.rules"
    assert rule.read_bytes() == (PACKAGING / "99-kiosk-evaluator.rules").read_bytes()
    assert (root / "etc/default/kiosk").read_bytes() == (PACKAGING / "kiosk.env").read_bytes()
    assert (root / "usr/lib/sysusers.d/kiosk.conf").read_text().startswith("#")

    data = root / "var/lib/kiosk"
    assert mode(data) == 0o750
    assert mode(data / "secrets") == 0o700
    assert sorted(p.name for p in data.iterdir()) == ["secrets"]
    assert "files only" in done.stdout


def test_a_reinstall_keeps_the_data_and_the_operators_files(root: Path, tmp_path: Path) -> None:
    assert install(root, make_bundle(tmp_path / "b1", "1.0.0")).returncode == 0
    data = root / "var/lib/kiosk"
    ledger = data / "kiosk.sqlite3"
    ledger.write_bytes(b"SQLite format 3\0 the queue")
    key = data / "secrets" / "master.key"
    key.write_bytes(b"k" * 32)
    key.chmod(0o600)
    os.utime(ledger, (1_700_000_000, 1_700_000_000))
    before = {p: (p.read_bytes(), p.stat().st_ino, p.stat().st_mtime_ns) for p in (ledger, key)}
    env_file = root / "etc/default/kiosk"
    env_file.write_text("DISPLAY=:1\n")
    rule = root / "etc/udev/rules.d/99-kiosk-evaluator.rules"
    rule.write_text('SUBSYSTEM=="tty", ATTRS{idVendor}=="10c4", SYMLINK+="kiosk-evaluator"\n')
    data.chmod(0o755)  # a mode gone astray is put right

    done = install(root, make_bundle(tmp_path / "b2", "1.1.0"))
    assert done.returncode == 0, done.stderr

    assert {p: (p.read_bytes(), p.stat().st_ino, p.stat().st_mtime_ns) for p in (ledger, key)} == before
    assert mode(key) == 0o600
    assert mode(data) == 0o750
    assert env_file.read_text() == "DISPLAY=:1\n"
    assert "10c4" in rule.read_text()
    assert f"kept your {env_file}" in done.stdout
    assert "keeping the data directory" in done.stdout
    # The new bundle replaced the old one whole, and the old one is kept for a roll-back.
    assert (root / "opt/kiosk/_internal/1.1.0").exists()
    assert not (root / "opt/kiosk/_internal/1.0.0").exists()
    assert (root / "opt/kiosk.previous/_internal/1.0.0").exists()
    assert not (root / "opt/kiosk.new").exists()


def test_the_operator_guide_travels_with_the_bundle(root: Path, tmp_path: Path) -> None:
    assert install(root, make_bundle(tmp_path / "b1", "1.0.0")).returncode == 0
    for doc in ("operator-guide.md", "configuration.md"):  # the guide links to the configuration reference
        assert (root / "opt/kiosk" / doc).read_bytes() == (ROOT / "docs" / doc).read_bytes()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--root", "relative/dir"], "absolute path"),
        (["--bundle", "/nonexistent/bundle"], "no bundle at /nonexistent/bundle"),
        (["--enable"], "--enable only applies to the real root"),
        (["--frobnicate"], "unknown argument --frobnicate"),
    ],
)
def test_bad_arguments_are_refused_before_anything_is_written(
    root: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    bundle = make_bundle(tmp_path / "b1", "1.0.0")
    done = subprocess.run(
        ["bash", str(INSTALL), "--root", str(root), "--bundle", str(bundle), *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode in (1, 2)
    assert message in done.stderr
    assert list(root.iterdir()) == []


def test_the_unit_says_what_the_pad_needs() -> None:
    lines = [line.strip() for line in (PACKAGING / "kiosk.service").read_text().splitlines() if "=" in line]
    settings = {line for line in lines if not line.startswith("#")}
    for required in (
        "Type=notify",
        "WatchdogSec=30",
        "Restart=always",
        "ExecStart=/opt/kiosk/kiosk run --data-dir /var/lib/kiosk",
        "User=kiosk",
        "SupplementaryGroups=dialout",
        "KillSignal=SIGTERM",
        "TimeoutStopSec=15",
        "NoNewPrivileges=yes",
        "ProtectSystem=strict",
        "ReadWritePaths=/var/lib/kiosk",
        "PrivateTmp=yes",
        "EnvironmentFile=-/etc/default/kiosk",
    ):
        assert required in settings, required


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
def test_systemd_accepts_every_line_of_the_unit(tmp_path: Path) -> None:
    unit = tmp_path / "kiosk.service"
    shutil.copy(PACKAGING / "kiosk.service", unit)
    done = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", str(unit)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    # An unknown key or a bad value is a line naming the file; /opt/kiosk/kiosk is not installed here.
    problems = [line for line in done.stderr.splitlines() if line.strip() and "is not executable" not in line]
    assert problems == [], done.stderr


@pytest.mark.skipif(shutil.which("shellcheck") is None, reason="shellcheck is not installed")
def test_the_shell_scripts_pass_shellcheck() -> None:
    scripts = [str(PACKAGING / "install.sh"), str(PACKAGING / "check-bundle.sh")]
    done = subprocess.run(["shellcheck", *scripts], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stdout


@pytest.mark.skipif(shutil.which("systemd-sysusers") is None, reason="systemd-sysusers is not installed")
def test_sysusers_would_make_the_kiosk_user(tmp_path: Path) -> None:
    (tmp_path / "etc").mkdir()
    done = subprocess.run(
        ["systemd-sysusers", "--dry-run", f"--root={tmp_path}", str(PACKAGING / "kiosk.sysusers")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Creating user 'kiosk'" in done.stdout + done.stderr
