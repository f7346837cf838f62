"""What the technician's console and tools may do with a running pad: a narrow protocol that the
composition root implements (kiosk/app.py), so that the tools and pages never see the application itself.

qutebrowser and Electrum work this way: collaborators are passed in, and the core never sees the GUI.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Protocol

from kiosk.config import Config
from kiosk.domain.prompts import Prompt
from kiosk.store.ledger import Ledger
from kiosk.sync.transport import Transport
from kiosk.technician.checks import Check
from kiosk.technician.live import LivePad


class PadControls(Protocol):
    """A running pad, as its technician sees it.

    Attributes:
        config: the configuration in force (replaced whole by take_config, never changed in place).
        config_path: the file it came from, which the console writes.
        data_dir: the data directory.
        ledger: the ledger (thread-safe), for what the pages read: the device id, dead letters, counts.
        bridge_url: where the counter bridge listens.
        token: the bridge token in force.
        has_uplink: whether the pad talks to a province (uplink.url is set).
        transport: how the pad reaches the province (CA, client certificate, proxy).
        gateway_profile: whether the pad runs the Fujian gateway profile.
        app_code_shown: the gateway app's code, masked ("" when there is none).
    """

    @property
    def config(self) -> Config: ...

    @property
    def config_path(self) -> Path: ...

    @property
    def data_dir(self) -> Path: ...

    @property
    def ledger(self) -> Ledger: ...

    @property
    def bridge_url(self) -> str: ...

    @property
    def token(self) -> str: ...

    @property
    def has_uplink(self) -> bool: ...

    @property
    def transport(self) -> Transport: ...

    @property
    def gateway_profile(self) -> bool: ...

    @property
    def app_code_shown(self) -> str: ...

    def set_app_code(self, app_code: str) -> None:
        """Keeps a new gateway app code in DIR/secrets/ (in force after a restart); never in kiosk.toml."""
        ...

    def import_hall(self, source: Path) -> str:
        """Checks a hall file and puts it in place, in force at once; returns what it holds, in a line.

        Raises:
            HallFileError: the file fails a check (its field named); nothing changed.
            OSError: the pad's file cannot be written.
        """
        ...

    def province_checks(self) -> list[Check]:
        """The province's TLS and, in the gateway profile, the gateway's checks (any thread: it makes
        network calls)."""
        ...

    def now(self) -> datetime:
        """The pad's time (corrected to the province's, rules.md R13)."""
        ...

    def snapshot(self) -> LivePad:
        """What the checks need of the running pad, copied now (call on the Qt thread)."""
        ...

    def check_evaluator(self, config: Config) -> None:
        """Builds the evaluator driver these settings describe, to learn whether it takes them.

        Raises:
            ValueError: a setting only the driver refuses (a key name of the keyboard family).
        """
        ...

    def take_config(self, config: Config, keys: tuple[str, ...]) -> tuple[str, ...]:
        """Puts a new configuration in force without a restart where the layers allow; returns the keys
        of `keys` now in force (the others wait for the next start)."""
        ...

    def regenerate_token(self) -> str:
        """A new bridge token, in force for the next request (the old one is refused from now on)."""
        ...

    def play_voice(self, prompt: Prompt) -> None:
        """Plays a prompt on the pad's own voice (the display page's test)."""
        ...

    def exit(self, restart: bool) -> None:
        """Ends the pad (the service manager starts it again when `restart`)."""
        ...
