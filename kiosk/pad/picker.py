"""The reason picker (rules.md R4): after a touch, or a press of level 1-2, the citizen may choose reasons
(1-2 need one) for up to `reason_timeout_s`; the rating is made when they submit, or with no reasons when
the picker times out. The session is rated from the moment its level was chosen."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from kiosk.domain.picker import ReasonPicker
from kiosk.domain.reasons import ReasonCatalogue
from kiosk.domain.timefmt import format_time
from kiosk.pad.recording import Recorder
from kiosk.pad.storage import StorageWatch
from kiosk.pad.timers import Timer
from kiosk.store.errors import StorageUnavailable
from kiosk.store.rows import StoredSession


class PickerFlow:
    """The open picker, if any, for the Pad (on its thread).

    Args:
        recorder: makes the rating when the picker closes.
        storage: told when the record cannot be written (it is then made when the disk is back).
        timer: a single-shot timer whose timeout calls `on_timeout`.
        reasons: the reason catalogue in force.
        closed: called once the picker has closed and its rating is made (the thanks follow).
        changed: called when what the picker shows changed.
    """

    def __init__(
        self,
        recorder: Recorder,
        storage: StorageWatch,
        timer: Timer,
        reasons: Callable[[], ReasonCatalogue],
        closed: Callable[[], None],
        changed: Callable[[], None],
    ) -> None:
        self._recorder = recorder
        self._storage = storage
        self._timer = timer
        self._reasons = reasons
        self._closed = closed
        self._changed = changed
        self.picker: ReasonPicker | None = None
        self.session: StoredSession | None = None

    @property
    def is_open(self) -> bool:
        return self.picker is not None

    def open(
        self,
        session: StoredSession,
        satisfaction: int,
        channel: str,
        chosen_at: datetime,
        deadline: datetime,
        timeout_s: float,
    ) -> None:
        """Opens the picker for a session whose level was just chosen (and stored)."""
        self.picker = ReasonPicker(session.session_id, satisfaction, channel, chosen_at, deadline)
        self.session = session
        self._timer.start(int(timeout_s * 1000))
        self._changed()

    def toggle(self, code: str) -> None:
        """A touch on a reason: chosen, or unchosen. Codes the picker does not offer are ignored."""
        picker = self.picker
        if picker is None or code not in {r.code for r in self._reasons().offered(picker.satisfaction)}:
            return
        self.picker = picker.toggled(code)
        self._changed()

    def submit(self) -> None:
        """The citizen submits (levels 1-2 need at least one reason)."""
        if self.picker is not None and self.picker.can_submit:
            self.close(self.picker.codes)

    def on_timeout(self) -> None:
        if self.picker is not None:
            # R4: a picker that times out makes the rating with no reasons.
            self.close(())

    def close(self, codes: tuple[str, ...]) -> None:
        """Closes the picker and makes its rating with these reasons."""
        picker, session = self.picker, self.session
        assert picker is not None and session is not None
        self._timer.stop()
        self.picker = None
        self.session = None
        try:
            self._recorder.record(
                session, picker.satisfaction, picker.channel, format_time(picker.chosen_at), codes
            )
        except StorageUnavailable as exc:
            # The level is stored (choose_level); the record follows, with these reasons, as soon as the
            # storage probe sees the disk take writes again.
            self._recorder.keep_reasons(session.session_id, codes)
            self._storage.failed(exc)
        self._closed()

    def stop(self) -> None:
        self._timer.stop()
