"""`kiosk.toml`: the pad's configuration (cli.md "Configuration").

Unknown keys and bad values are errors that name the key, found at start, never later.
"""

from __future__ import annotations

import dataclasses
import re
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs
import tomli_w

from kiosk.domain.access import (
    DEFAULT_ALLOW_FROM,
    check_network,
    check_origin,
    is_loopback_host,
    loopback_only,
)
from kiosk.files import write_atomically

CONFIG_FILE = "kiosk.toml"

Check = Callable[[Any], Any]


class ConfigError(ValueError):
    """A configuration key or value is wrong; `key` is its dotted name (or the flag)."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(f"{key}: {message}")
        self.key = key


def _int(low: int, high: int) -> Check:
    def check(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"expected a whole number from {low} to {high}, got {value!r}")
        if not low <= value <= high:
            raise ValueError(f"must be from {low} to {high}, got {value}")
        return value

    return check


def _number(low: float, high: float) -> Check:
    def check(value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"expected a number from {low} to {high}, got {value!r}")
        if not low <= value <= high:
            raise ValueError(f"must be from {low} to {high}, got {value}")
        return float(value)

    return check


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"expected true or false, got {value!r}")
    return value


def _choice(*choices: str) -> Check:
    def check(value: Any) -> str:
        if value not in choices:
            raise ValueError(f"must be one of {', '.join(choices)}, got {value!r}")
        return str(value)

    return check


def _string(pattern: str | None = None, what: str = "") -> Check:
    compiled = re.compile(pattern) if pattern else None

    def check(value: Any) -> str:
        if not isinstance(value, str):
            raise ValueError(f"expected a string, got {value!r}")
        if compiled and value and not compiled.fullmatch(value):
            raise ValueError(f"must be {what}, got {value!r}")
        return value

    return check


def _url(value: Any) -> str:
    text = str(_string()(value))
    if text and not re.fullmatch(r"https?://[^\s/]+(/\S*)?", text):
        raise ValueError(f"must be an http:// or https:// URL, got {text!r}")
    return text.rstrip("/")


def _baud(value: Any) -> int:
    rates = (1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200)
    if isinstance(value, bool) or value not in rates:
        raise ValueError(f"must be one of {', '.join(map(str, rates))}, got {value!r}")
    return int(value)


def _buttons(value: Any) -> dict[int, int]:
    if not isinstance(value, Mapping) or not value:
        raise ValueError("expected a table of button = level, e.g. { 1 = 5, 2 = 4 }")
    mapping: dict[int, int] = {}
    for button, level in value.items():
        if not str(button).isdigit() or not 0 <= int(button) <= 255:
            raise ValueError(f"button {button!r} is not a number from 0 to 255")
        if isinstance(level, bool) or not isinstance(level, int) or not 1 <= level <= 5:
            raise ValueError(f"button {button} maps to {level!r}, not a level 1..5")
        mapping[int(button)] = level
    return mapping


def _keys(value: Any) -> list[str]:
    if not isinstance(value, list) or not value or not all(isinstance(k, str) and k for k in value):
        raise ValueError('expected a list of key names, e.g. ["F1", "F2", "F3", "F4", "F5"]')
    return list(value)


def _list_of(check: Check, noun: str, example: str, *, empty: bool) -> Check:
    def checks(value: Any) -> list[str]:
        if not isinstance(value, list) or not all(isinstance(entry, str) for entry in value):
            raise ValueError(f"expected a list of {noun}s, e.g. {example}")
        if not value and not empty:
            raise ValueError(f"must name at least one {noun}, e.g. {example}")
        for entry in value:
            check(entry)
        return list(value)

    return checks


def _opt(default: Any, check: Check) -> Any:
    if isinstance(default, dict | list):
        return field(default_factory=lambda: type(default)(default), metadata={"check": check})
    return field(default=default, metadata={"check": check})


@dataclass(frozen=True)
class PadConfig:
    rate_timeout_s: int = _opt(60, _int(5, 3600))
    language: str = _opt("zh_CN", _choice("zh_CN", "en_US"))
    large_text: bool = _opt(False, _bool)
    windowed: bool = _opt(False, _bool)
    reasons_after_press: bool = _opt(True, _bool)
    reason_timeout_s: int = _opt(20, _int(5, 600))
    default_after_days: int = _opt(7, _int(1, 365))
    qr_url_template: str = _opt("", _string(r"https?://\S*\{token\}\S*", "an http(s) URL containing {token}"))
    voice: str = _opt("auto", _choice("auto", "pad", "device", "off"))
    volume: int = _opt(80, _int(0, 100))
    mute: bool = _opt(False, _bool)


@dataclass(frozen=True)
class ConsoleConfig:
    pin_hash: str = _opt("", _string())


@dataclass(frozen=True)
class EvaluatorConfig:
    protocol: str = _opt("frame", _choice("frame", "ascii", "keyboard", "none"))
    port: str = _opt("hwid:1A86:7523", _string())
    baud: int = _opt(9600, _baud)
    address: int = _opt(1, _int(1, 8))
    buttons: dict[int, int] = _opt({1: 5, 2: 4, 3: 3, 4: 2, 5: 1}, _buttons)
    keys: list[str] = _opt(["F1", "F2", "F3", "F4", "F5"], _keys)


@dataclass(frozen=True)
class IdCardConfig:
    protocol: str = _opt("none", _choice("sam", "none"))
    port: str = _opt("hwid:10C4:EA60", _string())
    baud: int = _opt(115200, _baud)


@dataclass(frozen=True)
class ScannerConfig:
    protocol: str = _opt("none", _choice("serial", "keyboard", "none"))
    port: str = _opt("", _string())
    baud: int = _opt(9600, _baud)
    max_key_gap_ms: int = _opt(30, _int(5, 150))  # people type a key every 100 ms or more


@dataclass(frozen=True)
class BridgeConfig:
    host: str = _opt("127.0.0.1", _string(r"[A-Za-z0-9.:\-]+", "a host name or address"))
    port: int = _opt(8765, _int(0, 65535))
    allowed_origins: list[str] = _opt(
        [], _list_of(check_origin, "origin", '["http://zhsl.example.gov.cn"]', empty=True)
    )
    allow_from: list[str] = _opt(
        list(DEFAULT_ALLOW_FROM),
        _list_of(check_network, "address or range", '["127.0.0.1", "10.1.2.0/24"]', empty=False),
    )


@dataclass(frozen=True)
class DeviceConfig:
    id: str = _opt("", _string(r"[A-Za-z0-9-]{1,64}", "1-64 characters of A-Z a-z 0-9 -"))
    role: str = _opt("counter", _choice("counter", "terminal"))


def _proxy(value: Any) -> str:
    text = str(_string()(value))
    if text and not re.fullmatch(r"(?:https?|socks5h?)://[^\s/]+/?", text):
        raise ValueError(f"must be a proxy's URL, e.g. http://10.1.2.3:3128, got {text!r}")
    return text.rstrip("/")


@dataclass(frozen=True)
class FujianConfig:
    """`[uplink.fujian]`: the Fujian gateway profile's keys (province-fujian.md "Configuration")."""

    gateway: str = _opt("", _url)
    service_path: str = _opt("96hyvzxl/wailian/webservice", _string(r"[A-Za-z0-9._~/-]+", "a URL path"))
    app_key: str = _opt("", _string())
    app_code: str = _opt("", _string())
    network: str = _opt("3", _choice("1", "2", "3"))
    region_code: str = _opt("", _string(r"[0-9]{6}", "6 digits"))
    template: str = _opt("", _string())
    hall_file: str = _opt("hall.json", _string())
    detail_check: bool = _opt(True, _bool)


