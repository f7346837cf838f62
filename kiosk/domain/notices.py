"""The hall's public notices (政务公开, Art. 12; uplink-api.md `config.notices`): the idle screen of either
role shows those whose period holds today, one after another."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True)
class Notice:
    """One notice.

    Attributes:
        notice_id: its id.
        title: its title.
        body: its text.
        image_png: a PNG to show beside it, or b"".
        first_day: the first day it is shown.
        last_day: the last day it is shown.
    """

    notice_id: str
    title: str
    body: str
    first_day: date
    last_day: date
    image_png: bytes = b""

    def in_force(self, today: date) -> bool:
        return self.first_day <= today <= self.last_day


def notices_in_force(notices: Iterable[Notice], today: date) -> tuple[Notice, ...]:
    """The notices to show today, in the province's order."""
    return tuple(notice for notice in notices if notice.in_force(today))


def parse_notices(items: Any) -> tuple[Notice, ...]:
    """`config.notices` (a list of `{id, title, body, image?, from, until}`); an item that cannot be read is
    left out, never guessed."""
    notices = []
    for item in items if isinstance(items, list) else []:
        notice = _notice(item)
        if notice is not None:
            notices.append(notice)
    return tuple(notices)


def _notice(item: Any) -> Notice | None:
    if not isinstance(item, dict):
        return None
    texts = [item.get(key) for key in ("id", "title", "body", "from", "until")]
    if not all(isinstance(text, str) and text for text in texts[:2]) or not isinstance(texts[2], str):
        return None
    try:
        first, last = date.fromisoformat(str(texts[3])), date.fromisoformat(str(texts[4]))
    except ValueError:
        return None
    image = b""
    if isinstance(item.get("image"), str):
        try:
            image = base64.b64decode(item["image"], validate=True)
        except (binascii.Error, ValueError):
            image = b""
    return Notice(str(texts[0]), str(texts[1]), str(texts[2]), first, last, image)
