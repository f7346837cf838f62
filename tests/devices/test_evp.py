"""EVP/1 codec: the spec's test vectors, CRC-16/MODBUS, and the receiving rules of FrameDecoder."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.devices import frame_codec
from kiosk.devices.frame_codec import Frame, FrameDecoder, crc16_modbus, encode_frame

# evaluator-protocol.md "Test vectors", every row: (frame, bytes).
VECTORS = [
    (Frame(1, 0x07, frame_codec.KEY, b"\x01"), "AA 55 01 07 01 01 01 89 24"),
    (Frame(1, 0x08, frame_codec.KEY, b"\x05"), "AA 55 01 08 01 01 05 8B F3"),
    (Frame(1, 0x08, frame_codec.ACK, b"\x01"), "AA 55 01 08 80 01 01 DA 18"),
    (Frame(1, 0x00, frame_codec.STATUS, bytes([1, 2, 0x07, 5])), "AA 55 01 00 02 04 01 02 07 05 13 EA"),
    (Frame(1, 0x21, frame_codec.ARM, b"\x3c"), "AA 55 01 21 10 01 3C 13 B8"),
    (Frame(1, 0x22, frame_codec.DISARM), "AA 55 01 22 11 00 AD 82"),
    (Frame(1, 0x23, frame_codec.PLAY, b"\x02"), "AA 55 01 23 12 01 02 32 10"),
    (Frame(1, 0x24, frame_codec.LED, b"\x1f"), "AA 55 01 24 13 01 1F A2 AD"),
    (Frame(3, 0x25, frame_codec.QUERY), "AA 55 03 25 14 00 1E AB"),
    (Frame(1, 0x21, frame_codec.ACK, bytes([frame_codec.ARM])), "AA 55 01 21 80 01 10 12 48"),
    (Frame(1, 0x24, frame_codec.NAK, bytes([frame_codec.LED, 1])), "AA 55 01 24 7F 02 13 01 05 29"),
]


def reference_crc(data: bytes) -> int:
    """CRC-16/MODBUS bit by bit, straight from its definition (independent of the table-driven one)."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
    return crc


def test_crc_check_value() -> None:
    assert crc16_modbus(b"123456789") == 0x4B37 == reference_crc(b"123456789")


@pytest.mark.parametrize(("frame", "wire"), VECTORS, ids=[str(f) for f, _ in VECTORS])
def test_vector_encodes(frame: Frame, wire: str) -> None:
    assert encode_frame(frame.addr, frame.seq, frame.cmd, frame.data) == bytes.fromhex(wire)
    assert frame.encode() == bytes.fromhex(wire)


@pytest.mark.parametrize(("frame", "wire"), VECTORS, ids=[str(f) for f, _ in VECTORS])
def test_vector_decodes(frame: Frame, wire: str) -> None:
    decoder = FrameDecoder()
    assert decoder.feed(bytes.fromhex(wire), 0.0) == [frame]
    assert decoder.pending == 0


def test_vectors_byte_by_byte_in_one_stream() -> None:
    decoder = FrameDecoder()
    stream = b"".join(bytes.fromhex(wire) for _, wire in VECTORS)
    frames = [f for i in range(len(stream)) for f in decoder.feed(stream[i : i + 1], 0.0)]
    assert frames == [frame for frame, _ in VECTORS]
    assert (decoder.crc_errors, decoder.framing_errors, decoder.stalls) == (0, 0, 0)


def test_encode_refuses_more_than_32_bytes() -> None:
    with pytest.raises(ValueError, match="at most 32"):
        encode_frame(1, 0, frame_codec.KEY, bytes(33))


KEY1 = bytes.fromhex("AA 55 01 07 01 01 01 89 24")
KEY5 = bytes.fromhex("AA 55 01 08 01 01 05 8B F3")


