"""The uplink's retry schedule (uplink-api.md "Sending ratings"): after a failed attempt it waits 1 s,
doubling up to a 5-minute cap, with ±20% jitter; any successful answer resets the wait."""

from __future__ import annotations

import random
from dataclasses import dataclass

FIRST_DELAY_S = 1.0
MAX_DELAY_S = 300.0
JITTER = 0.2


@dataclass
class Backoff:
    """The wait after a failed attempt: `first_s`, doubling up to `cap_s`, each wait drawn ±`jitter` around
    its nominal value; any successful answer resets it.

    The defaults are the spec's schedule (1 s doubling to a 5-minute cap, ±20%); tests and benchmarks pass a
    faster one. The jitter applies at the cap too, so that pads cut off together do not retry in step.

    Attributes:
        first_s: the first nominal wait.
        cap_s: the longest nominal wait, and the wait after the province refused the device.
        jitter: the share by which a wait is drawn above or below its nominal value.
        rng: the source of the jitter (a seeded one makes the waits repeatable).
        delay: the nominal wait after the last failure; 0 after a success.
    """

    first_s: float = FIRST_DELAY_S
    cap_s: float = MAX_DELAY_S
    jitter: float = JITTER
    rng: random.Random | None = None
    delay: float = 0.0

    def failed(self, at_least: float = 0.0) -> float:
        """The wait before the next attempt after a failure (after a 429, at least its Retry-After)."""
        self.delay = self.first_s if self.delay == 0 else min(self.delay * 2, self.cap_s)
        rng = self.rng or random
        return max(self.delay * rng.uniform(1 - self.jitter, 1 + self.jitter), at_least)

    def capped(self) -> float:
        """The wait when the device must stop and try again at the cap (bad signature, revoked)."""
        self.delay = self.cap_s
        return self.cap_s

    def reset(self) -> None:
        self.delay = 0.0
