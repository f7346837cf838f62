"""Making a session's record: the chained rating, bound to the window the pad serves, stored in one commit
with the press that chose it; and the records of levels chosen whose record was never written."""

from __future__ import annotations

import logging
from collections.abc import Callable

from kiosk.domain.hall import Placement
from kiosk.domain.levels import Channel
from kiosk.store.ledger import Ledger, PressEntry
from kiosk.store.rows import StoredSession

log = logging.getLogger(__name__)


class Recorder:
    """Records ratings for the Pad (on its thread).

    Args:
        ledger: the ledger.
        placement: the window the record names (the province's, in force now).
        recorded: told of each new record (its seq), so that the sender wakes.
    """

    def __init__(
        self, ledger: Ledger, placement: Callable[[], Placement], recorded: Callable[[int], None]
    ) -> None:
        self._ledger = ledger
        self._placement = placement
        self._recorded = recorded
        # Reasons chosen in a picker whose record could not be written (the disk failed as it closed),
        # by session: the record is made with them as soon as the disk takes writes again.
        self._unrecorded_reasons: dict[str, tuple[str, ...]] = {}

    def record(
        self,
        session: StoredSession,
        satisfaction: int,
        channel: str,
        assess_text: str,
        codes: tuple[str, ...] = (),
        press: PressEntry | None = None,
    ) -> None:
        """Stores the session's record (and closes the session, and logs the press, in the same commit).

        Raises:
            StorageUnavailable: the ledger cannot take the write; nothing of it is stored.
        """
        recorded = self._ledger.record_rating(
            session,
            satisfaction=satisfaction,
            pf=channel,
            assess_time=assess_text,
            placement=self._placement(),
            eval_detail=codes,
            press=press,
        )
        log.info("session %s rated: record seq %d", session.session_id, recorded.seq)
        self._recorded(recorded.seq)

    def keep_reasons(self, session_id: str, codes: tuple[str, ...]) -> None:
        """The record of a level already stored could not be written: its reasons wait here for it."""
        self._unrecorded_reasons[session_id] = codes

    def record_chosen(self, open_now: str | None) -> None:
        """Makes the record of every session whose level was chosen but whose record was never written (a
        restart with the picker open, or a disk that failed as the picker closed); the picker open now
        (`open_now`, a session id) is left to close by itself."""
        for session, satisfaction in self._ledger.chosen_without_record():
            if session.session_id == open_now:
                continue
            codes = self._unrecorded_reasons.pop(session.session_id, ())
            log.info("session %s had a level chosen and no record: recording", session.session_id)
            self.record(
                session, satisfaction, session.channel or Channel.TERMINAL, session.rated_at or "", codes
            )
