"""The README and docs/ link only inside the repository, and every link arrives: a clone has everything a
reader is sent to (never ../shared/, never a web address)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.docs.markdown import DOCS, ROOT, links

PAGES = [ROOT / "README.md", *sorted(DOCS.glob("**/*.md")), *sorted(DOCS.glob("**/*.html"))]


def anchors(page: Path) -> set[str]:
    """GitHub's anchors for a Markdown page's headings."""
    headings = re.findall(r"^#+ (.+)$", page.read_text(encoding="utf-8"), re.MULTILINE)
    return {re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-") for heading in headings}


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(ROOT)) for p in PAGES])
def test_every_link_stays_in_the_repository_and_arrives(page: Path) -> None:
    for target in links(page):
        assert not re.match(r"^([a-z][a-z0-9+.-]*:|//)", target, re.IGNORECASE), (
            f"{target} leaves the repository"
        )
        path, _, anchor = target.partition("#")
        destination = (page.parent / path).resolve() if path else page
        assert destination.is_relative_to(ROOT), f"{target} leaves the repository"
        assert "shared" not in destination.relative_to(ROOT).parts, target
        assert destination.exists(), f"{target}: no such file"
        if anchor and destination.suffix == ".md":
            assert anchor in anchors(destination), f"{target}: no such heading"


def test_no_page_points_at_the_specs_outside() -> None:
    for page in PAGES:
        assert "../shared" not in page.read_text(encoding="utf-8"), page


def test_the_readme_sends_each_reader_to_their_page() -> None:
    readme = set(links(ROOT / "README.md"))
    for page in ("case-system-integration.md", "evaluator-protocol.md", "uplink.md", "configuration.md"):
        assert f"docs/{page}" in readme, page
