"""A pseudo-terminal standing in for an evaluator's cable, with an optional stable symlink (like udev's).

The simulated device holds the master side; the driver opens the slave path (or the symlink) like any
serial device. Closing the master is pulling the cable: the driver's next read fails with an I/O error.
"""

from __future__ import annotations

import errno
import os
import tty
from pathlib import Path


class PseudoTerminal:
    """One pty pair in raw mode.

    The slave side stays open here too: a pty whose slave nobody holds makes the master report EIO, which
    would turn every moment between the driver's close and reopen into an error on the device's side.

    Attributes:
        master: the master side's descriptor (non-blocking).
        path: the slave's device path (/dev/pts/N).
    """

    def __init__(self) -> None:
        self.master, self._slave = os.openpty()
        # Raw before anyone opens it: in cooked mode the line discipline would echo the device's own
        # bytes back to it and translate CR.
        tty.setraw(self._slave)
        os.set_blocking(self.master, False)
        self.path = os.ttyname(self._slave)
        self.closed = False

    def write(self, data: bytes) -> int:
        """Writes what it can without blocking; returns the bytes written (like a wire nobody listens to,
        what does not fit is lost)."""
        if self.closed:
            return 0
        try:
            return os.write(self.master, data)
        except BlockingIOError:
            return 0
        except OSError as exc:
            if exc.errno in (errno.EIO, errno.EBADF):
                return 0
            raise

    def read(self) -> bytes:
        """What the host wrote, without blocking (b"" when nothing)."""
        if self.closed:
            return b""
        try:
            return os.read(self.master, 4096)
        except (BlockingIOError, InterruptedError):
            return b""
        except OSError as exc:
            if exc.errno == errno.EIO:
                return b""
            raise

    def close(self) -> None:
        """Closes both sides: the driver's next read or write fails."""
        if not self.closed:
            self.closed = True
            os.close(self.master)
            os.close(self._slave)


def point_link(link: Path, target: str) -> None:
    """Makes `link` a symlink to `target`, replacing an older symlink atomically.

    Raises:
        FileExistsError: when `link` exists and is not a symlink.
    """
    if link.exists() and not link.is_symlink():
        raise FileExistsError(f"{link} exists and is not a symlink")
    tmp = link.with_name(f".{link.name}.{os.getpid()}.tmp")
    if tmp.is_symlink():
        tmp.unlink()
    os.symlink(target, tmp)
    os.replace(tmp, link)


def remove_link(link: Path, target: str) -> None:
    """Removes `link` if it still points at `target` (the device is gone, as udev removes its symlink)."""
    try:
        if link.is_symlink() and os.readlink(link) == target:
            link.unlink()
    except FileNotFoundError:
        pass
