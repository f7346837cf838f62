"""The technician PIN: only a slow salted hash is kept (`console.pin_hash`), never the PIN; five wrong tries
lock the console for five minutes.

The hash is self-describing, `scrypt$n=16384,r=8,p=1$<salt>$<hash>` (base64 without padding), so that a
later kiosk can raise the cost and still read what an older one wrote; `pbkdf2-sha256$i=N$<salt>$<hash>` is
read too. Verifying compares in constant time.
"""

from __future__ import annotations

import base64
import binascii
import enum
import hashlib
import hmac
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass

PIN_PATTERN = re.compile(r"[0-9]{4,12}")
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
SALT_BYTES = 16
HASH_BYTES = 32
MAX_TRIES = 5
LOCKOUT_S = 300.0
# Bounds on what a stored hash may ask of the pad, so that an edited kiosk.toml cannot make it hang.
_MAX_SCRYPT_N, _MAX_SCRYPT_R, _MAX_SCRYPT_P = 2**17, 16, 4
_MAX_PBKDF2_ITERATIONS = 5_000_000


class PinFormatError(ValueError):
    """The PIN is not 4 to 12 digits."""


def check_pin_format(pin: str) -> None:
    """Raises PinFormatError unless the PIN is 4 to 12 digits (0-9)."""
    if not PIN_PATTERN.fullmatch(pin):
        raise PinFormatError("the PIN must be 4 to 12 digits")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)


def hash_pin(pin: str) -> str:
    """The stored form of a new PIN: scrypt with a random salt.

    Raises:
        PinFormatError: the PIN is not 4 to 12 digits.
    """
    check_pin_format(pin)
    salt = os.urandom(SALT_BYTES)
    digest = _scrypt(pin, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P, HASH_BYTES)
    return f"scrypt$n={SCRYPT_N},r={SCRYPT_R},p={SCRYPT_P}${_b64(salt)}${_b64(digest)}"


def _scrypt(pin: str, salt: bytes, n: int, r: int, p: int, length: int) -> bytes:
    return hashlib.scrypt(pin.encode(), salt=salt, n=n, r=r, p=p, dklen=length, maxmem=256 * r * n + 2**20)


@dataclass(frozen=True)
class _Parsed:
    scheme: str
    params: dict[str, int]
    salt: bytes
    digest: bytes


def _parse(encoded: str) -> _Parsed | None:
    parts = encoded.split("$")
    if len(parts) != 4 or parts[0] not in ("scrypt", "pbkdf2-sha256"):
        return None
    try:
        params = {k: int(v) for k, _, v in (item.partition("=") for item in parts[1].split(","))}
        salt, digest = _unb64(parts[2]), _unb64(parts[3])
    except (ValueError, binascii.Error):
        return None
    if len(salt) < 8 or len(digest) < 16:
        return None
    if parts[0] == "scrypt":
        n, r, p = params.get("n", 0), params.get("r", 0), params.get("p", 0)
        power_of_two = n > 1 and n & (n - 1) == 0
        if not (power_of_two and n <= _MAX_SCRYPT_N and 0 < r <= _MAX_SCRYPT_R and 0 < p <= _MAX_SCRYPT_P):
            return None
    elif not 0 < params.get("i", 0) <= _MAX_PBKDF2_ITERATIONS:
        return None
    return _Parsed(parts[0], params, salt, digest)


def describe_hash(encoded: str) -> str | None:
    """What kind of hash is stored (for `kiosk doctor`), or None when it is not one this kiosk reads."""
    parsed = _parse(encoded)
    if parsed is None:
        return None
    params = ", ".join(f"{k}={v}" for k, v in parsed.params.items())
    return f"{parsed.scheme} ({params})"


def verify_pin(pin: str, encoded: str) -> bool:
    """Whether `pin` is the PIN whose hash is `encoded`; False for an unreadable hash."""
    parsed = _parse(encoded)
    if parsed is None or not PIN_PATTERN.fullmatch(pin):
        return False
    if parsed.scheme == "scrypt":
        p = parsed.params
        candidate = _scrypt(pin, parsed.salt, p["n"], p["r"], p["p"], len(parsed.digest))
    else:
        candidate = hashlib.pbkdf2_hmac(
            "sha256", pin.encode(), parsed.salt, parsed.params["i"], len(parsed.digest)
        )
    return hmac.compare_digest(candidate, parsed.digest)


class PinOutcome(enum.Enum):
    ACCEPTED = "accepted"
    WRONG = "wrong"
    LOCKED = "locked"


@dataclass(frozen=True)
class Attempt:
    """The answer to one try.

    Attributes:
        outcome: accepted, wrong, or locked (this try was not even checked, or it was the fifth wrong one).
        tries_left: wrong tries left before the lock.
        locked_for_s: seconds until the lock ends (0 when not locked).
        checked: whether the PIN was compared at all (not while locked).
    """

    outcome: PinOutcome
    tries_left: int
    locked_for_s: float = 0.0
    checked: bool = True


class PinLockout:
    """Counts wrong tries: after `max_tries` in a row the console is locked for `lockout_s` seconds, and no try
    is checked until then. A right PIN, or the end of a lock, starts the count again.

    Args:
        max_tries: wrong tries before the lock.
        lockout_s: how long the lock lasts.
        monotonic: the time source (tests move it by hand).
    """

    def __init__(
        self,
        max_tries: int = MAX_TRIES,
        lockout_s: float = LOCKOUT_S,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_tries = max_tries
        self.lockout_s = lockout_s
        self._monotonic = monotonic
        self._wrong = 0
        self._locked_until: float | None = None

    def locked_for(self) -> float:
        """Seconds until the lock ends; 0 when the console is not locked (an expired lock is cleared)."""
        if self._locked_until is None:
            return 0.0
        left = self._locked_until - self._monotonic()
        if left <= 0:
            self._locked_until = None
            self._wrong = 0
            return 0.0
        return left

    @property
    def tries_left(self) -> int:
        return self.max_tries - self._wrong

    def attempt(self, pin: str, pin_hash: str) -> Attempt:
        """Checks one try against the stored hash."""
        locked = self.locked_for()
        if locked:
            return Attempt(PinOutcome.LOCKED, 0, locked, checked=False)
        if verify_pin(pin, pin_hash):
            self._wrong = 0
            return Attempt(PinOutcome.ACCEPTED, self.max_tries)
        self._wrong += 1
        if self._wrong >= self.max_tries:
            self._locked_until = self._monotonic() + self.lockout_s
            return Attempt(PinOutcome.LOCKED, 0, self.lockout_s)
        return Attempt(PinOutcome.WRONG, self.tries_left)
