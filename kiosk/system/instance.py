"""One pad per data directory: an exclusive lock on `DIR/kiosk.lock`, held for the life of the process.

Two pads on one directory would both append to one chain, both answer on one bridge token and both send one
queue; SQLite's own locking keeps each write whole, but not the two pads' views of the chain consistent. The
lock is flock(2) on an open file description: the kernel drops it when the process ends however it ends (a
crash, a SIGKILL from the watchdog), so there is no stale lock to clean up. The file itself stays, holding the
PID of the last holder; its presence means nothing, only the lock does.
"""

from __future__ import annotations

import errno
import fcntl
import os
from pathlib import Path
from types import TracebackType

LOCK_FILE = "kiosk.lock"


class AlreadyRunning(Exception):
    """Another process holds the data directory.

    Args:
        data_dir: the directory.
        pid: the holder's process id, when it could be read.
    """

    def __init__(self, data_dir: Path, pid: int | None) -> None:
        self.data_dir = data_dir
        self.pid = pid
        holder = f"another kiosk (pid {pid})" if pid else "another kiosk"
        super().__init__(f"{holder} is already running on {data_dir}")


class InstanceLock:
    """The held lock; release() or the end of the process lets another pad start."""

    def __init__(self, path: Path, fd: int) -> None:
        self.path = path
        self._fd: int | None = fd

    @property
    def held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> InstanceLock:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.release()


def _read_pid(fd: int) -> int | None:
    try:
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


def acquire_instance_lock(data_dir: Path) -> InstanceLock:
    """Takes `data_dir/kiosk.lock` (making the directory if needed) without waiting.

    Raises:
        AlreadyRunning: another process holds it.
        OSError: the directory or the file cannot be made or opened, or the file system cannot lock.
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / LOCK_FILE
    # os.open's descriptors are not inherited across exec (PEP 446): a child never keeps the lock alive.
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        pid = _read_pid(fd)
        os.close(fd)
        if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
            raise AlreadyRunning(data_dir, pid) from None
        raise
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
    except OSError:
        # The PID is only for the message another pad prints; the lock is what counts.
        pass
    return InstanceLock(path, fd)
