"""docs/idcard-reader-and-scanner.md: its vectors and examples are what the terminal's code does."""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

from kiosk.devices import sam_codec
from kiosk.devices.card_reader_monitor import card_json
from kiosk.devices.card_reader_simulator import SimulatedCardReader, apply_line
from kiosk.devices.sam_codec import encode_answer, encode_command
from tests.devices.test_sam import READ_ANSWER, chen_ming

DOC = Path(__file__).resolve().parents[2] / "docs" / "idcard-reader-and-scanner.md"
TEXT = DOC.read_text(encoding="utf-8")

MADE = {
    "find (terminal)": encode_command(*sam_codec.FIND),
    "select (terminal)": encode_command(*sam_codec.SELECT),
    "read (terminal)": encode_command(*sam_codec.READ),
    "find: card found (reader)": encode_answer(sam_codec.CARD_FOUND, sam_codec.FIND_DATA),
    "find: no card (reader)": encode_answer(sam_codec.NO_CARD),
    "select: selected (reader)": encode_answer(sam_codec.DONE, sam_codec.SELECT_DATA),
    "read: failed (reader)": encode_answer(sam_codec.READ_FAILED),
    "read: whole answer, head": READ_ANSWER[:14],
}


def block_after(heading: str) -> str:
    """The first fenced block after a heading."""
    rest = TEXT[TEXT.index(heading) :]
    match = re.search(r"```[a-z]*\n(.*?)```", rest, re.DOTALL)
    assert match is not None
    return match.group(1)


def test_the_vectors_are_the_codecs() -> None:
    rows = {}
    for line in block_after("### Test vectors").splitlines():
        label, _, hex_bytes = re.split(r"(\s{2,})", line.strip(), maxsplit=1)
        rows[label] = bytes.fromhex(hex_bytes)
    assert rows == MADE


def test_the_monitor_line_is_the_monitors() -> None:
    example = next(line for line in block_after("## 4. On the bench").splitlines() if line.startswith("{"))
    at = datetime.fromisoformat(json.loads(example)["at"])
    assert card_json(chen_ming(), at) == example


def test_the_simulator_lines_are_accepted() -> None:
    lines = block_after("Without hardware").splitlines()[2:]
    assert [line.split()[0] for line in lines] == ["card", "lift", "fail"]
    with SimulatedCardReader() as reader:
        assert [apply_line(reader, line) for line in lines] == [None, None, None]


def test_the_doc_links_nothing_outside_the_repository() -> None:
    assert "../shared" not in TEXT
    assert not re.search(r"\]\((?!#)[a-z]+://", TEXT)
