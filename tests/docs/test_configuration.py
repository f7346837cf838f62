"""docs/configuration.md against kiosk/config.py, so that neither can drift from the other: the same keys, the
same defaults, and every range and choice the page states is what the pad's checks accept and refuse."""

from __future__ import annotations

import re
import tomllib
from typing import Any

import pytest

from kiosk.config import Config, ConfigError, build, set_key
from tests.docs.markdown import DOCS, blocks_under

DOC = DOCS / "configuration.md"
TEXT = DOC.read_text(encoding="utf-8")

# Values taken as a whole, though they are tables.
LEAF_TABLES = {"evaluator.buttons"}
# What a probe of one key needs beside it, so that the checks across keys (the page's last section) pass.
CONTEXT: dict[str, dict[str, dict[str, Any]]] = {
    "bridge.host": {"bridge": {"allow_from": ["10.1.2.0/24"]}},
    "scanner.protocol": {"scanner": {"port": "/dev/ttyUSB1"}},
    "idcard.protocol": {"idcard": {"port": "/dev/ttyUSB2"}},
}


def flatten(document: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in document.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and name not in LEAF_TABLES:
            flat.update(flatten(value, f"{name}."))
        else:
            flat[name] = value
    return flat


def toml_value(text: str) -> Any:
    return tomllib.loads(f"v = {text}")["v"]


def rows() -> dict[str, tuple[Any, str]]:
    """Each key of the page's tables: its default and what it takes."""
    found: dict[str, tuple[Any, str]] = {}
    for section in re.split(r"^## ", TEXT, flags=re.MULTILINE)[1:]:
        heading = re.match(r"`\[([\w.]+)\]`", section)
        if heading is None:
            continue
        for line in section.splitlines():
            cells = [cell.strip() for cell in line.strip().strip("|").split(" | ")]
            if len(cells) != 4 or not cells[0].startswith("`") or cells[0] == "key":
                continue
            key = f"{heading.group(1)}.{cells[0].strip('`')}"
            assert key not in found, f"{key} is listed twice"
            found[key] = (toml_value(cells[1].strip("`")), cells[2])
    return found


CONFIG = flatten(Config().to_toml())
ROWS = rows()


def test_the_tables_list_every_key_with_its_default() -> None:
    assert ROWS.keys() == CONFIG.keys(), "the page and config.py list different keys"
    for key, default in CONFIG.items():
        assert ROWS[key][0] == default, f"{key}: the page says {ROWS[key][0]!r}, config.py {default!r}"


def test_the_whole_file_is_every_default() -> None:
    (whole,) = blocks_under(DOC, "The whole file", "toml")
    document = tomllib.loads(whole.text)
    assert flatten(document) == {key: default for key, (default, _) in ROWS.items()}
    assert build(document) == Config()


def accepts(key: str, value: Any) -> bool:
    document: dict[str, Any] = {}
    for other, values in CONTEXT.get(key, {}).items():
        document.setdefault(other, {}).update(values)
    set_key(document, key, value)
    try:
        build(document)
    except ConfigError as exc:
        refused_as = exc.key
    else:
        return True
    assert refused_as == key, f"{key} = {value!r} was refused as {refused_as}"
    return False


def probes(takes: str) -> tuple[list[Any], list[Any]]:
    """What the page says a key takes, as values that must be accepted and values that must be refused."""
    good: list[Any] = []
    bad: list[Any] = []
    if match := re.search(r"a whole number from (\d+) to (\d+)", takes):
        low, high = int(match.group(1)), int(match.group(2))
        good += [low, high]
        bad += [low - 1, high + 1, low + 0.5, True, str(low)]
    if match := re.search(r"(?<!whole )\ba number from (\d+) to (\d+)", takes):
        low, high = int(match.group(1)), int(match.group(2))
        good += [low, high, (low + high) / 2]
        bad += [low - 0.5, high + 0.5, str(low)]
    if "`true` or `false`" in takes:
        good += [True, False]
        bad += ["yes", 1]
    if match := re.search(r"one of ((?:`[^`]+`(?:, )?)+)", takes):
        choices = [toml_value(choice) for choice in re.findall(r"`([^`]+)`", match.group(1))]
        good += choices
        bad += ["nonsense" if isinstance(choices[0], str) else 7]
    good += [toml_value(example) for example in re.findall(r"e\.g\. `([^`]+)`", takes)]
    return good, bad


@pytest.mark.parametrize("key", sorted(CONFIG))
def test_what_each_key_takes_is_what_the_pad_accepts(key: str) -> None:
    default, takes = ROWS[key]
    good, bad = probes(takes)
    assert accepts(key, default)
    for value in good:
        assert accepts(key, value), f"the page says {key} takes {value!r}; the pad refuses it"
    for value in bad:
        assert not accepts(key, value), f"the page's range for {key} excludes {value!r}; the pad takes it"


def test_the_uplink_keys_follow_the_spec() -> None:
    assert ROWS["uplink.profile"][0] == "json"
    assert probes(ROWS["uplink.profile"][1])[0] == ["json", "fujian-gateway"]
    assert ROWS["uplink.fujian.service_path"][0] == "96hyvzxl/wailian/webservice"
    assert probes(ROWS["uplink.fujian.network"][1])[0] == ["1", "2", "3"]


@pytest.mark.parametrize(
    ("document", "key"),
    [
        ({"idcard": {"protocol": "sam", "port": ""}}, "idcard.port"),
        ({"scanner": {"protocol": "serial"}}, "scanner.port"),
        (
            {"scanner": {"protocol": "keyboard"}, "evaluator": {"protocol": "keyboard", "keys": ["1"]}},
            "evaluator.keys",
        ),
        ({"bridge": {"host": "0.0.0.0"}}, "bridge.allow_from"),
    ],
)
def test_the_checks_across_keys_are_on_the_page(document: dict[str, Any], key: str) -> None:
    with pytest.raises(ConfigError) as raised:
        build(document)
    assert raised.value.key == key
    section = TEXT[TEXT.index("## Checks across keys") : TEXT.index("## The whole file")]
    assert f"- `{key}`:" in section