def test_bad_crc_drops_one_byte_and_finds_a_frame_inside() -> None:
    # A broken frame whose DATA holds the start of a valid frame: LEN 9 swallows the whole KEY frame.
    broken = bytes.fromhex("AA 55 01 00 01 09") + KEY5 + b"\x00\x00"
    decoder = FrameDecoder()
    assert decoder.feed(broken, 0.0) == [Frame(1, 8, frame_codec.KEY, b"\x05")]
    assert decoder.crc_errors == 1


def test_len_over_32_is_a_framing_error_and_resyncs_at_once() -> None:
    decoder = FrameDecoder()
    assert decoder.feed(bytes.fromhex("AA 55 01 07 01 21") + KEY1, 0.0) == [
        Frame(1, 7, frame_codec.KEY, b"\x01")
    ]
    assert decoder.framing_errors == 1
    assert decoder.crc_errors == 0


def test_len_32_is_allowed() -> None:
    frame = Frame(1, 1, frame_codec.STATUS, bytes(range(32)))
    assert FrameDecoder().feed(frame.encode(), 0.0) == [frame]


def test_false_headers_in_garbage() -> None:
    garbage = b"\xaa\xaa\x55\xaa\x55\x01\xaa\x55\xff\x00\x55\xaa"
    decoder = FrameDecoder()
    assert decoder.feed(garbage + KEY1 + garbage + KEY5, 0.0) == [
        Frame(1, 7, frame_codec.KEY, b"\x01"),
        Frame(1, 8, frame_codec.KEY, b"\x05"),
    ]


def test_stall_of_100ms_drops_the_candidate() -> None:
    now = [0.0]
    decoder = FrameDecoder(monotonic=lambda: now[0])
    assert decoder.feed(KEY1[:5]) == []
    now[0] = 0.099
    assert decoder.tick() == []
    assert decoder.stalls == 0
    now[0] = 0.1
    assert decoder.tick() == []
    assert decoder.stalls == 1
    assert decoder.pending == 0
    # The rest of the broken frame arrives late: it is not a frame any more.
    assert decoder.feed(KEY1[5:]) == []
    assert decoder.feed(KEY5) == [Frame(1, 8, frame_codec.KEY, b"\x05")]


def test_stall_noticed_when_the_next_bytes_arrive() -> None:
    decoder = FrameDecoder()
    assert decoder.feed(KEY1[:7], 0.0) == []
    assert decoder.feed(KEY1[7:] + KEY5, 0.25) == [Frame(1, 8, frame_codec.KEY, b"\x05")]
    assert decoder.stalls == 1


def test_bytes_arriving_slowly_but_under_100ms_apart_make_a_frame() -> None:
    decoder = FrameDecoder()
    frames = [f for i, byte in enumerate(KEY1) for f in decoder.feed(bytes([byte]), i * 0.09)]
    assert frames == [Frame(1, 7, frame_codec.KEY, b"\x01")]
    assert decoder.stalls == 0


def test_stall_finds_a_complete_frame_inside_the_broken_one() -> None:
    # LEN 32 waits for 40 bytes; the KEY frame inside it is found once the candidate stalls.
    decoder = FrameDecoder()
    assert decoder.feed(bytes.fromhex("AA 55 01 00 01 20") + KEY1, 0.0) == []
    assert decoder.tick(0.1) == [Frame(1, 7, frame_codec.KEY, b"\x01")]
    assert decoder.stalls == 1


# --- property: streams of frames, garbage, truncated and corrupted frames, split anywhere ---------------


def reference_decode(stream: bytes) -> list[tuple[int, Frame]]:
    """The receiving rules applied to a whole stream at once: (offset, frame) of every frame found.

    Hunt for AA 55; LEN > 32 or a bad CRC: drop the candidate's first byte and hunt again. The stream is
    followed by silence, so a candidate still unfinished at its end stalls: its first byte is dropped too.
    """
    found = []
    pos = 0
    while (start := stream.find(b"\xaa\x55", pos)) >= 0:
        length = stream[start + 5] if len(stream) - start >= 6 else 0
        end = start + 6 + length + 2
        if length > 32 or end > len(stream):
            pos = start + 1
            continue
        if reference_crc(stream[start + 2 : end - 2]) != int.from_bytes(stream[end - 2 : end], "little"):
            pos = start + 1
            continue
        found.append(
            (
                start,
                Frame(stream[start + 2], stream[start + 3], stream[start + 4], stream[start + 6 : end - 2]),
            )
        )
        pos = end
    return found


