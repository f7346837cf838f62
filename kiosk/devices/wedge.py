"""Telling a keyboard-wedge scanner from a person typing (idcard-reader.md §2): pure, no Qt.

A scanner in keyboard-wedge mode types each code followed by Enter, its keys a few milliseconds apart; people
type a key every 100 ms or more. A burst of at least 6 characters whose keys arrive no more than
`max_key_gap_ms` apart, ended by an Enter no later than that, is a scan; anything slower is typing.
"""

from __future__ import annotations

DEFAULT_MAX_KEY_GAP_MS = 30
MIN_SCAN_LENGTH = 6
ENTER = "\r"


class ScanBurstDetector:
    """Fed (character, time) events as they arrive; says which Enter ends a scan.

    Args:
        max_key_gap_ms: the longest gap between two keys of one scan (scanner.max_key_gap_ms).
        min_length: the fewest characters a scan has.

    Attributes:
        scans: bursts taken as scans.
        typed: Enters that ended ordinary typing (or a burst too short).
    """

    def __init__(
        self, max_key_gap_ms: float = DEFAULT_MAX_KEY_GAP_MS, min_length: int = MIN_SCAN_LENGTH
    ) -> None:
        self.max_key_gap_ms = max_key_gap_ms
        self.min_length = min_length
        self._burst: list[str] = []
        self._last_at: float | None = None
        self.scans = 0
        self.typed = 0

    @property
    def pending(self) -> int:
        """Characters of the burst so far."""
        return len(self._burst)

    def reset(self) -> None:
        """Forgets the burst (a text field took focus, a key was held down)."""
        self._burst.clear()
        self._last_at = None

    def feed(self, key: str, at_ms: float) -> str | None:
        """Takes one key: a printable character, or ENTER ("\\r" or "\\n").

        Args:
            key: the character typed.
            at_ms: when, in milliseconds on any steady clock (a key event's timestamp).

        Returns:
            The scanned text when this Enter ends a scan; else None.
        """
        close = self._last_at is not None and 0 <= at_ms - self._last_at <= self.max_key_gap_ms
        if key in ("\r", "\n"):
            burst = "".join(self._burst)
            self.reset()
            if close and len(burst) >= self.min_length:
                self.scans += 1
                return burst
            self.typed += 1
            return None
        if not close:
            self._burst.clear()
        self._burst.append(key)
        self._last_at = at_ms
        return None
