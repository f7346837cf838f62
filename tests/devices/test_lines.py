"""The ascii line codec: terminators, K and S lines, what is dropped and counted."""

from __future__ import annotations

import pytest

from kiosk.devices.line_codec import (
    HostLine,
    KeyLine,
    Line,
    LineDecoder,
    StatusLine,
    encode_arm,
    encode_disarm,
    encode_play,
    parse_host_line,
    parse_line,
)


def decoder() -> LineDecoder[Line]:
    return LineDecoder(parse_line)


@pytest.mark.parametrize("ending", [b"\r\n", b"\n", b"\r"])
def test_any_terminator_ends_a_line(ending: bytes) -> None:
    lines = decoder().feed(b"K1" + ending + b"K12" + ending)
    assert lines == [KeyLine(1), KeyLine(12)]


def test_lines_split_across_reads() -> None:
    d = decoder()
    assert d.feed(b"K") == []
    assert d.feed(b"3\r") == [KeyLine(3)]
    assert d.feed(b"\nSready\r") == [StatusLine("ready")]
    assert d.feed(b"\n") == []
    assert (d.lines, d.dropped) == (2, 0)


def test_status_text() -> None:
    assert decoder().feed(b"S\r\nS1.0 armed=1\r\n") == [StatusLine(""), StatusLine("1.0 armed=1")]


@pytest.mark.parametrize("line", [b"K", b"K123", b"Kx", b"k1", b"X", b"K1 ", b" K1", b"S\xff"])
def test_unknown_lines_dropped_and_counted(line: bytes) -> None:
    d = decoder()
    assert d.feed(line + b"\r\nK2\r\n") == [KeyLine(2)]
    assert d.dropped == 1


def test_32_characters_is_a_line_33_is_dropped() -> None:
    d = decoder()
    assert d.feed(b"S" + b"x" * 31 + b"\r\n") == [StatusLine("x" * 31)]
    assert d.feed(b"S" + b"x" * 32 + b"\r\nK4\r\n") == [KeyLine(4)]
    assert d.dropped == 1


def test_an_endless_line_is_dropped_once_and_does_not_grow() -> None:
    d = decoder()
    for _ in range(100):
        assert d.feed(b"K" * 50) == []
    assert d.dropped == 1
    assert d.feed(b"\r\nK5\r\n") == [KeyLine(5)]
    assert d.dropped == 1


def test_blank_lines_are_not_counted() -> None:
    d = decoder()
    assert d.feed(b"\r\n\r\n\n\r") == []
    assert d.dropped == 0


def test_host_commands() -> None:
    assert encode_arm(60) == b"A60\r\n"
    assert encode_disarm() == b"D\r\n"
    assert encode_play(2) == b"P2\r\n"
    host = LineDecoder(parse_host_line)
    assert host.feed(b"A60\r\nD\r\nP2\r\nZ\r\n") == [
        HostLine("arm", 60),
        HostLine("disarm"),
        HostLine("play", 2),
    ]
    assert host.dropped == 1
