"""What a scanned or typed code means to a self-service terminal (idcard-reader.md §2).

A code is a 办件编号 (projectNo) or a URL that carries one as its `p` query parameter (the pad's own QR codes,
uplink-api.md "QR rating"), after trimming spaces. Anything else is not a case number.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from kiosk.domain.validation import is_valid_project_no

MAX_CODE = 2048  # longer than any URL a pad makes; refused before it is parsed
NOT_A_CASE_NUMBER = "not_a_case_number"  # the reason a refused code is shown with


def parse_case_code(text: str) -> str | None:  # noqa: PLR0911 - each form a code may take answers on its own
    """The projectNo a code stands for, or None when it is not a case number.

    Args:
        text: the code as scanned or typed.
    """
    code = text.strip()
    if len(code) > MAX_CODE:
        return None
    if is_valid_project_no(code):
        return code
    if any(char.isspace() for char in code):
        return None
    try:
        parts = urlsplit(code)
    except ValueError:  # an unbalanced [ in the host, and the like
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    values = parse_qs(parts.query, keep_blank_values=True).get("p", [])
    if len(values) != 1 or not is_valid_project_no(values[0]):
        return None
    return values[0]
