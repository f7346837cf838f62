"""Changing the pad's configuration from the console or `kiosk pin set`: validated as `kiosk run` validates it,
written to kiosk.toml atomically, and applied without a restart where the layer allows.

What is written is the file's own document with the change, never the running configuration: a `--set`
override given to this run stays an override and does not end up in the file.
"""

from __future__ import annotations

import logging
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.config import Config, ConfigError, build, save, set_key

if TYPE_CHECKING:
    from kiosk.technician.controls import PadControls

log = logging.getLogger(__name__)

SECRET_KEYS = frozenset({"console.pin_hash", "uplink.enroll_code", "uplink.fujian.app_code"})

# The keys each live step takes; any other key takes effect at the next start.
DISPLAY_KEYS = frozenset({"pad.language", "pad.large_text", "pad.volume", "pad.mute"})
PAD_KEYS = frozenset(
    {
        "pad.rate_timeout_s",
        "pad.reason_timeout_s",
        "pad.reasons_after_press",
        "pad.default_after_days",
        "pad.qr_url_template",
        "pad.voice",
    }
)
READ_WHEN_USED = frozenset({"console.pin_hash"})


def touches_evaluator(keys: Iterable[str]) -> bool:
    return any(key.startswith("evaluator.") for key in keys)


def split_key(key: str) -> tuple[str, str]:
    """`section.name` as its two parts; `name` is `table.name` for a key of a table within the section
    (`uplink.fujian.app_key`).

    Raises:
        ConfigError: naming the key when it is not of that form.
    """
    section, dot, name = key.partition(".")
    if not dot or not section or not all(name.split(".")):
        raise ConfigError(key, "expected section.key")
    return section, name


def blank_key(document: dict[str, Any], key: str) -> None:
    """Empties a dotted key of a TOML document where it is set (a secret, before the document leaves)."""
    *tables, name = key.split(".")
    here: Any = document
    for table in tables:
        here = here.get(table) if isinstance(here, dict) else None
    if isinstance(here, dict) and name in here:
        here[name] = ""


def shown_value(key: str, value: Any) -> str:
    """A value as the log may show it: secrets never."""
    if key in SECRET_KEYS:
        return "(hidden)" if value else '""'
    return repr(value)


def with_changes(document: Mapping[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of a TOML document with each `section.key` set."""
    updated = _copy(document)
    for key, value in changes.items():
        split_key(key)
        set_key(updated, key, value)
    return updated


def _copy(document: Mapping[str, Any]) -> dict[str, Any]:
    return {name: _copy(value) if isinstance(value, Mapping) else value for name, value in document.items()}


def read_document(path: Path) -> dict[str, Any]:
    """The TOML document of a configuration file ({} when there is none).

    Raises:
        ConfigError: the file is not valid TOML or cannot be read.
    """
    if not path.exists():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(str(path), f"not valid TOML: {exc}") from None
    except OSError as exc:
        raise ConfigError(str(path), f"cannot be read: {exc.strerror}") from None


def write_changes(path: Path, changes: Mapping[str, Any]) -> Config:
    """Validates the file's configuration with the changes and writes it atomically (write, fsync, rename).

    Returns:
        The file's configuration as now written.

    Raises:
        ConfigError: naming the first bad key; the file is left as it was.
        OSError: the file cannot be written.
    """
    config = build(with_changes(read_document(path), changes))
    path.parent.mkdir(parents=True, exist_ok=True)
    save(config, path)
    return config


@dataclass(frozen=True)
class Applied:
    """What became of a change.

    Attributes:
        live: keys in force now.
        at_restart: keys written, in force from the next start.
    """

    live: tuple[str, ...]
    at_restart: tuple[str, ...]


class SettingsEditor:
    """The console's way to change settings of a running pad.

    Args:
        controls: the running pad: its configuration is replaced, and the layers that can take a change
            live do.
    """

    def __init__(self, controls: PadControls) -> None:
        self.controls = controls

    def change(self, changes: Mapping[str, Any]) -> Applied:
        """Validates, writes kiosk.toml, then applies.

        Raises:
            ConfigError: naming the first bad key; nothing is written or applied.
            OSError: kiosk.toml cannot be written; nothing is applied.
        """
        controls = self.controls
        running = build(with_changes(controls.config.to_toml(), changes))
        if touches_evaluator(changes):
            self._check_evaluator(running)
        write_changes(controls.config_path, changes)
        keys = tuple(changes)
        live = controls.take_config(running, keys)
        for key, value in changes.items():
            when = "applied now" if key in live else "in force after a restart"
            log.info("console: set %s = %s (%s)", key, shown_value(key, value), when)
        return Applied(live, tuple(k for k in keys if k not in live))

    def _check_evaluator(self, config: Config) -> None:
        """A setting only the evaluator's driver refuses (a key name) is refused like any other bad value,
        before anything is written."""
        try:
            self.controls.check_evaluator(config)
        except ValueError as exc:
            key = "evaluator.keys" if config.evaluator.protocol == "keyboard" else "evaluator.protocol"
            raise ConfigError(key, str(exc).removeprefix(f"{key}: ")) from None
