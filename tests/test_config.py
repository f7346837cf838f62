"""kiosk.toml's [idcard] and [scanner] sections (cli.md): defaults, checks naming the key, checks together."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kiosk.config import ConfigError, build, load


def test_the_defaults() -> None:
    config = build({})
    assert (config.idcard.protocol, config.idcard.port, config.idcard.baud) == (
        "none",
        "hwid:10C4:EA60",
        115200,
    )
    assert (config.scanner.protocol, config.scanner.port, config.scanner.baud) == ("none", "", 9600)
    assert config.scanner.max_key_gap_ms == 30


def test_a_terminal_with_both(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.toml"
    path.write_text(
        '[device]\nrole = "terminal"\n'
        '[idcard]\nprotocol = "sam"\nport = "/dev/ttyUSB1"\n'
        '[scanner]\nprotocol = "serial"\nport = "hwid:1EAB:1A03"\nbaud = 115200\n',
        encoding="utf-8",
    )
    config = load(path, ["scanner.max_key_gap_ms=50"])
    assert config.idcard.protocol == "sam"
    assert config.scanner.port == "hwid:1EAB:1A03"
    assert config.scanner.baud == 115200
    assert config.scanner.max_key_gap_ms == 50
    assert config.to_toml()["idcard"] == {"protocol": "sam", "port": "/dev/ttyUSB1", "baud": 115200}


@pytest.mark.parametrize(
    ("document", "key"),
    [
        ({"idcard": {"protocol": "usb"}}, "idcard.protocol"),
        ({"idcard": {"baud": 115201}}, "idcard.baud"),
        ({"idcard": {"port": 3}}, "idcard.port"),
        ({"idcard": {"model": "x"}}, "idcard.model"),
        ({"scanner": {"protocol": "bluetooth"}}, "scanner.protocol"),
        ({"scanner": {"max_key_gap_ms": 0}}, "scanner.max_key_gap_ms"),
        ({"scanner": {"max_key_gap_ms": 500}}, "scanner.max_key_gap_ms"),
        ({"scanner": {"max_key_gap_ms": True}}, "scanner.max_key_gap_ms"),
        ({"scanner": {"suffix": "CR"}}, "scanner.suffix"),
        ({"idcard": {"protocol": "sam", "port": ""}}, "idcard.port"),
        ({"scanner": {"protocol": "serial"}}, "scanner.port"),
        (
            {
                "scanner": {"protocol": "keyboard"},
                "evaluator": {"protocol": "keyboard", "keys": ["1", "2", "F3"]},
            },
            "evaluator.keys",
        ),
    ],
)
def test_bad_values_name_the_key(document: dict[str, Any], key: str) -> None:
    with pytest.raises(ConfigError) as raised:
        build(document)
    assert raised.value.key == key
    assert str(raised.value).startswith(f"{key}: ")


def test_a_keyboard_scanner_beside_f_key_evaluator_is_fine() -> None:
    config = build({"scanner": {"protocol": "keyboard"}, "evaluator": {"protocol": "keyboard"}})
    assert config.evaluator.keys == ["F1", "F2", "F3", "F4", "F5"]
    assert build({"scanner": {"protocol": "keyboard"}, "evaluator": {"keys": ["1"]}}).evaluator.keys == ["1"]
