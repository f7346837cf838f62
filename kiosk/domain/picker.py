"""The reason picker's state (rules.md R4): which level was chosen, which reasons, whether it may submit."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from kiosk.domain.levels import level as level_of


@dataclass(frozen=True)
class ReasonPicker:
    """An open reason picker for one session.

    Attributes:
        session_id: the session whose level was chosen.
        satisfaction: the level chosen by the press or touch.
        channel: pf of that press ("5") or touch ("4").
        chosen_at: the moment of the press or touch: the rating's assessTime.
        deadline: when the picker closes by itself (then the rating is made with no reasons).
        codes: the reasons chosen so far, in the order chosen.
    """

    session_id: str
    satisfaction: int
    channel: str
    chosen_at: datetime
    deadline: datetime
    codes: tuple[str, ...] = ()

    @property
    def reason_required(self) -> bool:
        """Levels 1-2 need at least one reason to submit; 3-5 may submit with none."""
        return level_of(self.satisfaction).needs_reason_on_screen

    @property
    def can_submit(self) -> bool:
        return bool(self.codes) or not self.reason_required

    def toggled(self, code: str) -> ReasonPicker:
        """The picker with `code` chosen, or unchosen if it was."""
        if code in self.codes:
            return replace(self, codes=tuple(c for c in self.codes if c != code))
        return replace(self, codes=(*self.codes, code))
