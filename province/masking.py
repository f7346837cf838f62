"""How the sandbox's pages show an applicant's name (rules.md R3): 陈*明, 陈*. Certificate and phone numbers
are never shown at all, masked or not."""

from __future__ import annotations


def mask_name(name: str) -> str:
    """Keeps the first and (for three or more characters) the last character; "" stays ""."""
    if len(name) <= 1:
        return "*" * len(name)
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]
