"""Every citizen screen at each panel size, in each language, with and without large text: nothing
clipped, touch targets of at least 16 mm, no Chinese left in English except data, no personal data; the
five levels alike in size, place and weight, so that none draws more presses than another."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import datetime

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QFontMetrics
from pytestqt.qtbot import QtBot

from kiosk.pad import Pad
from kiosk.screenshots import DEMO_NOTICES, SCREENS, SIZES, TERMINAL_SCREENS, _drive, demo_pad
from kiosk.ui.buttons import CardButton
from kiosk.ui.theme import MIN_TOUCH_PX
from kiosk.ui.window import PadWindow
from tests.helpers.widgets import CJK, clipped, texts, visible
from tests.ui.rendered import RenderedCard, measure, render

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
    # A terminal's: the citizen's other cases, and the hall's notices.
    "食品经营许可证核发",
    "医疗器械经营备案",
    "公共场所卫生许可",
    *(text for notice in DEMO_NOTICES for text in notice[1:]),
)


@pytest.fixture(scope="module")
def pad(qapp: object) -> Iterator[Pad]:
    with demo_pad(datetime(2026, 11, 27, 9, 31, 5).astimezone()) as demo:
        yield demo  # type: ignore[misc]


def _shown(qtbot: QtBot, pad: Pad) -> Iterator[PadWindow]:
    shown = PadWindow(pad)
    qtbot.addWidget(shown)
    shown.show()
    yield shown
    shown.set_language("zh_CN")


@pytest.fixture
def window(qtbot: QtBot, pad: Pad) -> Iterator[PadWindow]:
    yield from _shown(qtbot, pad)


@pytest.fixture(scope="module")
def terminal_pad(qapp: object) -> Iterator[Pad]:
    with demo_pad(datetime(2026, 11, 27, 9, 31, 5).astimezone(), "terminal") as demo:
        yield demo  # type: ignore[misc]


@pytest.fixture
def terminal_window(qtbot: QtBot, terminal_pad: Pad) -> Iterator[PadWindow]:
    yield from _shown(qtbot, terminal_pad)


FITS = (
    pytest.mark.parametrize("large_text", [False, True], ids=["normal", "large"]),
    pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES]),
    pytest.mark.parametrize("language", ["zh_CN", "en_US"]),
)


def fits(mark: object) -> object:
    for decorate in FITS:
        mark = decorate(mark)
    return mark


@fits
def test_every_screen_fits(
    qtbot: QtBot, pad: Pad, window: PadWindow, size: tuple[int, int], language: str, large_text: bool
) -> None:
    check_fits(qtbot, pad, window, SCREENS, size, language, large_text)


@fits
def test_every_terminal_screen_fits(
    qtbot: QtBot,
    terminal_pad: Pad,
    terminal_window: PadWindow,
    size: tuple[int, int],
    language: str,
    large_text: bool,
) -> None:
    check_fits(qtbot, terminal_pad, terminal_window, TERMINAL_SCREENS, size, language, large_text)


def check_fits(
    qtbot: QtBot,
    pad: Pad,
    window: PadWindow,
    screens: tuple[str, ...],
    size: tuple[int, int],
    language: str,
    large_text: bool,
) -> None:
    """Nothing clipped, touch targets large enough, no full name, no Chinese left in English."""
    window.resize(*size)
    window.set_large_text(large_text)
    window.set_language(language)
    unit = min(size) / 1080
    for screen in screens:
        _drive(pad, screen)
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
        assert not any(name in text for text in shown for name in ("陈小明", "林小梅")), (
            "a full name is on screen"
        )
        if language == "en_US":
            leftovers = [t for t in shown if CJK.search(_without_data(t)) and t != "中文"]
            assert not leftovers, f"{screen}: Chinese left in English: {leftovers}"


def _without_data(text: str) -> str:
    for data in DATA:
        text = text.replace(data, "")
    return text


MATRIX = pytest.mark.parametrize(
    ("language", "size", "large_text"),
    [
        pytest.param(
            language, size, large, id=f"{language}-{size[0]}x{size[1]}-{'large' if large else 'normal'}"
        )
        for language in ("zh_CN", "en_US")
        for size in SIZES
        for large in (False, True)
    ],
)


def _show(qtbot: QtBot, pad: Pad, window: PadWindow, screen: str, size: tuple[int, int], large: bool) -> None:
    window.resize(*size)
    window.set_large_text(large)
    if screen == "idle":
        _drive(pad, "thanks")  # a session another test left open ends, so the pad can go idle
    _drive(pad, screen)
    qtbot.waitUntil(lambda: window.current_screen.value == screen)
    qtbot.wait(1)


def _spread(values: list[int]) -> int:
    return max(values) - min(values)


@MATRIX
def test_the_five_levels_are_alike(
    qtbot: QtBot, pad: Pad, window: PadWindow, language: str, size: tuple[int, int], large_text: bool
) -> None:
    """A bigger, higher or bolder level draws more presses: every level gets the same card, its face and
    words at the same place, in the same font and treatment; only the face, the words and the colour
    differ, and the face and the words alone tell the levels apart."""
    window.set_language(language)
    _show(qtbot, pad, window, "prompt", size, large_text)
    cards = window.prompt.buttons
    assert [card.satisfaction for card in cards] == [5, 4, 3, 2, 1]
    assert len({card.text() for card in cards}) == 5
    portrait = size[1] > size[0]
    _same_cards(window, cards, portrait)
    image = render(window)
    shown = [measure(image, window, card) for card in cards]
    _same_faces(shown)
    _same_words(cards, shown, portrait, language)
    _distinct_faces(shown)


def _same_cards(window: PadWindow, cards: list[CardButton], portrait: bool) -> None:
    """The same size, in one row (landscape) or one column (portrait), evenly spaced, all on the screen;
    the same font and state: none larger, bolder, checked or pressed."""
    geometry = [card.geometry() for card in cards]
    report = [
        f"{c.text()!r} {g.x()},{g.y()} {g.width()}x{g.height()}" for c, g in zip(cards, geometry, strict=True)
    ]
    for card in cards:
        assert window.rect().contains(QRect(card.mapTo(window, QPoint(0, 0)), card.size())), report
    assert _spread([g.width() for g in geometry]) <= 1, report
    assert _spread([g.height() for g in geometry]) <= 1, report
    if portrait:
        assert _spread([g.x() for g in geometry]) == 0, report
        gaps = [b.top() - a.bottom() for a, b in itertools.pairwise(geometry)]
    else:
        assert _spread([g.y() for g in geometry]) == 0, report
        gaps = [b.left() - a.right() for a, b in itertools.pairwise(geometry)]
    assert min(gaps) > 1 and _spread(gaps) <= 1, (gaps, report)
    fonts = {(c.font().family(), c.font().pixelSize(), c.font().weight(), c.font().italic()) for c in cards}
    assert len(fonts) == 1, fonts
    assert not any(c.isCheckable() or c.isChecked() or c.isDown() for c in cards)


def _same_faces(shown: list[RenderedCard]) -> None:
    """The faces the same size at the same place in every card, the borders equally thick."""
    faces = [s.face for s in shown]
    assert all(not f.isEmpty() for f in faces), faces
    for side in (QRect.left, QRect.top, QRect.right, QRect.bottom):
        assert _spread([side(f) for f in faces]) <= 1, (side.__name__, faces)
    assert _spread([s.border for s in shown]) <= 1, [s.border for s in shown]


def _same_words(cards: list[CardButton], shown: list[RenderedCard], portrait: bool, language: str) -> None:
    """The words in ink on the white card, starting at the same height and centred alike, inside the card
    and clear of the face, whole: never clipped, elided or broken inside a word; a Chinese level's name
    on one line."""
    words = [s.words for s in shown]
    assert all(not w.isEmpty() for w in words), words
    # Glyphs' own tops and sides differ by a little; a line or a card's offset by far more.
    near = max(2, round(cards[0].font().pixelSize() * 0.15))
    assert _spread([w.top() for w in words]) <= near, words
    assert _spread([w.center().x() for w in words]) <= near, words
    for card, seen in zip(cards, shown, strict=True):
        padding = card.padding
        inside = QRect(0, 0, card.width(), card.height()).adjusted(padding, padding, -padding, -padding)
        assert inside.contains(seen.words), (card.text(), seen.words, inside)
        # Painted words are clipped to their box: clipped, elided or broken, the ink is narrower than a word.
        metrics = QFontMetrics(card.font())
        widest = max(metrics.tightBoundingRect(word).width() for word in card.text().split())
        assert seen.words.width() >= widest * 0.95 - 2, (card.text(), seen.words, widest)
        if portrait:
            assert seen.words.left() > seen.face.right(), (card.text(), seen.words, seen.face)
        else:
            assert seen.words.top() > seen.face.bottom(), (card.text(), seen.words, seen.face)
        most = 1 if language == "zh_CN" else len(card.text().split())
        assert seen.lines <= most, (card.text(), seen.lines)


def _distinct_faces(shown: list[RenderedCard]) -> None:
    """Told apart without colour: each face's mouth differs from every other's in kind (open or a line;
    smiling, level or frowning), not only in how much one line bends."""
    kinds = [_mouth(s.face_shape, s.face) for s in shown]
    assert len(set(kinds)) == 5, kinds
    assert [bend for _, bend in kinds] == ["smiles", "smiles", "level", "frowns", "frowns"], kinds


def _mouth(shape: frozenset[tuple[int, int]], face: QRect) -> tuple[str, str]:
    """Whether a face's mouth is open or a line, and whether it smiles, frowns or is level."""
    side = face.width()
    middle_x, middle_y = side / 2, face.height() / 2
    # Below the eyes and inside the ring.
    mouth = [
        (x, y)
        for x, y in shape
        if y > middle_y + 0.05 * side and (x - middle_x) ** 2 + (y - middle_y) ** 2 < (0.38 * side) ** 2
    ]
    assert mouth, face
    left, right = min(x for x, _ in mouth), max(x for x, _ in mouth)

    def rows(near: float) -> list[int]:
        return [y for x, y in mouth if abs(x - near) <= 0.03 * side]

    centre, ends = rows(middle_x), rows(left + 0.03 * side) + rows(right - 0.03 * side)
    bend = sum(centre) / len(centre) - sum(ends) / len(ends)
    opened = "open" if max(centre) - min(centre) > 0.12 * side else "line"
    return opened, "smiles" if bend > 0.02 * side else "frowns" if bend < -0.02 * side else "level"


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