frames = st.builds(
    Frame,
    addr=st.integers(1, 8),
    seq=st.integers(0, 255),
    cmd=st.sampled_from(
        [
            frame_codec.KEY,
            frame_codec.STATUS,
            frame_codec.ACK,
            frame_codec.NAK,
            frame_codec.ARM,
            frame_codec.LED,
        ]
    ),
    data=st.binary(max_size=32),
)
header_rich_garbage = st.lists(
    st.one_of(
        st.just(b"\xaa\x55"),
        st.just(b"\xaa"),
        st.just(b"\x55"),
        st.binary(min_size=1, max_size=4),
        st.tuples(st.integers(0, 255)).map(lambda t: b"\xaa\x55\x01\x07\x01" + bytes(t)),  # any LEN
    ),
    max_size=8,
).map(b"".join)


@st.composite
def streams(draw: st.DrawFn) -> tuple[bytes, list[tuple[int, Frame]]]:
    """A stream and the (offset, frame) of each valid frame put in it on purpose."""
    stream = bytearray()
    placed: list[tuple[int, Frame]] = []
    for kind in draw(st.lists(st.sampled_from(["valid", "garbage", "truncated", "bad_crc"]), max_size=12)):
        if kind == "valid":
            frame = draw(frames)
            placed.append((len(stream), frame))
            stream += frame.encode()
        elif kind == "garbage":
            stream += draw(header_rich_garbage)
        elif kind == "truncated":
            wire = draw(frames).encode()
            stream += wire[: draw(st.integers(1, len(wire) - 1))]
        else:
            corrupted = bytearray(draw(frames).encode())
            corrupted[-draw(st.integers(1, 2))] ^= draw(st.integers(1, 255))
            stream += corrupted
    return bytes(stream), placed


@given(streams(), st.lists(st.integers(0, 400), max_size=20))
def test_every_valid_frame_decoded_exactly_once(
    case: tuple[bytes, list[tuple[int, Frame]]], cuts: list[int]
) -> None:
    """Split anywhere and followed by silence, the decoder finds what the rules find in the whole stream;
    and each frame placed in the stream is found exactly once, at its own offset.

    The one exclusion, defined precisely: a placed frame may be missed only when a *phantom* overlaps it, a
    frame the rules find that was not placed (garbage, or a truncated or corrupted frame, that the next
    bytes happen to complete into a valid frame: its CRC matches by chance). Nothing else may hide one.
    """
    stream, placed = case
    points = sorted({min(c, len(stream)) for c in cuts} | {0, len(stream)})
    decoder = FrameDecoder()
    decoded = [f for a, b in itertools.pairwise(points) for f in decoder.feed(stream[a:b], 0.0)]
    decoded += decoder.tick(1.0)  # then silence: what is unfinished stalls

    expected = reference_decode(stream)
    assert decoded == [frame for _, frame in expected]

    found = set(expected)
    phantoms = [(offset, frame) for offset, frame in expected if (offset, frame) not in placed]
    for offset, frame in placed:
        if (offset, frame) in found:
            continue
        span = range(offset, offset + len(frame.encode()))
        assert any(o < span.stop and span.start < o + len(f.encode()) for o, f in phantoms), (
            f"{frame} at {offset} lost with no phantom over it"
        )
    assert len(found) == len(expected)  # nothing found twice
    for offset, frame in expected:
        assert stream[offset : offset + len(frame.encode())] == frame.encode()
