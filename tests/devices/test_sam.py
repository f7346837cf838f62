"""The SAM codec (idcard-reader.md §1): the spec's vectors byte for byte, the decoder's rules, the card text."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.devices import sam_codec
from kiosk.devices.sam_codec import (
    SamDecoder,
    card_text,
    card_type_marker,
    checksum,
    encode_answer,
    encode_card_text,
    encode_command,
    encode_read_answer,
    parse_answer,
    parse_card_text,
    parse_command,
)
from kiosk.domain.idcard import IdCard
from tests.helpers.people import CHEN_MING_ID

VECTOR = Path(__file__).resolve().parents[1] / "data" / "idcard-read-chen-ming.hex"
READ_ANSWER = bytes.fromhex(VECTOR.read_text(encoding="ascii"))

# idcard-reader.md "Test vectors", every row but the whole answer: (what the codec makes, the spec's bytes).
VECTORS = [
    (encode_command(*sam_codec.FIND), "AA AA AA 96 69 00 03 20 01 22"),
    (encode_command(*sam_codec.SELECT), "AA AA AA 96 69 00 03 20 02 21"),
    (encode_command(*sam_codec.READ), "AA AA AA 96 69 00 03 30 01 32"),
    (
        encode_answer(sam_codec.CARD_FOUND, sam_codec.FIND_DATA),
        "AA AA AA 96 69 00 08 00 00 9F 00 00 00 00 97",
    ),
    (encode_answer(sam_codec.NO_CARD), "AA AA AA 96 69 00 04 00 00 80 84"),
    (
        encode_answer(sam_codec.DONE, sam_codec.SELECT_DATA),
        "AA AA AA 96 69 00 0C 00 00 90 00 00 00 00 00 00 00 00 9C",
    ),
    (encode_answer(sam_codec.READ_FAILED), "AA AA AA 96 69 00 04 00 00 41 45"),
]
FIND = encode_command(*sam_codec.FIND)
NO_CARD = encode_answer(sam_codec.NO_CARD)
CARD_FOUND = encode_answer(sam_codec.CARD_FOUND, sam_codec.FIND_DATA)


def chen_ming() -> IdCard:
    """The spec's worked example, a made-up person."""
    return IdCard(
        name="陈明",
        sex="1",
        nation="01",
        birth="19900101",
        address="福建省福州市鼓楼区东街1号",
        cert_no=CHEN_MING_ID,
        issuer="福州市公安局鼓楼分局",
        valid_from="20200101",
        valid_to="20400101",
    )


def same_card(a: IdCard, b: IdCard) -> bool:
    """Compared without pytest printing what differs: the fields are personal data."""
    return a == b


@pytest.mark.parametrize(("made", "spec"), VECTORS)
def test_the_spec_vectors(made: bytes, spec: str) -> None:
    assert made == bytes.fromhex(spec)


def test_the_whole_read_answer() -> None:
    assert len(READ_ANSWER) == 1295
    assert READ_ANSWER[:14] == bytes.fromhex("AA AA AA 96 69 05 08 00 00 90 01 00 04 00")
    assert READ_ANSWER[-1] == 0xFB == checksum(READ_ANSWER[5:-1])
    bodies = SamDecoder().feed(READ_ANSWER, 0.0)
    assert len(bodies) == 1
    answer = parse_answer(bodies[0])
    assert answer is not None
    assert (answer.sw1, answer.sw2, answer.sw3, len(answer.data)) == (0, 0, sam_codec.DONE, 1284)
    text = card_text(answer.data)
    assert text == READ_ANSWER[14:270]
    assert same_card(parse_card_text(text), chen_ming())
    assert card_type_marker(text) == ""


def test_the_read_answer_is_made_byte_for_byte() -> None:
    from kiosk.devices.card_reader_simulator import PHOTO

    assert encode_card_text(chen_ming()) == READ_ANSWER[14:270]
    assert encode_read_answer(encode_card_text(chen_ming()), PHOTO) == READ_ANSWER


def test_an_answers_repr_never_shows_its_data() -> None:
    answer = parse_answer(SamDecoder().feed(READ_ANSWER, 0.0)[0])
    assert repr(answer) == "Answer(sw=00 00 90 done, 1284 bytes)"


def test_commands_decode_as_a_reader_reads_them() -> None:
    bodies = SamDecoder().feed(b"".join(bytes.fromhex(spec) for _, spec in VECTORS[:3]), 0.0)
    assert [parse_command(body) for body in bodies] == [
        sam_codec.Command(0x20, 0x01),
        sam_codec.Command(0x20, 0x02),
        sam_codec.Command(0x30, 0x01),
    ]
    assert [sam_codec.Command(*c).name for c in (sam_codec.FIND, sam_codec.SELECT, sam_codec.READ)] == [
        "find",
        "select",
        "read",
    ]


def test_garbage_before_a_preamble_is_skipped() -> None:
    decoder = SamDecoder()
    assert decoder.feed(b"\x00\xff\xaa\xaa\x96" + NO_CARD, 0.0) == [NO_CARD[7:-1]]
    assert (decoder.skipped, decoder.checksum_errors) == (5, 0)


def test_extra_aa_before_the_preamble() -> None:
    decoder = SamDecoder()
    assert decoder.feed(b"\xaa\xaa" + CARD_FOUND, 0.0) == [CARD_FOUND[7:-1]]
    assert decoder.skipped == 2


def test_a_bad_chk_is_dropped_and_counted_and_the_next_frame_found() -> None:
    broken = NO_CARD[:-1] + bytes([NO_CARD[-1] ^ 0x01])
    decoder = SamDecoder()
    assert decoder.feed(broken + CARD_FOUND, 0.0) == [CARD_FOUND[7:-1]]
    assert (decoder.checksum_errors, decoder.frames) == (1, 1)