@dataclass(frozen=True)
class UplinkConfig:
    heartbeat_s: int = _opt(60, _int(5, 3600))
    url: str = _opt("", _url)
    enroll_code: str = _opt("", _string())
    timeout_s: float = _opt(10, _number(1, 120))
    profile: str = _opt("json", _choice("json", "fujian-gateway"))
    ca_file: str = _opt("", _string())
    client_cert: str = _opt("", _string())
    client_key: str = _opt("", _string())
    proxy: str = _opt("", _proxy)
    fujian: FujianConfig = field(default_factory=FujianConfig)


@dataclass(frozen=True)
class Config:
    pad: PadConfig = field(default_factory=PadConfig)
    console: ConsoleConfig = field(default_factory=ConsoleConfig)
    evaluator: EvaluatorConfig = field(default_factory=EvaluatorConfig)
    bridge: BridgeConfig = field(default_factory=BridgeConfig)
    idcard: IdCardConfig = field(default_factory=IdCardConfig)
    scanner: ScannerConfig = field(default_factory=ScannerConfig)
    device: DeviceConfig = field(default_factory=DeviceConfig)
    uplink: UplinkConfig = field(default_factory=UplinkConfig)

    def to_toml(self) -> dict[str, dict[str, Any]]:
        """The configuration as a TOML document (button maps with string keys, as TOML needs)."""
        doc: dict[str, dict[str, Any]] = {}
        for section in dataclasses.fields(self):
            values = dataclasses.asdict(getattr(self, section.name))
            if "buttons" in values:
                values["buttons"] = {str(k): v for k, v in values["buttons"].items()}
            doc[section.name] = values
        return doc


_SECTIONS: dict[str, type[Any]] = {
    "pad": PadConfig,
    "console": ConsoleConfig,
    "evaluator": EvaluatorConfig,
    "bridge": BridgeConfig,
    "idcard": IdCardConfig,
    "scanner": ScannerConfig,
    "device": DeviceConfig,
    "uplink": UplinkConfig,
}


