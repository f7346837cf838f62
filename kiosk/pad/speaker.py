"""Who speaks a prompt (pad.voice): the evaluator when it has a voice, else the pad itself."""

from __future__ import annotations

from collections.abc import Callable

from kiosk.devices.base import Evaluator
from kiosk.domain.prompts import Prompt


class Speaker:
    """Plays prompts where the policy says.

    Args:
        policy: `pad.voice` in force: auto, pad, device or off.
        evaluator: the evaluator in use.
        pad_voice: plays a prompt on the pad (its voice_requested signal).
    """

    def __init__(
        self, policy: Callable[[], str], evaluator: Callable[[], Evaluator], pad_voice: Callable[[int], None]
    ) -> None:
        self._policy = policy
        self._evaluator = evaluator
        self._pad_voice = pad_voice

    def speak(self, prompt: Prompt) -> None:
        policy = self._policy()
        evaluator = self._evaluator()
        device_voice = evaluator.can_speak
        if policy in ("auto", "device") and device_voice:
            evaluator.play(prompt)
        if policy == "pad" or (policy == "auto" and not device_voice):
            self._pad_voice(int(prompt))