def test_a_frame_inside_a_cut_short_one_is_found() -> None:
    # A find answer cut after its LEN: its LEN swallows the next frame's first bytes, its CHK then fails.
    decoder = SamDecoder()
    assert decoder.feed(READ_ANSWER[:9] + CARD_FOUND, 0.0) == []
    assert decoder.pending > 0
    assert decoder.tick(0.2) == []
    assert decoder.tick(1.0) == [CARD_FOUND[7:-1]]
    assert decoder.stalls == 1


def test_an_impossible_len_is_a_length_error() -> None:
    decoder = SamDecoder()
    assert decoder.feed(sam_codec.PREAMBLE + b"\xff\xff\x00" + NO_CARD, 0.0) == [NO_CARD[7:-1]]
    assert decoder.length_errors == 1
    assert SamDecoder().feed(sam_codec.PREAMBLE + b"\x00\x01\x01" + NO_CARD, 0.0) == [NO_CARD[7:-1]]


def test_reset_forgets_a_partial_frame() -> None:
    decoder = SamDecoder()
    decoder.feed(READ_ANSWER[:600], 0.0)
    decoder.reset()
    assert decoder.pending == 0
    assert decoder.feed(NO_CARD, 0.0) == [NO_CARD[7:-1]]


def test_decoded_bytes_are_zeroed_before_they_are_released() -> None:
    decoder = SamDecoder()
    decoder.feed(READ_ANSWER[:700], 0.0)
    buffer = decoder._buf  # the decoder's own buffer: what the photo and text leave behind
    decoder.feed(READ_ANSWER[700:], 0.0)
    assert decoder.pending == 0
    assert not buffer


def test_a_trailing_preamble_prefix_waits_for_the_rest() -> None:
    decoder = SamDecoder()
    assert decoder.feed(NO_CARD[:4], 0.0) == []
    assert decoder.pending == 4
    assert decoder.feed(NO_CARD[4:], 0.0) == [NO_CARD[7:-1]]
    assert decoder.skipped == 0


frames = st.sampled_from(
    [FIND, NO_CARD, CARD_FOUND, READ_ANSWER, encode_answer(sam_codec.DONE, sam_codec.SELECT_DATA)]
)
noise = st.binary(max_size=12).filter(lambda b: b"\xaa" not in b)


@given(st.lists(st.tuples(noise, frames), min_size=1, max_size=5), st.data())
def test_any_split_of_frames_and_noise_decodes_the_same(
    parts: list[tuple[bytes, bytes]], data: st.DataObject
) -> None:
    stream = b"".join(junk + frame for junk, frame in parts)
    cuts = sorted(data.draw(st.lists(st.integers(0, len(stream)), max_size=20)))
    decoder = SamDecoder()
    bodies: list[bytes] = []
    for start, end in zip([0, *cuts], [*cuts, len(stream)], strict=True):
        bodies += decoder.feed(stream[start:end], 0.0)
    assert bodies == [frame[7:-1] for _, frame in parts]
    assert decoder.skipped == sum(len(junk) for junk, _ in parts)
    assert decoder.checksum_errors == decoder.length_errors == 0


@given(st.binary(max_size=400))
def test_the_decoder_survives_anything(stream: bytes) -> None:
    decoder = SamDecoder()
    for body in decoder.feed(stream, 0.0) + decoder.tick(10.0):
        assert len(body) >= 1
    assert decoder.pending == 0


card_texts = st.text(
    alphabet=st.characters(max_codepoint=0xFFFF, exclude_categories=("Cs", "Zs", "Cc")),
    min_size=1,
    max_size=15,
)


@given(card_texts, st.sampled_from("12"), card_texts.filter(lambda t: len(t) <= 35))
def test_card_text_round_trips(name: str, sex: str, address: str) -> None:
    card = IdCard(name, sex, "01", "19900101", address, CHEN_MING_ID, "福州市公安局", "20200101", "长期")
    text = encode_card_text(card)
    assert len(text) == 256
    assert same_card(parse_card_text(text), card)


@given(st.binary(min_size=256, max_size=256))
def test_any_text_parses_to_some_card(text: bytes) -> None:
    card = parse_card_text(text)
    assert len(card.name) <= 15


def test_a_lowercase_x_is_read_as_x() -> None:
    card = chen_ming()
    text = encode_card_text(IdCard(**{**card.__dict__, "cert_no": "35010219900101123x"}))
    assert parse_card_text(text).cert_no.endswith("X")


def test_a_field_too_long_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="name holds at most 15"):
        encode_card_text(IdCard(**{**chen_ming().__dict__, "name": "陈" * 16}))


def test_a_text_of_another_size_is_refused() -> None:
    with pytest.raises(ValueError, match="256 bytes"):
        parse_card_text(b"\x20\x00" * 100)


def test_a_newer_card_marks_its_type() -> None:
    text = bytearray(encode_card_text(chen_ming()))
    text[sam_codec.CARD_TYPE_OFFSET : sam_codec.CARD_TYPE_OFFSET + 2] = "J".encode("utf-16-le")
    assert card_type_marker(bytes(text)) == "J"


@pytest.mark.parametrize(
    "data",
    [b"", b"\x01\x00\x04\x00", bytes(4) + bytes(1280), READ_ANSWER[10:-2]],
)
def test_a_read_answer_without_its_layout_has_no_text(data: bytes) -> None:
    assert card_text(data) is None
