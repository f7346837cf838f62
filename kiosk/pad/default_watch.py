"""Rule R6: a timed-out session that got no rating within 7 natural days of its finishTime (else acceptTime)
gets the default rating, unless the province reports the 办件 as rated elsewhere (a QR rating, say)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from kiosk.domain.clock import Clock
from kiosk.domain.hall import Placement
from kiosk.domain.levels import DEFAULT_SATISFACTION, Channel
from kiosk.domain.rules import default_window_end
from kiosk.domain.sessions import SessionState
from kiosk.domain.timefmt import format_time
from kiosk.store.errors import StorageUnavailable
from kiosk.store.ledger import Ledger
from kiosk.store.rows import StoredSession

log = logging.getLogger(__name__)

FINAL_ANSWER_WAIT = timedelta(minutes=1)


class DefaultWatch:
    """Watches the timed-out sessions for the Pad (on its thread) and records their defaults.

    Args:
        ledger: the ledger.
        clock: the pad's clock (tests move it a week on).
        days: the window in force (the province's defaultAfterDays, else the pad's own).
        placement: the window the record names.
        online: whether the province can be asked now.
        enabled: whether the pad records defaults at all (False where the province applies R6 itself).
        changed: tells of a session whose state changed (its id).
        recorded: tells of a new record (its seq), so the sender wakes.
        storage_failed: the Pad's reaction to a ledger that cannot take a write.

    Attributes:
        final_check: asks the province about a 办件 right before its default (the uplink's; None offline).
    """

    def __init__(  # noqa: PLR0913 - keyword-only: what the watch reads of the Pad
        self,
        ledger: Ledger,
        clock: Clock,
        *,
        days: Callable[[], int],
        placement: Callable[[], Placement],
        online: Callable[[], bool],
        changed: Callable[[str], None],
        enabled: Callable[[], bool] = lambda: True,
        recorded: Callable[[int], None],
        storage_failed: Callable[[StorageUnavailable], None],
    ) -> None:
        self.ledger = ledger
        self.clock = clock
        self._days = days
        self._placement = placement
        self._online = online
        self._enabled = enabled
        self._changed = changed
        self._recorded = recorded
        self._storage_failed = storage_failed
        self.final_check: Callable[[str], None] | None = None
        self._asks: dict[str, datetime | None] = {}

    def timed_out_sessions(self) -> list[StoredSession]:
        return self.ledger.sessions_in_state(SessionState.TIMED_OUT)

    def learn(self, project_no: str, answer: dict[str, Any]) -> None:
        """What the province said of a 办件: `rated: true` makes the timed-out session rated, with that
        channel and time, and the pad makes no record of its own for it."""
        if not answer.get("rated"):
            if project_no in self._asks:
                # The last word before the window ends: not rated elsewhere, so the default may be made.
                self._asks[project_no] = None
                self.check()
            return
        self._asks.pop(project_no, None)
        for session in self.ledger.sessions_for_project(project_no):
            if session.state is not SessionState.TIMED_OUT:
                continue
            try:
                self.ledger.set_session_state(
                    session.session_id,
                    SessionState.RATED,
                    channel=str(answer.get("pf") or Channel.QR),
                    rated_at=str(answer.get("assessTime") or format_time(self.clock.now())),
                )
            except StorageUnavailable as exc:
                self._storage_failed(exc)
                return
            log.info("session %s was rated elsewhere (pf %s)", session.session_id, answer.get("pf"))
            self._changed(session.session_id)

    def check(self) -> None:
        """Records the default for each timed-out session whose window has ended.

        Online, the province is asked once more just before (a QR rating made in the last minutes wins);
        the default follows its answer, or a minute without one. Offline, the default is recorded anyway.
        Nothing at all where the province records defaults itself.
        """
        if not self._enabled():
            return
        now = self.clock.now()
        days = self._days()
        for session in self.timed_out_sessions():
            end = default_window_end(session.window_start, days)
            if now < end or not self._final_word(session.project_no, now):
                continue
            self._asks.pop(session.project_no, None)
            try:
                recorded = self.ledger.record_rating(
                    session,
                    satisfaction=DEFAULT_SATISFACTION,
                    pf=Channel.TERMINAL,
                    # Exactly the end of the window, whenever written, in the pad's civil time (R13).
                    assess_time=format_time(end.astimezone(now.tzinfo)),
                    placement=self._placement(),
                    default=True,
                    final_state=SessionState.DEFAULTED,
                )
            except StorageUnavailable as exc:
                self._storage_failed(exc)
                return
            log.info(
                "session %s defaulted after %d days: record seq %d", session.session_id, days, recorded.seq
            )
            self._changed(session.session_id)
            self._recorded(recorded.seq)

    def _final_word(self, project_no: str, now: datetime) -> bool:
        """Whether the default may be recorded now: asks the province first when it can be asked."""
        if self.final_check is None or not self._online():
            return True
        if project_no not in self._asks:
            self._asks[project_no] = now
            self.final_check(project_no)
            return False
        asked_at = self._asks[project_no]
        return asked_at is None or now - asked_at >= FINAL_ANSWER_WAIT