def _table(name: str, cls: type[Any], values: Any) -> Any:
    """One table of the document (a section, or a table within one, such as `uplink.fujian`), checked.

    Raises:
        ConfigError: naming the whole dotted key of the first unknown key or bad value.
    """
    if not isinstance(values, Mapping):
        raise ConfigError(name, "must be a table")
    known = {f.name: f for f in dataclasses.fields(cls)}
    checked: dict[str, Any] = {}
    for key, value in values.items():
        spec = known.get(key)
        if spec is None:
            raise ConfigError(f"{name}.{key}", "unknown key")
        if "check" not in spec.metadata:  # a table within the section
            checked[key] = _table(f"{name}.{key}", _NESTED[spec.name], value)
            continue
        try:
            checked[key] = spec.metadata["check"](value)
        except ValueError as exc:
            raise ConfigError(f"{name}.{key}", str(exc)) from None
    return cls(**checked)


_NESTED: dict[str, type[Any]] = {"fujian": FujianConfig}


def build(document: Mapping[str, Any]) -> Config:
    """Validates a TOML document into a Config.

    Raises:
        ConfigError: naming the first unknown key or bad value.
    """
    sections: dict[str, Any] = {}
    for name, values in document.items():
        cls = _SECTIONS.get(name)
        if cls is None:
            raise ConfigError(name, f"unknown section (known: {', '.join(_SECTIONS)})")
        sections[name] = _table(name, cls, values)
    config = Config(**sections)
    _check_together(config)
    return config


# Key names that a keyboard-wedge scanner types too: as evaluator keys they would turn a scan into presses.
_SCANNED_KEY = re.compile(r"(?:key_)?(?:[a-z0-9]|minus|underscore)", re.IGNORECASE)


def _check_together(config: Config) -> None:
    """The checks that involve more than one key.

    Raises:
        ConfigError: naming the key to change.
    """
    bridge = config.bridge
    if not is_loopback_host(bridge.host) and loopback_only(map(check_network, bridge.allow_from)):
        raise ConfigError(
            "bridge.allow_from",
            f"bridge.host = {bridge.host!r} lets other machines connect, but bridge.allow_from lists loopback "
            'addresses only: add the clerks\' PCs (e.g. "10.1.2.0/24") to bridge.allow_from, or set bridge.host '
            'back to "127.0.0.1"',
        )
    if config.idcard.protocol == "sam" and not config.idcard.port.strip():
        raise ConfigError("idcard.port", "a sam reader needs a port")
    if config.scanner.protocol == "serial" and not config.scanner.port.strip():
        raise ConfigError("scanner.port", "a serial scanner needs a port")
    if config.scanner.protocol == "keyboard" and config.evaluator.protocol == "keyboard":
        typed = [key for key in config.evaluator.keys if _SCANNED_KEY.fullmatch(key.strip())]
        if typed:
            raise ConfigError(
                "evaluator.keys",
                f"{', '.join(typed)} would also be typed by the keyboard-wedge scanner; use keys it never "
                "types (F1-F12, KP_1-KP_5)",
            )


def parse_override(assignment: str) -> tuple[str, str, Any]:
    """`section.key=value` (or `section.table.key=value`) from `--set`, the value parsed as TOML, falling
    back to a string.

    Returns:
        The section, the key within it (`table.key` for a key of a table within the section), the value.

    Raises:
        ConfigError: when the assignment is not of that form.
    """
    target, sep, text = assignment.partition("=")
    section, dot, key = target.strip().partition(".")
    if not sep or not dot or not section or not all(key.split(".")):
        raise ConfigError("--set", f"expected section.key=value, got {assignment!r}")
    try:
        value = tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        value = text
    return section, key, value


def set_key(document: dict[str, Any], key: str, value: Any) -> None:
    """Sets a dotted key (`section.key`, `section.table.key`) in a TOML document, making its tables.

    Raises:
        ConfigError: when a part of the way is not a table.
    """
    *tables, name = key.split(".")
    here = document
    for depth, table in enumerate(tables):
        here = here.setdefault(table, {})
        if not isinstance(here, dict):
            raise ConfigError(".".join(tables[: depth + 1]), "must be a table")
    here[name] = value


def load(path: Path | None, overrides: Sequence[str] = ()) -> Config:
    """Reads the TOML file (absent: all defaults) and applies `--set` overrides.

    Raises:
        ConfigError: on a syntax error, an unknown key or a bad value.
    """
    document: dict[str, Any] = {}
    if path is not None and path.exists():
        try:
            document = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(str(path), f"not valid TOML: {exc}") from None
        except OSError as exc:
            raise ConfigError(str(path), f"cannot be read: {exc.strerror}") from None
    for assignment in overrides:
        section, key, value = parse_override(assignment)
        set_key(document, f"{section}.{key}", value)
    return build(document)


def save(config: Config, path: Path) -> None:
    """Writes the configuration atomically: write, fsync, rename, fsync the directory."""
    write_atomically(path, tomli_w.dumps(config.to_toml()).encode("utf-8"), 0o600)


def default_data_dir() -> Path:
    """The platform's per-user data directory for the pad."""
    return Path(platformdirs.user_data_dir("kiosk", appauthor=False))
