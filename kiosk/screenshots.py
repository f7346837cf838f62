"""`kiosk screenshots`: every citizen screen, in each language and size, rendered offscreen to PNG.

The screens show demo data: a demo hall and staff member, thirty days of made-up ratings for the idle
screen's results, a made-up applicant, and a demo device treated as enrolled (a fixed demo key), so the QR
screens carry a real, scannable code with its token.
"""

from __future__ import annotations

import itertools
import os
import re
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from kiosk.domain.clock import ManualClock
from kiosk.domain.hall import Placement, StaffMember
from kiosk.domain.screen import Screen
from kiosk.domain.timefmt import format_time
from kiosk.domain.validation import id_check_character, validate_session_request

_PROJECTS = itertools.count(1)
_STAGED: dict[int, Any] = {}
"""Each demo pad's timers (ManualTimers, by the pad's id): a screen is staged, never waited for."""
SIZES = ((1920, 1080), (1080, 1920), (1280, 800))
SCREENS = tuple(
    screen.value for screen in (Screen.IDLE, Screen.PAUSED, Screen.PROMPT, Screen.REASONS, Screen.QR, Screen.THANKS)
)
"""A window pad's screens; a self-service terminal's are TERMINAL_SCREENS."""
DEMO_KEY = bytes(range(32))
DEMO_TEMPLATE = "https://hcp.example.gov.cn/m/evaluate?d={deviceId}&p={projectNo}&t={token}"
DEMO_PLACEMENT = Placement(
    hall_code="350102-ZWFW",
    hall_name="鼓楼区政务服务中心",
    area_code="350102",
    window_no="A07",
    dept_code="11350102003622411H",
    dept_name="鼓楼区市场监督管理局",
    staff=(StaffMember("S1024", "林晓", "综合窗口受理员"),),
)


def parse_size(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"(\d{3,5})x(\d{3,5})", text)
    if not match:
        raise ValueError(f"--size takes WxH, e.g. 1920x1080, got {text!r}")
    return int(match.group(1)), int(match.group(2))


def _applicant(n: int) -> dict[str, str]:
    first17 = f"350102{1980 + n % 20}0{1 + n % 9}{10 + n % 18}{n % 1000:03d}"
    return {
        "name": "陈小明",
        "userProp": "1",
        "certType": "111",
        "certNo": first17 + id_check_character(first17),
    }


@contextmanager
def demo_pad(now: datetime) -> Iterator[object]:
    """A Pad with demo data on a throwaway ledger."""
    from kiosk.devices.base import NoEvaluator
    from kiosk.pad import Pad, PadSettings
    from kiosk.pad.timers import ManualTimers
    from kiosk.resources import shipped_reasons
    from kiosk.store.ledger import Ledger

    with tempfile.TemporaryDirectory(prefix="kiosk-screenshots-") as tmp:
        clock = ManualClock(now - timedelta(days=30))
        ledger = Ledger.open(Path(tmp), clock, preset_device_id="P-DEMO0000000000001")
        ledger.store_device_secret(DEMO_KEY)
        for n in range(120):  # the window's last 30 days, for the idle screen's results (R11)
            clock.set(now - timedelta(days=30) + timedelta(hours=6 * n))
            body = {
                "projectNo": f"DEMO{n:05d}",
                "acceptTime": format_time(clock.now()),
                "applicant": _applicant(n),
            }
            session = ledger.add_session(validate_session_request(body, now=clock.now()), "S1024", "林晓")
            ledger.record_rating(
                session,
                satisfaction=(5, 5, 4, 5, 3, 4, 5, 5, 2, 5)[n % 10],
                pf="5",
                assess_time=format_time(clock.now()),
                placement=DEMO_PLACEMENT,
            )
        clock.set(now)
        settings = PadSettings(qr_url_template=DEMO_TEMPLATE, rate_timeout_s=60, reason_timeout_s=20)
        # Timers that run out only when told: each screen is staged, never waited for.
        timers = ManualTimers()
        pad = Pad(ledger, NoEvaluator(), clock, settings, shipped_reasons(), timers)
        _STAGED[id(pad)] = timers
        pad.apply_province(DEMO_PLACEMENT, pad.province_settings, None, None)
        pad.start()
        try:
            yield pad
        finally:
            del _STAGED[id(pad)]
            pad.stop()
            ledger.close()


def _drive(pad: object, screen: str) -> None:
    """Brings the demo pad to one screen, as the case system and a citizen would."""
    from kiosk.pad import Pad

    assert isinstance(pad, Pad)
    now = pad.clock.now()
    body = {
        "projectNo": f"SHOT{next(_PROJECTS):05d}",
        "taskName": "个体工商户设立登记",
        "acceptTime": format_time(now - timedelta(minutes=20)),
        "finishTime": format_time(now - timedelta(minutes=1)),
        "applicant": _applicant(7),
        "replace": True,
    }
    pad.dismiss_transient_screens()
    if screen == "paused":
        pad.sign_out()
        return
    pad.sign_in("S1024")
    if screen == "idle":
        return
    pad.open_session(validate_session_request(body, now=now))
    if screen == "reasons":
        pad.touch_level(2)
        pad.toggle_reason("213")
    elif screen == "qr":
        _STAGED[id(pad)].timeout().fire()  # the prompt's minute runs out: the QR code stays for the citizen
    elif screen == "thanks":
        pad.touch_level(5)
        pad.submit_reasons()


def render_all(
    out: Path, sizes: list[tuple[int, int]], languages: tuple[str, ...] = ("zh_CN", "en_US")
) -> list[Path]:
    """Renders every screen in each language and size; returns the files written."""
    from PySide6.QtWidgets import QApplication

    from kiosk.ui.fonts import register_fonts
    from kiosk.ui.window import PadWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    register_fonts()
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    now = datetime(2026, 11, 27, 9, 31, 5).astimezone()
    with demo_pad(now) as pad:
        window = PadWindow(pad)  # type: ignore[arg-type]
        window.show()
        try:
            for width, height in sizes:
                window.resize(width, height)
                for language in languages:
                    window.set_language(language)
                    for screen in SCREENS:
                        _drive(pad, screen)
                        app.processEvents()
                        path = out / f"{screen}-{language}-{width}x{height}.png"
                        window.grab().save(str(path))
                        written.append(path)
        finally:
            window.close()
            window.deleteLater()
            app.processEvents()
    return written


def run_screenshots(out: Path, sizes: list[str]) -> int:
    """The CLI: exit 0 with one line per file, 2 for a bad --size."""
    try:
        chosen = [parse_size(size) for size in sizes] or list(SIZES)
    except ValueError as exc:
        print(f"kiosk: {exc}", file=sys.stderr)
        return 2
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from kiosk.logs import route_qt_messages

    route_qt_messages()
    for path in render_all(out, chosen):
        print(path)
    return 0
