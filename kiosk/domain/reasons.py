"""The reason catalogue (evalDetail codes): the national set shipped in assets, or the province's."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Reason:
    """One reason a citizen can give; its first digit is its level."""

    code: str
    text: str
    en: str = ""
    retired: bool = False

    @property
    def satisfaction(self) -> int:
        return int(self.code[0])

    def label(self, language: str) -> str:
        """The text to show; the Chinese text where no English one is known."""
        if language.startswith("en") and self.en:
            return self.en
        return self.text


@dataclass(frozen=True)
class ReasonCatalogue:
    """Reasons per level, in the order they are offered.

    Retired codes stay in the catalogue so that old records still validate, but are never offered.
    """

    version: str
    reasons: Mapping[str, Reason] = field(default_factory=dict)

    @classmethod
    def from_json(cls, data: Mapping[str, Any], english: ReasonCatalogue | None = None) -> ReasonCatalogue:
        """Builds a catalogue from the shape of uplink `config.reasons` (optionally with `en` and `retired`).

        Args:
            data: `{"version": …, "levels": {"5": [{"code", "text", "en"?, "retired"?}, …], …}}`.
            english: a catalogue whose English texts fill in codes that `data` gives only in Chinese
                (the province sends Chinese only).

        Raises:
            ValueError: on a malformed catalogue (a code whose first digit is not its level, say).
        """
        reasons: dict[str, Reason] = {}
        levels = data.get("levels")
        if not isinstance(levels, Mapping):
            raise ValueError("reason catalogue has no 'levels' object")
        for level_key, items in levels.items():
            if level_key not in {"1", "2", "3", "4", "5"} or not isinstance(items, list):
                raise ValueError(f"reason catalogue level {level_key!r} is not 1..5 with a list")
            for item in items:
                code = str(item.get("code", ""))
                if len(code) != 3 or not code.isdigit() or code[0] != level_key:
                    raise ValueError(f"reason code {code!r} does not belong to level {level_key}")
                en = str(item.get("en") or "")
                if not en and english is not None and code in english.reasons:
                    en = english.reasons[code].en
                reasons[code] = Reason(code, str(item.get("text", "")), en, bool(item.get("retired", False)))
        for code, old in english.reasons.items() if english else ():
            # Codes the province no longer lists stay readable (old records), but are never offered.
            if code not in reasons:
                reasons[code] = Reason(code, old.text, old.en, retired=True)
        return cls(str(data.get("version", "")), reasons)

    def offered(self, satisfaction: int) -> list[Reason]:
        """The reasons offered for a level, in catalogue order, retired ones left out."""
        prefix = str(satisfaction)
        return [r for r in self.reasons.values() if r.code[0] == prefix and not r.retired]

    def check(self, satisfaction: int, codes: Iterable[str]) -> str | None:
        """Why `codes` cannot go with `satisfaction` in a new rating, or None when they can."""
        for code in codes:
            reason = self.reasons.get(code)
            if reason is None:
                return f"unknown reason code {code}"
            if reason.satisfaction != satisfaction:
                return f"reason code {code} belongs to level {reason.satisfaction}, not {satisfaction}"
            if reason.retired:
                return f"reason code {code} is retired"
        return None
