"""How personal data shows anywhere a person or a log can read it (rules.md R3).

A name shows as 陈*明 / 陈*, an ID number as 3501**********1238, a phone number as 138****8000.
"""

from __future__ import annotations


def mask_name(name: str) -> str:
    """Keeps the first and (for three or more characters) the last character."""
    if len(name) <= 1:
        return "*" * len(name)
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_cert_no(cert_no: str) -> str:
    """Keeps at most four characters at each end, and never more than half of the number."""
    keep = min(4, len(cert_no) // 4)
    if keep == 0:
        return "*" * len(cert_no)
    return cert_no[:keep] + "*" * (len(cert_no) - 2 * keep) + cert_no[-keep:]


def mask_mobile(mobile: str) -> str:
    """Keeps the first three and the last four digits of an 11-digit number; less of a shorter one."""
    if len(mobile) >= 11:
        return mobile[:3] + "*" * (len(mobile) - 7) + mobile[-4:]
    keep = len(mobile) // 4
    return "*" * (len(mobile) - keep) + mobile[len(mobile) - keep :]
