"""The five satisfaction levels of Art. 5 (rules.md "Levels")."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class CountsAs(enum.Enum):
    """How a level counts in the province's statistics."""

    GOOD = "good"  # 好评
    NEUTRAL = "neutral"
    BAD = "bad"  # 差评


@dataclass(frozen=True)
class Level:
    """One satisfaction level as the platform interfaces number it (5 = 非常满意).

    GB/T 39046-2020 Table A.8 numbers the other way round; `gbt39046_code` converts explicitly.
    """

    satisfaction: int
    zh: str
    en: str
    counts_as: CountsAs

    @property
    def gbt39046_code(self) -> int:
        """The same level in GB/T 39046-2020 Table A.8's numbering (1 = 非常满意)."""
        return 6 - self.satisfaction

    @property
    def needs_reason_on_screen(self) -> bool:
        """Levels 1 and 2 ask for at least one reason on a screen (rules.md R4)."""
        return self.counts_as is CountsAs.BAD

    def label(self, language: str) -> str:
        return self.zh if language.startswith("zh") else self.en


LEVELS: dict[int, Level] = {
    5: Level(5, "非常满意", "very satisfied", CountsAs.GOOD),
    4: Level(4, "满意", "satisfied", CountsAs.GOOD),
    3: Level(3, "基本满意", "basically satisfied", CountsAs.NEUTRAL),
    2: Level(2, "不满意", "dissatisfied", CountsAs.BAD),
    1: Level(1, "非常不满意", "very dissatisfied", CountsAs.BAD),
}

DEFAULT_SATISFACTION = 4
"""The level a session defaults to after the 7-day window (R6): 满意."""


def level(satisfaction: int) -> Level:
    """The level for a satisfaction value 1..5.

    Raises:
        ValueError: for any other value.
    """
    try:
        return LEVELS[satisfaction]
    except KeyError:
        raise ValueError(f"satisfaction must be 1..5, got {satisfaction!r}") from None


def from_gbt39046(code: int) -> Level:
    """The level for a GB/T 39046-2020 Table A.8 code (1 = 非常满意)."""
    if code not in range(1, 6):
        raise ValueError(f"GB/T 39046 satisfaction code must be 1..5, got {code!r}")
    return LEVELS[6 - code]


class Channel(enum.StrEnum):
    """The `pf` codes of rules.md "Channels" that this product produces or learns of."""

    PC = "1"
    MOBILE = "2"
    QR = "3"
    TABLET = "4"  # a rating touched on the pad's screen
    TERMINAL = "5"  # the hardware evaluator, a self-service terminal, or a default (R6)
    PHONE = "6"
    SMS = "7"
