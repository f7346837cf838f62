"""Who owns what (guide: one owner per resource): an object that belongs to one thread says so, and checks
it on entry, as Electrum's `assert_runs_in_hwd_thread()` does; what another thread may read is a `Shared`
snapshot, replaced whole by the owner and never changed in place.
"""

from __future__ import annotations

import threading
from typing import Generic, TypeVar

T = TypeVar("T")


class WrongThread(AssertionError):
    """An object was used from a thread that does not own it."""


class ThreadOwner:
    """The thread an object belongs to: the one that made it, unless it is moved (`take`).

    Args:
        what: the owner's name in the error, e.g. "the Pad".
    """

    def __init__(self, what: str) -> None:
        self.what = what
        self._ident = threading.get_ident()
        self._name = threading.current_thread().name

    def take(self) -> None:
        """The calling thread owns the object from now on (a reader thread, once it starts)."""
        self._ident = threading.get_ident()
        self._name = threading.current_thread().name

    def check(self) -> None:
        """Raises WrongThread unless called on the owner's thread. Cheap enough for every entry point."""
        if threading.get_ident() != self._ident:
            raise WrongThread(
                f"{self.what} belongs to thread {self._name!r}, "
                f"but was used from {threading.current_thread().name!r}"
            )


class Shared(Generic[T]):
    """A value one thread publishes and others read: each read gets the whole latest value, which the
    publisher never changes in place (publish immutable values: frozen dataclasses, tuples)."""

    def __init__(self, value: T) -> None:
        self._lock = threading.Lock()
        self._value = value

    def get(self) -> T:
        with self._lock:
            return self._value

    def publish(self, value: T) -> None:
        with self._lock:
            self._value = value
