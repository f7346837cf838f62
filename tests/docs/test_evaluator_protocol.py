"""docs/evaluator-protocol.md: its vectors, lines, defaults and bench output are what the pad's code does."""

from __future__ import annotations

import json
import re
import tomllib
from datetime import datetime

from kiosk.config import build
from kiosk.devices import frame_codec
from kiosk.devices.base import DEFAULT_BUTTONS, Press
from kiosk.devices.evaluator_monitor import press_json
from kiosk.devices.keyboard_driver import DEFAULT_KEYS
from kiosk.devices.line_codec import (
    HostLine,
    KeyLine,
    StatusLine,
    encode_arm,
    encode_disarm,
    encode_key,
    encode_play,
    encode_status,
    parse_host_line,
    parse_line,
)
from kiosk.domain.prompts import Prompt
from tests.docs.markdown import DOCS, blocks_under

DOC = DOCS / "evaluator-protocol.md"
TEXT = DOC.read_text(encoding="utf-8")

MADE = {
    "device 1 KEY button 1, SEQ 0x07": frame_codec.encode_frame(1, 0x07, frame_codec.KEY, b"\x01"),
    "device 1 KEY button 5, SEQ 0x08": frame_codec.encode_frame(1, 0x08, frame_codec.KEY, b"\x05"),
    "host ACK of that KEY": frame_codec.encode_frame(1, 0x08, frame_codec.ACK, frame_codec.KEY_ACK_DATA),
    "device 1 STATUS fw 1.2, armed+voice+LEDs, 5 buttons, SEQ 0x00": frame_codec.encode_frame(
        1,
        0x00,
        frame_codec.STATUS,
        bytes([1, 2, frame_codec.FLAG_ARMED | frame_codec.FLAG_VOICE | frame_codec.FLAG_LEDS, 5]),
    ),
    "host ARM device 1, 60 s, SEQ 0x21": frame_codec.encode_frame(1, 0x21, frame_codec.ARM, bytes([60])),
    "host DISARM device 1, SEQ 0x22": frame_codec.encode_frame(1, 0x22, frame_codec.DISARM),
    "host PLAY prompt 2 on device 1, SEQ 0x23": frame_codec.encode_frame(
        1, 0x23, frame_codec.PLAY, bytes([Prompt.PLEASE_RATE])
    ),
    "host LED mask 0x1F on device 1, SEQ 0x24": frame_codec.encode_frame(1, 0x24, frame_codec.LED, b"\x1f"),
    "host QUERY device 3, SEQ 0x25": frame_codec.encode_frame(3, 0x25, frame_codec.QUERY),
    "device 1 ACK of ARM": frame_codec.encode_frame(1, 0x21, frame_codec.ACK, bytes([frame_codec.ARM])),
    "device 1 NAK of LED, error 1": frame_codec.encode_frame(
        1, 0x24, frame_codec.NAK, bytes([frame_codec.LED, frame_codec.NAK_BAD_LENGTH])
    ),
}


def test_the_vectors_are_the_encoders() -> None:
    (block,) = blocks_under(DOC, "Test vectors", "text")
    rows = {}
    for line in block.text.strip().splitlines():
        label, hex_bytes = re.fullmatch(r"(.+?)\s{2,}((?:[0-9A-F]{2} ?)+)", line.strip()).groups()  # type: ignore[union-attr]
        rows[label] = bytes.fromhex(hex_bytes)
    assert rows == MADE
    # And the decoder reads each back.
    decoder = frame_codec.FrameDecoder()
    assert [frame.encode() for frame in decoder.feed(b"".join(rows.values()), now=0.0)] == list(rows.values())


def test_the_crc_check_value() -> None:
    assert frame_codec.crc16_modbus(b"123456789") == 0x4B37
    assert "`0x4B37`" in TEXT


def test_the_ascii_lines() -> None:
    (block,) = blocks_under(DOC, "3.", "text")
    parsed = [re.split(r"\s{2,}", line.strip(), maxsplit=2) for line in block.text.strip().splitlines()]
    device = {line: parse_line(line.encode()) for side, line, _ in parsed if side == "device"}
    host = {line: parse_host_line(line.encode()) for side, line, _ in parsed if side == "host"}
    assert device == {"K1": KeyLine(1), "SOK 1.0": StatusLine("OK 1.0")}
    assert host == {"A60": HostLine("arm", 60), "D": HostLine("disarm"), "P2": HostLine("play", 2)}
    assert [encode_key(1), encode_status("OK 1.0")] == [b"K1\r\n", b"SOK 1.0\r\n"]
    assert [encode_arm(60), encode_disarm(), encode_play(2)] == [b"A60\r\n", b"D\r\n", b"P2\r\n"]


def test_the_defaults_and_the_other_map() -> None:
    default = build({}).evaluator
    shown = re.search(r"by default `(\{.+?\})`", TEXT)
    assert shown is not None
    shown_map = tomllib.loads("b = " + shown.group(1))["b"]
    assert (
        default.buttons == DEFAULT_BUTTONS == build({"evaluator": {"buttons": shown_map}}).evaluator.buttons
    )
    assert default.keys == DEFAULT_KEYS and '`["F1", "F2", "F3", "F4", "F5"]`' in TEXT
    assert f"the default is `{default.port}`" in TEXT
    other = re.search(r"might need `(\{.+?\})`", TEXT, re.DOTALL)
    assert other is not None
    mapping = tomllib.loads("b = " + other.group(1).replace("\n", " "))["b"]
    assert build({"evaluator": {"buttons": mapping}}).evaluator.buttons == {3: 5, 2: 4, 1: 3, 0: 2, 5: 1}


def test_the_prompts() -> None:
    for prompt, words in [(Prompt.WELCOME, "您好，欢迎光临"), (Prompt.PLEASE_RATE, "请您对我的服务做出评价")]:
        assert f"{int(prompt)} {words}" in TEXT
    assert (
        f"{int(Prompt.THANKS)} 谢谢您的评价" in TEXT
        and f"{int(Prompt.PAUSED)} 暂停服务，请到其他窗口办理" in TEXT
    )


def test_the_monitor_line_is_the_monitors() -> None:
    (line,) = [b.text.strip() for b in blocks_under(DOC, "6.", "json")]
    shown = json.loads(line)
    press = Press(
        shown["button"], shown["level"], True, datetime.fromisoformat(shown["at"]), shown["address"]
    )
    assert press_json(press) == line
