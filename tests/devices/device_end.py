"""The device's end of a raw pseudo-terminal, for tests that write exact bytes and check the host's."""

from __future__ import annotations

import select
import threading
import time

from kiosk.devices.frame_codec import Frame, FrameDecoder
from kiosk.devices.pseudo_terminal import PseudoTerminal


class DeviceEnd:
    """A pty the test plays the device on; a thread collects every byte the host writes."""

    def __init__(self) -> None:
        self.pty = PseudoTerminal()
        self.port = self.pty.path
        self._received = bytearray()
        self._lock = threading.Lock()
        self._stop = False
        self._thread = threading.Thread(target=self._collect, daemon=True)
        self._thread.start()

    def write(self, data: bytes) -> None:
        assert self.pty.write(data) == len(data)

    @property
    def received(self) -> bytes:
        with self._lock:
            return bytes(self._received)

    def host_frames(self) -> list[Frame]:
        return FrameDecoder().feed(self.received, 0.0)

    def wait_for(self, data: bytes, count: int = 1, timeout: float = 5.0) -> bool:
        """Waits until the host has written `data` at least `count` times."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.received.count(data) >= count:
                return True
            time.sleep(0.005)
        return False

    def wait_frame(self, cmd: int, count: int = 1, timeout: float = 5.0) -> list[Frame]:
        """Waits until the host has sent `count` frames with this CMD; returns them."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            frames = [f for f in self.host_frames() if f.cmd == cmd]
            if len(frames) >= count:
                return frames
            time.sleep(0.005)
        raise AssertionError(
            f"host sent {[str(f) for f in self.host_frames()]}, not {count} x CMD 0x{cmd:02X}"
        )

    def _collect(self) -> None:
        while not self._stop:
            if self.pty.closed:
                return
            ready, _, _ = select.select([self.pty.master], [], [], 0.02)
            if ready:
                data = self.pty.read()
                with self._lock:
                    self._received += data

    def close(self) -> None:
        self._stop = True
        self._thread.join(1.0)
        self.pty.close()
