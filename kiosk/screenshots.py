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
_LOOKUPS: dict[int, _DemoLookup] = {}
"""Each demo terminal's look-up, by the pad's id: it is answered at once with the demo cases."""
SIZES = ((1920, 1080), (1080, 1920), (1280, 800))
SCREENS = tuple(
    screen.value
    for screen in (Screen.IDLE, Screen.PAUSED, Screen.PROMPT, Screen.REASONS, Screen.QR, Screen.THANKS)
)
"""A window pad's screens; a self-service terminal's are TERMINAL_SCREENS."""
TERMINAL_SCREENS = ("terminal-idle", "terminal-message", "reading", "cases", "keypad", "terminal-prompt")
"""A self-service terminal's: its idle screen with a notice, a message to the citizen, reading a card, the
citizen's cases, the number pad, and a case chosen (the counter's prompt, without a staff member)."""
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


DEMO_NOTICES = (
    (
        "N-DEMO-1",
        "办事指南",
        "不动产登记、社保、医保业务已全部实现“一窗受理、集成服务”，请到综合窗口取号办理。",
    ),
    ("N-DEMO-2", "延时服务", "本中心每周六上午9:00至12:00提供延时服务，欢迎预约。"),
)


class _DemoLookup:
    """Takes a terminal's look-ups; the demo answers the last one."""

    def __init__(self) -> None:
        self.last = 0

    def ask(self, _query: object) -> int:
        self.last += 1
        return self.last


def _notices(now: datetime) -> tuple[Any, ...]:
    from kiosk.domain.notices import Notice

    today = now.date()
    return tuple(
        Notice(notice_id, title, body, today - timedelta(days=3), today + timedelta(days=30))
        for notice_id, title, body in DEMO_NOTICES
    )


def demo_cases(now: datetime, serial: int = 1) -> list[Any]:
    """What the demo terminal's province finds for any card or number: two rateable cases, one rated and
    one past its window (made up); `serial` keeps each look-up's 办件编号 apart."""
    from kiosk.domain.cases import CaseState, FoundCase
    from kiosk.domain.validation import Applicant

    applicant = _applicant(3)
    holder = Applicant(applicant["name"], "1", "111", applicant["certNo"])
    rows = (
        ("个体工商户设立登记", CaseState.RATEABLE, 1),
        ("食品经营许可证核发", CaseState.RATEABLE, 2),
        ("医疗器械经营备案", CaseState.RATED, 4),
        ("公共场所卫生许可", CaseState.EXPIRED, 12),
    )
    return [
        FoundCase(
            project_no=f"FJ350102{serial:06d}{n:04d}",
            state=state,
            task_code=f"TASK-{n}",
            task_name=task,
            dept_code=DEMO_PLACEMENT.dept_code,
            dept_name=DEMO_PLACEMENT.dept_name,
            accept_time=format_time(now - timedelta(days=days, hours=2)),
            finish_time=format_time(now - timedelta(days=days)),
            window_no="A07",
            staff_id="S1024",
            staff_name="林晓",
            applicant=holder if state is CaseState.RATEABLE else None,
            applicant_name="陈*明",
        )
        for n, (task, state, days) in enumerate(rows, start=1)
    ]


@contextmanager
def demo_pad(now: datetime, role: str = "counter") -> Iterator[object]:
    """A Pad with demo data on a throwaway ledger; a terminal's finds the demo cases for any card."""
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
        settings = PadSettings(
            role=role, qr_url_template=DEMO_TEMPLATE, rate_timeout_s=60, reason_timeout_s=20
        )
        # Timers that run out only when told: each screen is staged, never waited for.
        timers = ManualTimers()
        pad = Pad(ledger, NoEvaluator(), clock, settings, shipped_reasons(), timers)
        _STAGED[id(pad)] = timers
        pad.apply_province(DEMO_PLACEMENT, pad.province_settings, None, None)
        pad.notices = _notices(now)
        if role == "terminal":
            lookup = _DemoLookup()
            _LOOKUPS[id(pad)] = lookup
            pad.use_case_lookup(lookup.ask)
        pad.start()
        try:
            yield pad
        finally:
            del _STAGED[id(pad)]
            _LOOKUPS.pop(id(pad), None)
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
    if pad.settings.role == "terminal":
        _drive_terminal(pad, screen)
        return
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


def _drive_terminal(pad: Any, screen: str) -> None:
    """Brings the demo terminal to one of its screens, as a citizen would."""
    from kiosk.devices.card_reader_simulator import made_up_card
    from kiosk.domain.cases import LookupResult

    if pad.screen_state().screen is Screen.PROMPT:  # the case chosen for the last screen is rated
        pad.touch_level(5)
    if pad.screen_state().screen is Screen.REASONS:
        pad.submit_reasons()
    pad.dismiss_transient_screens()
    pad.leave_terminal()
    if screen == "terminal-idle":
        return
    if screen == "terminal-message":
        pad.on_card_refused("unreadable")
        return
    if screen == "keypad":
        pad.open_keypad()
        for key in "FJ35010220261120001":
            pad.keypad_key(key)
        return
    pad.on_card_reading()
    if screen == "reading":
        return
    pad.on_card_read(made_up_card(_applicant(3)["certNo"], "陈小明"))
    cases = demo_cases(pad.clock.now(), next(_PROJECTS))
    pad.on_lookup_answered(_LOOKUPS[id(pad)].last, LookupResult(cases))
    if screen == "terminal-prompt":
        pad.choose_case(cases[0].project_no)


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
    for role, screens in (("counter", SCREENS), ("terminal", TERMINAL_SCREENS)):
        with demo_pad(now, role) as pad:
            window = PadWindow(pad)  # type: ignore[arg-type]
            window.show()
            try:
                for width, height in sizes:
                    window.resize(width, height)
                    for language in languages:
                        window.set_language(language)
                        for screen in screens:
                            _drive(pad, screen)
                            app.processEvents()
                            path = out / f"{screen}-{language}-{width}x{height}.png"
                            window.grab().save(str(path))
                            written.append(path)
            finally:
                window.set_language(
                    "zh_CN"
                )  # the translator is the application's: the next window starts in Chinese
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
