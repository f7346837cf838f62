"""The province's catalogues: reason codes (evalDetail) and certificate types, from the package's data files.

The files hold the national set of rules.md; the province sends the current reasons and the certificate
table to devices in `config`, and accepts retired reason codes in records (old ratings) without offering them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

LEVELS = ("5", "4", "3", "2", "1")


@dataclass(frozen=True)
class Level:
    """One satisfaction level of Art. 5 (rules.md "Levels"), 5 = 非常满意 as the platform numbers them."""

    satisfaction: int
    zh: str
    en: str

    @property
    def needs_reason(self) -> bool:
        """Levels 1 and 2 ask for at least one reason on a screen (rules.md R4)."""
        return self.satisfaction <= 2


LEVEL_LABELS: dict[int, Level] = {
    5: Level(5, "非常满意", "very satisfied"),
    4: Level(4, "满意", "satisfied"),
    3: Level(3, "基本满意", "basically satisfied"),
    2: Level(2, "不满意", "dissatisfied"),
    1: Level(1, "非常不满意", "very dissatisfied"),
}


@dataclass(frozen=True)
class Reason:
    """One current reason code and its text; its first digit is its level. `en` is the English text the
    sandbox's phone page shows (not sent to devices, which carry their own); "" when there is none."""

    code: str
    text: str
    en: str = ""


@dataclass(frozen=True)
class CertType:
    """One certificate type of R2; `check` names the standard its numbers must satisfy, if any."""

    code: str
    name: str
    check: str = ""


@dataclass(frozen=True)
class Catalogue:
    """The reason codes and certificate types the sandbox serves and validates against.

    Attributes:
        version: the reason catalogue's version, sent as `config.reasons.version`.
        current: the current reasons per level ("5" … "1"), in the order they are offered.
        retired: codes no longer offered but still valid in records, per level.
        cert_types: the certificate-type table, in the order it is sent.
    """

    version: str
    current: dict[str, tuple[Reason, ...]]
    retired: dict[str, frozenset[str]]
    cert_types: tuple[CertType, ...]

    def level_of(self, code: str) -> int | None:
        """The level (1-5) a reason code belongs to, current or retired, or None for an unknown code."""
        for level in LEVELS:
            if code in self.retired[level] or any(reason.code == code for reason in self.current[level]):
                return int(level)
        return None

    def cert_type(self, code: str) -> CertType | None:
        """The certificate type with this code, or None when the table has none."""
        return next((cert for cert in self.cert_types if cert.code == code), None)

    def reasons_json(self) -> dict[str, Any]:
        """`config.reasons`: the version and the current codes per level, retired ones left out."""
        levels = {level: [{"code": r.code, "text": r.text} for r in self.current[level]] for level in LEVELS}
        return {"version": self.version, "levels": levels}

    def cert_types_json(self) -> list[dict[str, str]]:
        """`config.certTypes`: code and name of each certificate type."""
        return [{"code": cert.code, "name": cert.name} for cert in self.cert_types]


def _load(name: str) -> Any:
    return json.loads(resources.files("province").joinpath("data", name).read_text(encoding="utf-8"))


@cache
def national_catalogue() -> Catalogue:
    """The catalogue shipped with the sandbox (`province/data/*.json`), read once.

    Raises:
        ValueError: when a data file lists a code under the wrong level.
    """
    reasons, certs = _load("reasons.json"), _load("cert_types.json")
    current = {
        level: tuple(
            Reason(item["code"], item["text"], item.get("en", "")) for item in reasons["levels"][level]
        )
        for level in LEVELS
    }
    retired = {level: frozenset(reasons["retired"][level]) for level in LEVELS}
    for level in LEVELS:
        codes = [reason.code for reason in current[level]] + sorted(retired[level])
        if any(code[0] != level for code in codes):
            raise ValueError(f"reasons.json lists a code under level {level} that is not of that level")
    cert_types = tuple(
        CertType(item["code"], item["name"], item.get("check", "")) for item in certs["certTypes"]
    )
    return Catalogue(str(reasons["version"]), current, retired, cert_types)
