"""The keyboard family (evaluator-protocol.md §3): an evaluator that types one key per button.

An event filter on the application sees every key event before any widget does; it turns the configured
keys into presses and consumes them, so they never reach a text field. There is no port, no arming, LED or
voice on the device: the screen shows the prompt, and arm()/disarm() only set whether presses count.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence

from kiosk.devices.base import Evaluator, EvaluatorState
from kiosk.devices.presses import Arming, ButtonMap, warn_if_not_compliant
from kiosk.domain.clock import Clock

log = logging.getLogger(__name__)

DEFAULT_KEYS = ["F1", "F2", "F3", "F4", "F5"]
_KEY_NAMES = {name[len("Key_") :].lower(): int(key.value) for name, key in Qt.Key.__members__.items()}
_KEYPAD_PREFIX = "kp_"
_CHORD_MODIFIERS = (
    Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.MetaModifier
)
_KEY_EVENTS = (QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.ShortcutOverride)


@dataclass(frozen=True)
class KeyBinding:
    """A configured key: a Qt.Key value, and whether only the numeric keypad's copy of it counts."""

    key: int
    keypad: bool = False

    def matches(self, event: QKeyEvent) -> bool:
        """Whether a key event is this key (typed without Ctrl, Alt or Meta)."""
        modifiers = event.modifiers()
        if event.key() != self.key or modifiers & _CHORD_MODIFIERS:
            return False
        return not self.keypad or bool(modifiers & Qt.KeyboardModifier.KeypadModifier)


def parse_key(name: str) -> KeyBinding:
    """A key name from `evaluator.keys` as a KeyBinding.

    Accepted, case-insensitively:
      - a Qt.Key name, with or without its `Key_` prefix: `F1`, `A`, `1`, `Space`, `Key_Return`;
      - the same after `KP_`: that key on the numeric keypad only (`KP_1`, `KP_Enter`); a name without it
        matches the key wherever it is on the keyboard;
      - QKeySequence's portable text for a single key: `PgUp`, `Esc`, `Num+1` (keypad).
    Combinations (`Ctrl+A`) and sequences (`F1, F2`) are refused: an evaluator types plain keys.

    Args:
        name: the configured name.

    Raises:
        ValueError: naming the key, when it is none of these.
    """
    text = name.strip()
    keypad = text.lower().startswith(_KEYPAD_PREFIX)
    bare = text[len(_KEYPAD_PREFIX) :] if keypad else text
    lowered = bare.lower().removeprefix("key_")
    if lowered in _KEY_NAMES and lowered not in ("unknown", "any"):
        return KeyBinding(_KEY_NAMES[lowered], keypad)
    if not keypad:
        sequence = QKeySequence.fromString(text, QKeySequence.SequenceFormat.PortableText)
        if sequence.count() == 1:
            combination = sequence[0]  # type: ignore[index]  # QKeySequence::operator[], not in the stubs
            key, modifiers = int(combination.key().value), combination.keyboardModifiers()
            if key != int(Qt.Key.Key_unknown.value):
                if modifiers == Qt.KeyboardModifier.KeypadModifier:
                    return KeyBinding(key, keypad=True)
                if modifiers == Qt.KeyboardModifier.NoModifier:
                    return KeyBinding(key)
    raise ValueError(f"evaluator.keys: {name!r} is not a single key name (e.g. F1, A, KP_1)")


class KeyboardEvaluator(Evaluator):
    """An evaluator that types a key per button, heard through an event filter on the application.

    Args:
        keys: key names for buttons 1, 2, … in order (see parse_key).
        buttons: button number to level.
        clock: stamps presses.

    Raises:
        ValueError: for a key name parse_key refuses.

    Signals:
        press_received(Press): a configured key pressed (autorepeat ignored), address 0.
        state_changed(str): connected once started, disconnected once stopped.
    """

    protocol = "keyboard"

    def __init__(
        self, keys: list[str] | None = None, buttons: dict[int, int] | None = None, *, clock: Clock
    ) -> None:
        super().__init__("keyboard", buttons)
        self._bindings = [
            (parse_key(name), number) for number, name in enumerate(keys or DEFAULT_KEYS, start=1)
        ]
        self._arming = Arming()
        self._press = ButtonMap(self.buttons, clock, self.counters)
        self._app: QCoreApplication | None = None

    def start(self) -> None:
        """Installs the event filter on the application and reports connected.

        Raises:
            RuntimeError: when there is no QCoreApplication yet.
        """
        self._owner.check()
        app = QCoreApplication.instance()
        if app is None:
            raise RuntimeError("KeyboardEvaluator.start needs a QCoreApplication")
        warn_if_not_compliant(self.compliant, self.buttons)
        app.installEventFilter(self)
        self._app = app
        self.state_changed.emit(EvaluatorState.CONNECTED.value)

    def stop(self) -> None:
        """Removes the event filter and reports disconnected."""
        self._owner.check()
        if self._app is not None:
            self._app.removeEventFilter(self)
            self._app = None
            self.state_changed.emit(EvaluatorState.DISCONNECTED.value)

    def arm(self, timeout_s: int = 0) -> None:
        """Presses count from now on, for timeout_s seconds (0: until disarmed)."""
        self._owner.check()
        self._arming.arm(timeout_s)

    def disarm(self) -> None:
        """Presses from now on are heard but never rated."""
        self._owner.check()
        self._arming.disarm()

    def button_for(self, event: QKeyEvent) -> int | None:
        """The button a key event stands for, or None."""
        for binding, button in self._bindings:
            if binding.matches(event):
                return button
        return None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Turns a configured key into a press and consumes its press, release and shortcut override.

        Args:
            watched: the object the event was sent to (a window, then the focused widget).
            event: any event; only key events are looked at.

        Returns:
            True for the events of configured keys, which then reach no widget.
        """
        if event.type() not in _KEY_EVENTS or not isinstance(event, QKeyEvent):
            return False
        button = self.button_for(event)
        if button is None:
            return False
        if event.type() == QEvent.Type.ShortcutOverride:
            # Accepted so that no shortcut bound to the key fires and the KeyPress comes here instead.
            event.accept()
        elif event.type() == QEvent.Type.KeyPress and not event.isAutoRepeat():
            self.counters.add("frames_decoded")
            self.press_received.emit(self._press.press(button, self._arming.armed()))
        return True
