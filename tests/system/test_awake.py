"""Keeping the screen awake: a stand-in `xset` on PATH records what the pad asked of the X server."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kiosk.system.awake import ScreenAwake, XScreenSaver

XSET_Q = """\
Keyboard Control:
  auto repeat:  on    key click percent:  0    LED mask:  00000000
Screen Saver:
  prefer blanking:  yes    allow exposures:  yes
  timeout:  600    cycle:  600
Colors:
  default colormap:  0x20    BlackPixel:  0x0    WhitePixel:  0xffffff
DPMS (Energy Star):
  Standby: 600    Suspend: 600    Off: 600
  DPMS is Enabled
  Monitor is On
"""

XSET_Q_NO_DPMS = (
    XSET_Q.split("DPMS (Energy Star)", maxsplit=1)[0] + "Server does not have the DPMS Extension\n"
)


class FakeXset:
    """An `xset` that logs its arguments and answers `q` with a canned report."""

    def __init__(self, root: Path, report: str, exit_code: int = 0) -> None:
        self.bin = root / "bin"
        self.bin.mkdir()
        self.log = root / "xset.log"
        (root / "q.txt").write_text(report)
        script = self.bin / "xset"
        script.write_text(
            "#!/bin/sh\n"
            f'echo "$*" >> "{self.log}"\n'
            f'[ "$1" = q ] && /bin/cat "{root / "q.txt"}"\n'
            f"exit {exit_code}\n"
        )
        script.chmod(0o755)

    def env(self) -> dict[str, str]:
        return {"PATH": str(self.bin), "DISPLAY": ":99"}

    def calls(self) -> list[str]:
        return self.log.read_text().splitlines() if self.log.exists() else []


def test_xset_q_is_read() -> None:
    assert XScreenSaver.parse(XSET_Q) == XScreenSaver(timeout=600, cycle=600, prefer_blanking=True, dpms=True)
    assert XScreenSaver.parse(XSET_Q_NO_DPMS).dpms is None
    with pytest.raises(ValueError):
        XScreenSaver.parse("xset:  unable to open display")


def test_on_x11_blanking_and_dpms_go_off_and_come_back(tmp_path: Path) -> None:
    xset = FakeXset(tmp_path, XSET_Q.replace("timeout:  600    cycle:  600", "timeout:  300    cycle:  120"))
    awake = ScreenAwake("xcb", xset.env())
    assert awake.hold() == "xset"
    assert awake.holding
    assert xset.calls() == ["q", "s off s noblank", "-dpms"]
    awake.release()
    assert not awake.holding
    assert xset.calls()[3:] == ["s 300 120", "s blank", "+dpms"]
    awake.release()  # a second release restores nothing twice
    assert len(xset.calls()) == 6


def test_a_server_without_dpms_is_only_asked_about_the_screen_saver(tmp_path: Path) -> None:
    xset = FakeXset(tmp_path, XSET_Q_NO_DPMS.replace("prefer blanking:  yes", "prefer blanking:  no"))
    awake = ScreenAwake("xcb", xset.env())
    assert awake.hold() == "xset"
    awake.release()
    assert xset.calls() == ["q", "s off s noblank", "s 600 600", "s noblank"]


def test_a_failing_xset_is_a_warning_not_an_error(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    xset = FakeXset(tmp_path, "", exit_code=1)
    awake = ScreenAwake("xcb", xset.env())
    assert awake.hold() == "xset failed"
    assert not awake.holding
    assert any("cannot keep the screen awake" in r.getMessage() for r in caplog.records)
    awake.release()
    assert xset.calls() == ["q"]


@pytest.mark.parametrize("platform", ["offscreen", "minimal", "wayland", "eglfs", ""])
def test_other_platforms_are_left_alone(tmp_path: Path, platform: str) -> None:
    xset = FakeXset(tmp_path, XSET_Q)
    awake = ScreenAwake(platform, xset.env())
    assert awake.hold().startswith("nothing to do")
    awake.release()
    assert xset.calls() == []


def test_x11_without_xset_or_display(tmp_path: Path) -> None:
    assert ScreenAwake("xcb", {"PATH": str(tmp_path), "DISPLAY": ":0"}).hold() == "xset not found"
    assert ScreenAwake("xcb", {"PATH": os.defpath}).hold() == "no DISPLAY"
