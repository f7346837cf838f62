"""Every citizen screen at each panel size, in each language, with and without large text: nothing
clipped, touch targets of at least 16 mm, no Chinese left in English except data, no personal data."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest
from pytestqt.qtbot import QtBot

from kiosk.pad import Pad
from kiosk.ui.buttons import CardButton
from kiosk.ui.screenshots import SCREENS, SIZES, _drive, demo_pad
from kiosk.ui.theme import MIN_TOUCH_PX
from kiosk.ui.window import PadWindow
from tests.helpers.widgets import CJK, clipped, texts, visible

# What the demo shows that is data, not interface: names of the hall, the department, the staff member,
# the task; these stay as the province and the case system wrote them, in any language.
DATA = (
    "鼓楼区政务服务中心",
    "鼓楼区市场监督管理局",
    "林晓",
    "综合窗口受理员",
    "个体工商户设立登记",
    "陈*明",
    "林",
)


@pytest.fixture(scope="module")
def pad(qapp: object) -> Iterator[Pad]:
    with demo_pad(datetime(2026, 11, 27, 9, 31, 5).astimezone()) as demo:
        yield demo  # type: ignore[misc]


@pytest.fixture
def window(qtbot: QtBot, pad: Pad) -> Iterator[PadWindow]:
    shown = PadWindow(pad)
    qtbot.addWidget(shown)
    shown.show()
    yield shown
    shown.set_language("zh_CN")


@pytest.mark.parametrize("large_text", [False, True], ids=["normal", "large"])
@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
@pytest.mark.parametrize("language", ["zh_CN", "en_US"])
def test_every_screen_fits(
    qtbot: QtBot, pad: Pad, window: PadWindow, size: tuple[int, int], language: str, large_text: bool
) -> None:
    window.resize(*size)
    window.set_large_text(large_text)
    window.set_language(language)
    unit = min(size) / 1080
    for screen in SCREENS:
        _drive(pad, screen)
        qtbot.waitUntil(lambda screen=screen: window.current_screen.value == screen)
        qtbot.wait(1)
        current = window.screens[window.current_screen]
        problems = clipped(window)
        assert not problems, f"{screen}: {problems}"
        for button in visible(current):
            if isinstance(button, CardButton):
                assert min(button.width(), button.height()) >= MIN_TOUCH_PX * unit - 1, (
                    screen,
                    button.text(),
                )
        shown = texts(window)
        assert not any("陈小明" in text for text in shown), "an applicant's full name is on screen"
        if language == "en_US":
            leftovers = [t for t in shown if CJK.search(_without_data(t)) and t != "中文"]
            assert not leftovers, f"{screen}: Chinese left in English: {leftovers}"


def _without_data(text: str) -> str:
    for data in DATA:
        text = text.replace(data, "")
    return text


def _show(qtbot: QtBot, pad: Pad, window: PadWindow, screen: str, size: tuple[int, int], large: bool) -> None:
    window.resize(*size)
    window.set_large_text(large)
    if screen == "idle":
        _drive(pad, "thanks")  # a session another test left open ends, so the pad can go idle
    _drive(pad, screen)
    qtbot.waitUntil(lambda: window.current_screen.value == screen)
    qtbot.wait(1)


@pytest.mark.parametrize(
    ("language", "words"), [("zh_CN", "好评率 {0:.1f}%"), ("en_US", "Good ratings: {0:.1f}%")]
)
def test_the_idle_screen_names_the_good_rating_rate(
    qtbot: QtBot, pad: Pad, window: PadWindow, language: str, words: str
) -> None:
    """好评率 is the share of good ratings (levels 4 and 5), not a level's name: in English it must not
    read "Satisfied", which is the name of level 4."""
    window.set_language(language)
    _show(qtbot, pad, window, "idle", (1920, 1080), False)
    idle = window.idle
    counts = {s: int(idle.result_labels[s].text()) for s in (5, 4, 3, 2, 1)}
    rate = 100 * (counts[5] + counts[4]) / sum(counts.values())
    assert idle.good_rate.isVisible()
    assert idle.good_rate.text() == words.format(rate)
