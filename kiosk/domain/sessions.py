"""The life of a rating session (counter-bridge-api.md "Sessions"; rules.md R1, R6)."""

from __future__ import annotations

import enum


class SessionState(enum.StrEnum):
    AWAITING = "awaiting"
    RATED = "rated"
    TIMED_OUT = "timed_out"
    CANCELLED = "cancelled"
    DEFAULTED = "defaulted"


_ALLOWED: dict[SessionState, frozenset[SessionState]] = {
    SessionState.AWAITING: frozenset({SessionState.RATED, SessionState.TIMED_OUT, SessionState.CANCELLED}),
    # A timed-out session can still be rated by QR (learned from the province), default after the window,
    # or be ended by a new session for the same projectNo (it then never defaults).
    SessionState.TIMED_OUT: frozenset({SessionState.RATED, SessionState.DEFAULTED, SessionState.CANCELLED}),
    SessionState.RATED: frozenset(),
    SessionState.CANCELLED: frozenset(),
    SessionState.DEFAULTED: frozenset(),
}


class TransitionError(ValueError):
    """A session was asked to move to a state its current state does not lead to."""


def check_transition(current: SessionState, new: SessionState) -> None:
    """Raises TransitionError unless `current` may become `new`."""
    if new not in _ALLOWED[current]:
        raise TransitionError(f"a {current} session cannot become {new}")


def counts_as_rated(state: SessionState) -> bool:
    """Whether the 办件 already has its one rating on this pad (R1)."""
    return state in (SessionState.RATED, SessionState.DEFAULTED)


def reopens_as_cancelled(state: SessionState) -> bool:
    """Whether an earlier session for the same projectNo ends as cancelled when a new one opens."""
    return state in (SessionState.TIMED_OUT, SessionState.CANCELLED)
