"""Reading the fenced blocks and links of the repository's documents, for the tests that run them."""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"

_FENCE = re.compile(
    r"^(?P<indent> *)```(?P<lang>[\w-]*)\n(?P<body>.*?)^(?P=indent)```\s*$", re.MULTILINE | re.DOTALL
)


@dataclass(frozen=True)
class Block:
    """A fenced block: its language (may be empty), its text (dedented), and the heading it falls under."""

    lang: str
    text: str
    heading: str


def blocks(path: Path) -> list[Block]:
    """Every fenced block of a Markdown file, in order, also those indented inside list items."""
    source = path.read_text(encoding="utf-8")
    found = []
    for match in _FENCE.finditer(source):
        headings = re.findall(r"^#+ (.+)$", source[: match.start()], re.MULTILINE)
        found.append(Block(match["lang"], textwrap.dedent(match["body"]), headings[-1] if headings else ""))
    return found


def blocks_under(path: Path, heading: str, lang: str | None = None) -> list[Block]:
    """The blocks under the headings that start with `heading` (of one language, when given)."""
    return [b for b in blocks(path) if b.heading.startswith(heading) and (lang is None or b.lang == lang)]


def links(path: Path) -> list[str]:
    """The targets of a Markdown file's links and images, `[text](target)` and `<a href>` alike."""
    source = path.read_text(encoding="utf-8")
    # Fenced blocks are examples, not links.
    prose = _FENCE.sub("", source)
    targets = re.findall(r"\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)", prose)
    targets += re.findall(r"(?:href|src)=\"([^\"]+)\"", prose)
    return targets
