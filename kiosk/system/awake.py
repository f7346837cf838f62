"""Keeping the screen awake while the pad runs.

A citizen walks up to a pad that has sat idle for an hour; its screen must be lit. Where the display's own
blanking is controlled depends on what draws the screen:

- X11 (Qt's `xcb` platform): the X server's screen saver and DPMS blank the screen after ten minutes by
  default. `xset s off s noblank -dpms` turns them off for the session; the settings found at start are put
  back at a clean stop (a crash leaves them off, which on a dedicated pad is what one wants anyway). Needs the
  `xset` program (Debian: x11-xserver-utils) and access to the display; without either, a warning and nothing
  else.
- A desktop session's own screensaver (GNOME, KDE, UKUI, DDE) sits above X and is not reached by xset: switch
  it off in the session's settings, or better, run the pad in a bare X session (operator-guide.md).
- Wayland, eglfs, linuxfb: blanking belongs to the compositor or the kernel console (`consoleblank=0` on the
  kernel command line); nothing to do from here.
- offscreen and minimal (`--headless`, tests): there is no screen; nothing to do.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass

log = logging.getLogger(__name__)

XSET_TIMEOUT_S = 5.0


@dataclass(frozen=True)
class XScreenSaver:
    """The X server's blanking settings, as `xset q` reports them."""

    timeout: int
    cycle: int
    prefer_blanking: bool
    dpms: bool | None  # None: the server has no DPMS extension

    @classmethod
    def parse(cls, text: str) -> XScreenSaver:
        """Reads `xset q`'s output.

        Raises:
            ValueError: the screen saver's timeout and cycle are not in it.
        """
        times = re.search(r"timeout:\s*(\d+)\s+cycle:\s*(\d+)", text)
        if times is None:
            raise ValueError("no screen saver timeout in `xset q`")
        blanking = re.search(r"prefer blanking:\s*(yes|no)", text)
        dpms = re.search(r"DPMS is (Enabled|Disabled)", text)
        return cls(
            timeout=int(times.group(1)),
            cycle=int(times.group(2)),
            prefer_blanking=blanking is None or blanking.group(1) == "yes",
            dpms=None if dpms is None else dpms.group(1) == "Enabled",
        )


class ScreenAwake:
    """Holds the screen awake between hold() and release().

    Args:
        platform: Qt's platform name (`QGuiApplication.platformName()`: xcb, wayland, eglfs, offscreen, …).
        env: the environment to read DISPLAY and PATH from, and to run xset in; the process's by default.
    """

    def __init__(self, platform: str, env: Mapping[str, str] | None = None) -> None:
        self._platform = platform
        self._env = dict(os.environ if env is None else env)
        self._saved: XScreenSaver | None = None
        self._xset: str | None = None

    @property
    def holding(self) -> bool:
        return self._saved is not None

    def hold(self) -> str:
        """Stops the screen from blanking where this platform allows it; returns what was done, for the log
        (`xset`, or why nothing was)."""
        if self._platform != "xcb":
            return f"nothing to do on the {self._platform or 'unknown'} platform"
        if not self._env.get("DISPLAY"):
            return "no DISPLAY"
        self._xset = shutil.which("xset", path=self._env.get("PATH", os.defpath))
        if self._xset is None:
            log.warning(
                "xset is not installed: the X server may blank the screen (install x11-xserver-utils)"
            )
            return "xset not found"
        try:
            saved = XScreenSaver.parse(self._run("q"))
            self._run("s", "off", "s", "noblank")
            if saved.dpms is not None:
                self._run("-dpms")
        except (OSError, subprocess.SubprocessError, ValueError) as exc:
            log.warning("cannot keep the screen awake with xset: %s", exc)
            return "xset failed"
        self._saved = saved
        log.info("screen kept awake (xset s off s noblank -dpms; was %s)", saved)
        return "xset"

    def release(self) -> None:
        """Puts back the settings found by hold()."""
        saved, self._saved = self._saved, None
        if saved is None:
            return
        try:
            self._run("s", str(saved.timeout), str(saved.cycle))
            self._run("s", "blank" if saved.prefer_blanking else "noblank")
            if saved.dpms:
                self._run("+dpms")
        except (OSError, subprocess.SubprocessError) as exc:
            # The X server may be gone already (the session ended first); nothing left to restore then.
            log.info("cannot restore the screen saver settings: %s", exc)

    def _run(self, *args: str) -> str:
        assert self._xset is not None
        # xset as found on PATH, with arguments from this module only.
        done = subprocess.run(  # noqa: S603
            [self._xset, *args],
            env=self._env,
            capture_output=True,
            text=True,
            timeout=XSET_TIMEOUT_S,
            check=True,
        )
        return done.stdout
