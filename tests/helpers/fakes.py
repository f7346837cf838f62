"""Small real fakes passed in where a test needs to see what the Pad asked of its hands."""

from __future__ import annotations

from datetime import datetime

from kiosk.devices.base import Evaluator, EvaluatorState, Press
from kiosk.domain.prompts import Prompt


class RecordingEvaluator(Evaluator):
    """An evaluator with no hardware: it records the Pad's commands and lets the test press buttons.

    Presses are delivered through the same press_received signal as a real driver's.
    """

    protocol = "fake"

    def __init__(self, buttons: dict[int, int] | None = None, voice: bool = False) -> None:
        super().__init__("fake://", buttons)
        self.commands: list[str] = []
        self.armed = False
        self._voice = voice

    @property
    def can_speak(self) -> bool:
        return self._voice

    def start(self) -> None:
        self.state_changed.emit(EvaluatorState.CONNECTED.value)

    def arm(self, timeout_s: int = 0) -> None:
        self.armed = True
        self.commands.append(f"arm {timeout_s}")

    def disarm(self) -> None:
        self.armed = False
        self.commands.append("disarm")

    def play(self, prompt: Prompt) -> None:
        self.commands.append(f"play {int(prompt)}")

    def flash_all(self) -> None:
        self.commands.append("flash")

    def press(self, button: int, at: datetime, armed: bool | None = None) -> None:
        self.press_received.emit(
            Press(button, self.buttons.get(button), self.armed if armed is None else armed, at, 1)
        )
