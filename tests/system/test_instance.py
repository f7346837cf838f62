"""One pad per data directory: the lock between real processes."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.system.instance import LOCK_FILE, AlreadyRunning, acquire_instance_lock
from tests.helpers.procs import ROOT

HOLDER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from kiosk.system.instance import acquire_instance_lock
    lock = acquire_instance_lock(Path(sys.argv[1]))
    print("held", flush=True)
    sys.stdin.read()
    """
)


@pytest.fixture
def holder(tmp_path: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process holding `tmp_path/data` until its stdin closes."""
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(tmp_path / "data")],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "held"
    yield proc
    proc.kill()
    proc.wait()


def test_a_second_holder_is_refused_with_the_first_ones_pid(
    holder: subprocess.Popen[str], tmp_path: Path
) -> None:
    data = tmp_path / "data"
    with pytest.raises(AlreadyRunning) as refused:
        acquire_instance_lock(data)
    assert refused.value.pid == holder.pid
    assert str(refused.value) == f"another kiosk (pid {holder.pid}) is already running on {data}"


def test_the_lock_is_free_once_the_holder_ends(holder: subprocess.Popen[str], tmp_path: Path) -> None:
    assert holder.stdin is not None
    holder.stdin.close()
    assert holder.wait(10) == 0
    with acquire_instance_lock(tmp_path / "data") as lock:
        assert lock.held
        assert (tmp_path / "data" / LOCK_FILE).read_text().strip().isdigit()
    assert not lock.held


def test_a_killed_holder_leaves_no_stale_lock(holder: subprocess.Popen[str], tmp_path: Path) -> None:
    holder.kill()
    holder.wait(10)
    lock = acquire_instance_lock(tmp_path / "data")
    lock.release()


def test_one_process_cannot_take_it_twice_and_release_frees_it(tmp_path: Path) -> None:
    first = acquire_instance_lock(tmp_path)
    with pytest.raises(AlreadyRunning):
        acquire_instance_lock(tmp_path)
    first.release()
    first.release()  # idempotent
    acquire_instance_lock(tmp_path).release()


def test_a_child_process_does_not_keep_the_lock_after_its_parent_dies(tmp_path: Path) -> None:
    # The holder starts a long-lived child that inherits what it can, then dies without releasing.
    script = textwrap.dedent(
        """
        import os, subprocess, sys
        from pathlib import Path
        from kiosk.system.instance import acquire_instance_lock
        lock = acquire_instance_lock(Path(sys.argv[1]))
        quiet = subprocess.DEVNULL
        child = subprocess.Popen(["sleep", "30"], close_fds=False, stdout=quiet, stderr=quiet)
        print(child.pid, flush=True)
        os._exit(0)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path)], cwd=ROOT, capture_output=True, text=True, check=True
    )
    sleeper = int(done.stdout.strip())
    try:
        acquire_instance_lock(tmp_path).release()
    finally:
        subprocess.run(["kill", str(sleeper)], check=False)


def test_an_unlockable_path_is_an_os_error_not_already_running(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("")
    with pytest.raises(OSError) as failed:
        acquire_instance_lock(tmp_path / "file")
    assert not isinstance(failed.value, AlreadyRunning)
