"""The pad's own voice: the four prompts as spoken words (assets/sounds), through QtMultimedia.

The Pad decides when the pad speaks (pad.voice: auto speaks when the evaluator cannot); this player only
plays, at pad.volume, unless pad.mute. Each prompt it is asked for is announced (`asked`), so that what the
pad says can be followed without a sound card.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QUrl, Signal, Slot

from kiosk.domain.prompts import Prompt
from kiosk.resources import asset

if TYPE_CHECKING:
    from PySide6.QtMultimedia import QSoundEffect

log = logging.getLogger(__name__)


class VoicePlayer(QObject):
    """Plays prompts in the screen's language.

    Args:
        volume: 0-100.
        mute: when true, nothing is played (what was asked is still announced).

    Signals:
        asked(int): a Prompt the pad was asked to say (played unless muted).
    """

    asked = Signal(int)

    def __init__(self, volume: int = 80, mute: bool = False, language: str = "zh_CN") -> None:
        super().__init__()
        self.volume = volume
        self.mute = mute
        self.language = language
        self._effects: dict[str, QSoundEffect] = {}

    @Slot(int)
    def play(self, prompt: int) -> None:
        spoken = Prompt(prompt)
        self.asked.emit(int(spoken))
        if self.mute or self.volume == 0:
            return
        effect = self._effect(spoken)
        if effect is not None:
            effect.setVolume(self.volume / 100)
            effect.play()

    def _effect(self, prompt: Prompt) -> QSoundEffect | None:
        path = asset("sounds", f"prompt-{int(prompt)}-{self.language}.wav")
        key = str(path)
        if key not in self._effects:
            if not path.exists():
                log.warning("voice prompt %s is missing", path.name)
                return None
            # Imported here: QtMultimedia loads its backend (and complains without a sound card) on import.
            from PySide6.QtMultimedia import QSoundEffect

            effect = QSoundEffect(self)
            effect.setSource(QUrl.fromLocalFile(key))
            self._effects[key] = effect
        return self._effects[key]
