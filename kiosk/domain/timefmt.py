"""Times as the contracts write them: ISO 8601, whole seconds, explicit offset."""

from __future__ import annotations

import re
from datetime import datetime

# YYYY-MM-DDThh:mm:ss, optional fraction, then Z or ±hh:mm. Python's fromisoformat alone takes far more
# (week dates, no offset, basic format), which the contracts do not allow.
_ISO_WITH_OFFSET = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})\Z")


def parse_time(text: str) -> datetime:
    """Parses an ISO 8601 time with an explicit offset.

    Raises:
        ValueError: when `text` is not such a time.
    """
    if not isinstance(text, str) or not _ISO_WITH_OFFSET.match(text):
        raise ValueError("not an ISO 8601 time with offset (YYYY-MM-DDThh:mm:ss±hh:mm)")
    if "." in text:
        # fromisoformat accepts 3 or 6 fractional digits only; the contracts use whole seconds anyway.
        head, _, rest = text.partition(".")
        tail = rest.lstrip("0123456789")
        text = head + tail
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    assert value.tzinfo is not None
    return value


def format_time(value: datetime) -> str:
    """Writes `value` as `YYYY-MM-DDThh:mm:ss±hh:mm`.

    Raises:
        ValueError: for a naive datetime, whose instant is unknown.
    """
    if value.tzinfo is None:
        raise ValueError("a naive datetime has no offset")
    return value.replace(microsecond=0).isoformat()
